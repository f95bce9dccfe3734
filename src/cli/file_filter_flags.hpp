// SPDX-License-Identifier: Apache-2.0
// Which files of a dataset plan and status look at: --include, --exclude and --manifest, with the
// selection flags, turned into the FetchOptions a plan is made with.
#pragma once

#include "app_context.hpp"
#include "cxrcat/fetch/fetch.hpp"
#include "selection_flags.hpp"

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace cxrcat::cli {

struct FileFilterFlags {
    std::vector<std::string> include;
    std::vector<std::string> exclude;
    std::string manifest;
    SelectionFlags selection; // added to the command by add_selection_flags
};

// Adds --include and --exclude.
void add_glob_filter_flags(CLI::App& command, FileFilterFlags& flags);

// Adds --include, --exclude and --manifest (worded "as for fetch"), not the selection flags.
void add_file_filter_flags(CLI::App& command, FileFilterFlags& flags);

// Sets fetch's include and exclude globs, manifest (made absolute) and selection from filters.
// Errors: those of make_selection.
[[nodiscard]] Result<void> apply_file_filters(AppContext& context, const FileFilterFlags& filters, FetchOptions& fetch);

// The options to plan with: the environment's defaults and no transfer flags, with the filters
// applied. Errors: those of make_selection.
[[nodiscard]] Result<FetchOptions> make_plan_options(AppContext& context, const FileFilterFlags& filters);

} // namespace cxrcat::cli
