// SPDX-License-Identifier: Apache-2.0
// `cxrcat status [ID...]`: per dataset, files and bytes installed out of the selection.
#include "commands.hpp"
#include "cxrcat/base/text.hpp"
#include "cxrcat/fetch/fetch.hpp"
#include "file_filter_flags.hpp"

#include <iostream>

namespace cxrcat::cli {

namespace {

struct StatusCommandOptions {
    std::vector<std::string> ids;
    FileFilterFlags filters;
    std::string format = "text";
    std::string to; // a bucket prefix the datasets were installed into (fetch --to s3://)
};

struct DatasetStatus {
    std::string id;
    std::size_t files_selected = 0;
    std::size_t files_installed = 0;
    std::uint64_t bytes_selected = 0;
    std::uint64_t bytes_installed = 0;
    std::size_t unknown_sizes = 0;
};

DatasetStatus status_of(const FetchPlan& plan) {
    DatasetStatus status;
    status.id = plan.dataset_id;
    for (const auto& file : plan.files) {
        ++status.files_selected;
        status.bytes_selected += file.size.value_or(0);
        status.unknown_sizes += file.size ? 0U : 1U;
        if (file.verified) {
            ++status.files_installed;
            status.bytes_installed += file.size.value_or(0);
        }
    }
    return status;
}

// Datasets of the catalog that have a directory under the data home, when no id is given.
std::vector<std::string> installed_ids(AppContext& context) {
    std::vector<std::string> ids;
    auto catalog = context.catalog();
    if (!catalog) {
        return ids;
    }
    for (const auto& dataset : (*catalog)->datasets()) {
        std::error_code ec;
        if (std::filesystem::is_directory(context.paths().dataset_dir(dataset.id), ec)) {
            ids.push_back(dataset.id);
        }
    }
    return ids;
}

int run_status(AppContext& context, const StatusCommandOptions& options) {
    auto fetch = make_plan_options(context, options.filters);
    if (!fetch) {
        return context.fail(fetch.error());
    }
    fetch->to = options.to;
    if (!options.to.empty() && options.ids.empty()) {
        return context.fail(
            Error(ErrorCode::usage, "status --to needs the dataset ids to look up under " + options.to));
    }
    std::vector<std::string> ids = options.ids.empty() ? installed_ids(context) : options.ids;
    nlohmann::json records = nlohmann::json::array();
    int exit = 0;
    for (const auto& id : ids) {
        auto dataset = context.dataset(id);
        if (!dataset) {
            int code = context.fail(dataset.error());
            exit = exit == 0 ? code : exit;
            continue;
        }
        auto plan = plan_fetch(**dataset, context.paths(), *fetch);
        if (!plan) {
            int code = context.fail(plan.error());
            exit = exit == 0 ? code : exit;
            continue;
        }
        DatasetStatus status = status_of(*plan);
        if (options.format == "json") {
            records.push_back({{"id", status.id},
                               {"destination", plan->destination.string()},
                               {"files_installed", status.files_installed},
                               {"files_selected", status.files_selected},
                               {"bytes_installed", status.bytes_installed},
                               {"bytes_selected", status.bytes_selected},
                               {"unknown_sizes", status.unknown_sizes},
                               {"complete", status.files_installed == status.files_selected}});
            continue;
        }
        std::cout << status.id << "  " << group_thousands(status.files_installed) << " of "
                  << group_thousands(status.files_selected) << " files, " << human_size(status.bytes_installed)
                  << " of " << human_size(status.bytes_selected)
                  << (status.unknown_sizes ? " (+ " + std::to_string(status.unknown_sizes) + " of unknown size)" : "")
                  << " installed" << (status.files_installed == status.files_selected ? "  complete" : "") << '\n';
    }
    if (options.format == "json") {
        std::cout << nlohmann::json{{"datasets", records}, {"exit_code", exit}}.dump(2) << '\n';
    } else if (ids.empty()) {
        context.notice("nothing is installed in " + context.paths().dataset_dir("").string());
    }
    return exit;
}

} // namespace

void add_status_command(CLI::App& app, AppContext& context) {
    auto [command, options] = add_command(
        app, context, "status", "Files and bytes installed out of each dataset's selection (no download)", run_status);
    command->add_option("ids", options->ids, "Dataset ids or aliases (default: every dataset with a directory)");
    add_file_filter_flags(*command, options->filters);
    add_format_option(*command, options->format, {"text", "json"}, "Output: text, or json");
    command->add_option("--to", options->to,
                        "Look in the bucket prefix the datasets were fetched into (s3://BUCKET/PREFIX, as fetch --to)");
    add_selection_flags(*command, options->filters.selection);
}

} // namespace cxrcat::cli
