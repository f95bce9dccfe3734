// SPDX-License-Identifier: Apache-2.0
// `cxrcat catalog validate [PATH...]`: every problem in catalog files, as `file: /pointer: problem`.
#include "commands.hpp"
#include "cxrcat/catalog/embedded_catalog.hpp"

#include <iostream>

namespace cxrcat::cli {

namespace {

int run_validate(AppContext& context, const std::vector<std::string>& paths) {
    // Without paths: check what every command would load. With paths: those files, checked
    // against the built-in catalog so that replacements and lineage links resolve.
    CatalogSources sources{true, {}};
    if (paths.empty()) {
        sources.user_paths = context.user_catalog_paths();
    } else {
        sources.user_paths.assign(paths.begin(), paths.end());
    }
    LoadedCatalog loaded = load_catalog(sources);
    for (const auto& notice : loaded.notices) {
        context.notice(notice);
    }
    for (const auto& problem : loaded.problems) {
        std::cout << problem.to_string() << '\n';
    }
    if (loaded.ok()) {
        context.notice("catalog ok: " + std::to_string(loaded.catalog.size()) + " datasets from " +
                       std::to_string(loaded.files_read) + " files (built-in catalog " +
                       std::string(embedded_catalog_version()) + ")");
        return 0;
    }
    std::size_t count = loaded.problems.size();
    return context.fail(Error(ErrorCode::invalid_catalog, std::to_string(count) + " problem" + (count == 1 ? "" : "s") +
                                                              " found in " + std::to_string(loaded.files_read) +
                                                              " catalog files"));
}

} // namespace

void add_catalog_command(CLI::App& app, AppContext& context) {
    CLI::App& catalog = add_command_group(app, "catalog", "Work with catalog files");
    auto [validate, paths] =
        add_command(catalog, context, "validate",
                    "Check catalog files and print every problem (without PATH: the catalogs in effect)", run_validate);
    validate->add_option("paths", *paths, "Catalog .json files or directories of them");
}

} // namespace cxrcat::cli
