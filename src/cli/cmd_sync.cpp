// SPDX-License-Identifier: Apache-2.0
// `cxrcat sync`: everything in ./cxrcat.json, exactly as cxrcat.lock records it.
#include "commands.hpp"
#include "cxrcat/access/terms_ledger.hpp"
#include "cxrcat/base/text.hpp"
#include "cxrcat/fetch/sync.hpp"
#include "output.hpp"
#include "progress.hpp"
#include "selection_flags.hpp"
#include "terms_gate.hpp"
#include "transfer_flags.hpp"

#include <cstdlib>
#include <iostream>

namespace cxrcat::cli {

namespace {

struct SyncCommandOptions {
    std::string manifest = "cxrcat.json";
    bool frozen = false;
    bool offline = false;
    std::string format = "text";
    TransferFlags transfer;
    SelectionFlags selection;
};

int run_sync(AppContext& context, const SyncCommandOptions& options) {
    auto catalog = context.catalog();
    if (!catalog) {
        return context.fail(catalog.error());
    }
    auto manifest = read_manifest(options.manifest);
    if (!manifest) {
        return context.fail(manifest.error());
    }
    SyncOptions sync;
    sync.frozen = options.frozen;
    const char* offline_env = std::getenv("CXRCAT_OFFLINE"); // NOLINT(concurrency-mt-unsafe)
    sync.offline = options.offline || (offline_env != nullptr && std::string(offline_env) == "1");
    sync.fetch = make_fetch_options(context, options.transfer);
    auto selection = make_selection(context, options.selection);
    if (!selection) {
        return context.fail(selection.error());
    }
    // The manifest's per-dataset selection applies; flags given here override it for every dataset.
    sync.fetch.selection = std::move(*selection);
    sync.selection_flags_given =
        !options.selection.files_from.empty() || !options.selection.where.empty() ||
        (options.selection.sample_option != nullptr && options.selection.sample_option->count() > 0);
    sync.fetch.holder_description = "cxrcat sync " + manifest->path.string();
    sync.fetch.on_lock_wait = [&context](const std::string& holder) {
        context.notice("waiting for " + holder + " (it holds a dataset lock)");
    };
    sync.ensure_terms = [&context, &options](const Dataset& dataset) {
        return ensure_terms_accepted(context, dataset, options.transfer.accept_terms);
    };
    auto progress = make_progress(options.transfer.progress);
    auto report = sync_manifest(*manifest, **catalog, context.paths(), sync, progress.get());
    progress.reset();
    if (!report) {
        return context.fail(report.error());
    }
    nlohmann::json records = nlohmann::json::array();
    std::size_t downloaded = 0;
    std::size_t skipped = 0;
    std::size_t failed = 0;
    for (const auto& dataset : report->datasets) {
        if (dataset.up_to_date) {
            if (options.format != "json") {
                std::cout << "up to date  " << dataset.id << '\n';
            }
        }
        if (dataset.report) {
            context.warn_all(dataset.report->warnings);
            for (const auto& file : dataset.report->files) {
                downloaded += file.status == TransferStatus::downloaded ? 1U : 0U;
                skipped += file.status == TransferStatus::skipped ? 1U : 0U;
                failed += file.status == TransferStatus::failed ? 1U : 0U;
                if (options.format == "json") {
                    records.push_back(
                        {{"dataset", dataset.id},
                         {"path", file.path},
                         {"status", to_string(file.status)},
                         {"bytes", file.bytes},
                         {"bytes_received", file.bytes_received},
                         {"digests", digests_to_json(file.digests)},
                         {"digest_origin", file.digest_origin},
                         {"error", file.error ? nlohmann::json{{"code", describe(file.error->code())},
                                                               {"exit_code", exit_code(file.error->code())},
                                                               {"message", file.error->message()}}
                                              : nlohmann::json()}});
                } else if (file.status != TransferStatus::failed && !dataset.up_to_date) {
                    std::cout << to_string(file.status) << "  " << dataset.id << "/" << file.path << "  "
                              << human_size(file.bytes) << '\n';
                }
            }
        }
        if (dataset.error) {
            context.fail(*dataset.error);
        }
    }
    int exit = exit_code(report->error_code());
    if (options.format == "json") {
        nlohmann::json datasets = nlohmann::json::array();
        for (const auto& dataset : report->datasets) {
            datasets.push_back(
                {{"id", dataset.id},
                 {"up_to_date", dataset.up_to_date},
                 {"missing", dataset.missing},
                 {"error", dataset.error ? nlohmann::json(dataset.error->message()) : nlohmann::json()}});
        }
        std::cout << nlohmann::json{{"files", records},
                                    {"datasets", datasets},
                                    {"summary",
                                     {{"downloaded", downloaded},
                                      {"skipped", skipped},
                                      {"failed", failed},
                                      {"lock_written", report->lock_written},
                                      {"lock", report->lock_path.string()}}},
                                    {"exit_code", exit}}
                         .dump(2)
                  << '\n';
    } else if (report->lock_written) {
        context.notice("wrote " + report->lock_path.string());
    }
    return exit;
}

} // namespace

void add_sync_command(CLI::App& app, AppContext& context) {
    auto [command, options] = add_command(
        app, context, "sync",
        "Fetch every dataset in ./cxrcat.json and record the exact bytes in cxrcat.lock beside it", run_sync);
    command->add_option("--manifest", options->manifest, "The manifest to read")
        ->type_name("FILE")
        ->capture_default_str();
    command->add_flag("--frozen", options->frozen,
                      "Use only cxrcat.lock: fail with a diff when the catalog or upstream no longer match; "
                      "never rewrite the lock");
    command->add_flag("--offline", options->offline,
                      "Make no network request: check what is installed against the lock (also CXRCAT_OFFLINE=1)");
    add_result_format_option(*command, options->format);
    add_transfer_flags(*command, options->transfer);
    add_selection_flags(*command, options->selection);
}

} // namespace cxrcat::cli
