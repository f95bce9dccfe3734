// SPDX-License-Identifier: Apache-2.0
#include "file_filter_flags.hpp"

#include "commands.hpp"
#include "transfer_flags.hpp"

#include <filesystem>
#include <utility>

namespace cxrcat::cli {

void add_glob_filter_flags(CLI::App& command, FileFilterFlags& flags) {
    command.add_option("--include", flags.include, "Only files whose path (or name) matches GLOB (repeatable)")
        ->type_name("GLOB");
    command.add_option("--exclude", flags.exclude, "Skip files whose path (or name) matches GLOB (repeatable)")
        ->type_name("GLOB");
}

void add_file_filter_flags(CLI::App& command, FileFilterFlags& flags) {
    add_glob_filter_flags(command, flags);
    add_file_option(command, "--manifest", flags.manifest, "IDC series manifest, as for fetch");
}

Result<void> apply_file_filters(AppContext& context, const FileFilterFlags& filters, FetchOptions& fetch) {
    fetch.include = filters.include;
    fetch.exclude = filters.exclude;
    if (!filters.manifest.empty()) {
        fetch.providers.manifest = std::filesystem::absolute(filters.manifest);
    }
    auto selected = make_selection(context, filters.selection);
    if (!selected) {
        return selected.error();
    }
    fetch.selection = std::move(*selected);
    return {};
}

Result<FetchOptions> make_plan_options(AppContext& context, const FileFilterFlags& filters) {
    FetchOptions fetch = make_fetch_options(context, TransferFlags{});
    if (auto applied = apply_file_filters(context, filters, fetch); !applied) {
        return applied.error();
    }
    return fetch;
}

} // namespace cxrcat::cli
