// SPDX-License-Identifier: Apache-2.0
// `cxrcat mirror export DIR [ID...]`: a content-addressed copy of installed datasets for a team mirror.
#include "commands.hpp"
#include "cxrcat/dataset_state.hpp"
#include "cxrcat/mirror_export.hpp"
#include "cxrcat/text.hpp"

#include <iostream>

namespace cxrcat::cli {

namespace {

struct MirrorOptions {
    std::string directory;
    std::vector<std::string> ids;
    bool internal = false;
};

int run_export(AppContext& context, const MirrorOptions& options) {
    auto catalog = context.catalog();
    if (!catalog) {
        return context.fail(catalog.error());
    }
    std::vector<const Dataset*> datasets;
    if (options.ids.empty()) {
        // Every installed dataset.
        for (const auto& dataset : (*catalog)->datasets()) {
            if (std::filesystem::exists(state_dir(context.paths().dataset_dir(dataset.id)) / "state.json")) {
                datasets.push_back(&dataset);
            }
        }
    }
    for (const auto& id : options.ids) {
        auto found = context.dataset(id);
        if (!found) {
            return context.fail(found.error());
        }
        datasets.push_back(*found);
    }
    if (datasets.empty()) {
        return context.fail(
            Error(ErrorCode::not_found, "nothing is installed to export", {"run cxrcat fetch ID first"}));
    }
    auto report = export_mirror(options.directory, datasets, context.paths(), options.internal);
    if (!report) {
        return context.fail(report.error());
    }
    for (const auto& warning : report->warnings) {
        context.warn(warning);
    }
    std::cout << "exported " << report->files << " files (" << human_size(report->bytes) << ") of "
              << join(report->datasets, ", ") << " to " << options.directory << '\n';
    if (options.internal) {
        context.notice("internal mirror: see NOTICE.txt; it must stay inside the organisation that holds the rights");
    }
    return 0;
}

} // namespace

void add_mirror_command(CLI::App& app, AppContext& context) {
    CLI::App* command = app.add_subcommand("mirror", "Build mirrors for teams and air-gapped CI");
    command->require_subcommand(1);
    auto options = std::make_shared<MirrorOptions>();
    CLI::App* export_command = command->add_subcommand(
        "export", "Lay out installed, verified files as DIR/sha256/<hex> (+ md5/<hex>) with DIR/index.json");
    export_command->add_option("dir", options->directory, "Mirror directory")->required();
    export_command->add_option("ids", options->ids, "Datasets to export (default: every installed one)");
    export_command->add_flag("--internal", options->internal,
                             "Also export datasets whose terms forbid redistribution, for a mirror that stays inside "
                             "the organisation holding the access rights (writes NOTICE.txt)");
    add_help_footer(*command);
    add_help_footer(*export_command);
    export_command->callback([&context, options] { context.exit_code = run_export(context, *options); });
}

} // namespace cxrcat::cli
