// SPDX-License-Identifier: Apache-2.0
// `cxrcat fetch ID...`: download, verify and install datasets (or show the plan with --dry-run).
#include "commands.hpp"
#include "cxrcat/fetch.hpp"
#include "cxrcat/terms_ledger.hpp"
#include "cxrcat/text.hpp"
#include "output.hpp"
#include "progress.hpp"
#include "selection_flags.hpp"
#include "terms_gate.hpp"
#include "transfer_flags.hpp"

#include <array>
#include <cstdlib>
#include <iostream>

namespace cxrcat::cli {

namespace {

struct FetchCommandOptions {
    std::vector<std::string> ids;
    std::vector<std::string> include;
    std::vector<std::string> exclude;
    bool dry_run = false;
    std::string format = "text";
    std::string from;
    std::string manifest;
    std::string source;
    TransferFlags transfer;
    SelectionFlags selection;
};

// Series lines shown by a text dry run before the rest is summed up (NLST has about 200,000).
constexpr std::size_t k_series_lines_shown = 20;

nlohmann::json error_json(const Error& error) {
    nlohmann::json out = {{"code", describe(error.code())},
                          {"exit_code", exit_code(error.code())},
                          {"message", error.message()},
                          {"notes", error.notes()}};
    if (error.http()) {
        // The failed answer's facts, for scripts that branch on them.
        out["http_status"] = error.http()->status;
        out["provider_code"] = error.http()->provider_code;
    }
    return out;
}

FetchOptions library_options(AppContext& context, const FetchCommandOptions& options) {
    FetchOptions out = make_fetch_options(context, options.transfer);
    out.include = options.include;
    out.exclude = options.exclude;
    out.source = options.source;
    if (!options.from.empty()) {
        out.from = std::filesystem::absolute(options.from);
    }
    if (!options.manifest.empty()) {
        out.providers.manifest = std::filesystem::absolute(options.manifest);
    }
    return out;
}

void print_plan(const FetchPlan& plan, nlohmann::json* json) {
    std::size_t series = 0;
    std::uint64_t series_files = 0;
    std::uint64_t series_bytes = 0;
    // Series fetched as one zip each (TCIA): [0] count, [1] files, [2] bytes.
    std::array<std::uint64_t, 3> zipped{};
    for (const auto& file : plan.files) {
        if (file.source.series_files > 0) {
            ++series;
            series_files += file.source.series_files;
            series_bytes += file.size.value_or(0);
        }
        if (file.source.series_files > 0 && !file.source.member_checksums.empty()) {
            zipped = {zipped[0] + 1, zipped[1] + file.source.series_files, zipped[2] + file.size.value_or(0)};
        }
    }
    if (json != nullptr) {
        nlohmann::json files = nlohmann::json::array();
        for (const auto& file : plan.files) {
            nlohmann::json entry = {{"path", file.path},
                                    {"url", file.url},
                                    {"size", file.size ? nlohmann::json(*file.size) : nlohmann::json()},
                                    {"digests", digests_to_json(file.digests)},
                                    {"digest_origin", file.digest_origin},
                                    {"extract", file.extract},
                                    {"status", file.unavailable ? "unavailable"
                                               : file.verified  ? "verified"
                                                                : "to-download"},
                                    {"error", file.unavailable ? error_json(*file.unavailable) : nlohmann::json()}};
            if (file.source.series_files > 0) {
                entry["series_files"] = file.source.series_files;
            }
            if (!file.source.metadata.empty()) {
                entry["metadata"] = file.source.metadata;
            }
            if (!file.split_archive.empty()) {
                entry["part_of"] = file.split_archive; // extracted with the other parts, as one archive
            }
            files.push_back(std::move(entry));
        }
        json->push_back({{"id", plan.dataset_id},
                         {"destination", plan.destination.string()},
                         {"files", files},
                         {"series", series},
                         {"bytes_to_download", plan.bytes_to_download},
                         {"unknown_sizes", plan.unknown_sizes},
                         {"bytes_needed", plan.bytes_needed},
                         {"free_bytes", plan.free_bytes ? nlohmann::json(*plan.free_bytes) : nlohmann::json()},
                         {"inodes_needed", plan.inodes_needed},
                         {"free_inodes", plan.free_inodes ? nlohmann::json(*plan.free_inodes) : nlohmann::json()},
                         {"shard", {{"index", plan.shard.index}, {"count", plan.shard.count}}},
                         {"selected_files", plan.selected_files},
                         {"selected_bytes", plan.selected_bytes},
                         {"manual_steps", plan.manual_steps},
                         {"warnings", plan.warnings}});
        return;
    }
    std::cout << plan.dataset_id << " → " << plan.destination.string();
    if (plan.shard.active()) {
        std::cout << "  (shard " << plan.shard.index << "/" << plan.shard.count << ": " << plan.files.size() << " of "
                  << plan.selected_files << " selected files)";
    }
    std::cout << '\n';
    std::size_t series_shown = 0;
    for (const auto& file : plan.files) {
        if (file.unavailable) {
            std::cout << "  unavailable  " << file.path << "  (" << file.unavailable->message() << ")\n";
            continue;
        }
        if (file.source.series_files > 0 && ++series_shown > k_series_lines_shown) {
            continue;
        }
        std::cout << "  " << (file.verified ? "verified     " : "to download  ") << file.path
                  << (file.source.series_files > 0 ? "/  (" + group_thousands(file.source.series_files) + " files)"
                                                   : "")
                  << "  " << (file.size ? human_size(*file.size) : "size unknown")
                  << (file.digests.empty() && file.source.series_files == 0 ? "  (no published checksum)" : "")
                  << (file.extract ? "  (extract)" : "")
                  << (file.split_archive.empty() ? "" : "  (part of " + file.split_archive + ")") << '\n';
    }
    if (series_shown > k_series_lines_shown) {
        std::cout << "  ... and " << group_thousands(series_shown - k_series_lines_shown) << " more series\n";
    }
    if (series > zipped[0]) {
        std::cout << "  " << group_thousands(series - zipped[0]) << " series ("
                  << group_thousands(series_files - zipped[1]) << " files), " << human_size(series_bytes - zipped[2])
                  << " from the IDC API; their files are listed when they are fetched\n";
    }
    if (zipped[0] > 0) {
        std::cout << "  " << group_thousands(zipped[0]) << " series (" << group_thousands(zipped[1]) << " files), "
                  << human_size(zipped[2])
                  << " from the NBIA API; each comes as one zip whose files are checked against its md5hashes.csv\n";
    }
    std::cout << "  total to download: " << human_size(plan.bytes_to_download)
              << (plan.unknown_sizes ? " + " + std::to_string(plan.unknown_sizes) + " files of unknown size" : "")
              << "; free space: " << (plan.free_bytes ? human_size(*plan.free_bytes) : "unknown") << '\n';
    for (std::size_t i = 0; i < plan.manual_steps.size(); ++i) {
        std::cout << (i == 0 ? "  by hand:\n" : "") << "    " << i + 1 << ". " << plan.manual_steps[i] << '\n';
    }
}

void print_report(const FetchReport& report, nlohmann::json* json) {
    for (const auto& file : report.files) {
        if (json != nullptr) {
            nlohmann::json record = {{"dataset", report.dataset_id},
                                     {"path", file.path},
                                     {"status", to_string(file.status)},
                                     {"bytes", file.bytes},
                                     {"bytes_received", file.bytes_received},
                                     {"digests", digests_to_json(file.digests)},
                                     {"notes", file.notes}};
            record["error"] = file.error ? error_json(*file.error) : nlohmann::json();
            json->push_back(record);
            continue;
        }
        if (file.status == TransferStatus::failed) {
            continue; // reported as an error on stderr
        }
        std::cout << to_string(file.status) << "  " << report.dataset_id << "/" << file.path << "  "
                  << human_size(file.bytes);
        if (file.extracted_files > 0) {
            std::cout << "  (extracted " << file.extracted_files << " files)";
        }
        std::cout << '\n';
        for (const auto& note : file.notes) {
            std::cout << "  note: " << note << '\n';
        }
    }
}

int run_fetch(AppContext& context, const FetchCommandOptions& options) {
    std::vector<const Dataset*> datasets;
    for (const auto& id : options.ids) {
        auto found = context.dataset(id);
        if (!found) {
            return context.fail(found.error());
        }
        datasets.push_back(*found);
    }
    FetchOptions fetch_options = library_options(context, options);
    auto selection = make_selection(context, options.selection);
    if (!selection) {
        return context.fail(selection.error());
    }
    fetch_options.selection = std::move(*selection);
    bool json_output = options.format == "json";
    nlohmann::json records = nlohmann::json::array();
    int exit = 0;
    auto remember = [&exit](int code) {
        if (exit == 0) {
            exit = code;
        }
    };
    for (const Dataset* dataset : datasets) {
        if (options.dry_run) {
            auto plan = plan_fetch(*dataset, context.paths(), fetch_options);
            if (!plan) {
                remember(context.fail(plan.error()));
                continue;
            }
            for (const auto& warning : plan->warnings) {
                context.warn(warning);
            }
            print_plan(*plan, json_output ? &records : nullptr);
            for (const auto& file : plan->files) {
                if (file.unavailable) {
                    remember(context.fail(*file.unavailable));
                }
            }
            continue;
        }
        if (auto accepted = ensure_terms_accepted(context, *dataset, options.transfer.accept_terms); !accepted) {
            remember(context.fail(accepted.error()));
            continue;
        }
        // The ledger must outlive the pointer find() returns.
        TermsLedger ledger = TermsLedger::open(context.paths().terms_ledger());
        if (const Acceptance* acceptance = ledger.find(dataset->id)) {
            fetch_options.accepted_at = acceptance->accepted_at;
        }
        fetch_options.holder_description = "cxrcat fetch " + dataset->id;
        fetch_options.on_lock_wait = [&context, dataset](const std::string& holder) {
            context.notice("waiting for " + holder + " (it holds the lock on " + dataset->id + ")");
        };
        auto progress = make_progress(options.transfer.progress);
        auto report = fetch_dataset(*dataset, context.paths(), fetch_options, progress.get());
        progress.reset();
        if (!report) {
            remember(context.fail(report.error()));
            continue;
        }
        for (const auto& warning : report->warnings) {
            context.warn(warning);
        }
        print_report(*report, json_output ? &records : nullptr);
        for (const auto& file : report->files) {
            if (file.status == TransferStatus::failed && file.error) {
                remember(context.fail(*file.error));
            }
        }
        if (!report->manual_steps.empty() &&
            (!fetch_options.from || !report->missing_local.empty() || !report->local_alternatives.empty())) {
            Error manual(ErrorCode::manual_step, dataset->id + ": part of this dataset must be downloaded by hand (" +
                                                     std::string(to_string(dataset->access.access_class)) + ")");
            for (std::size_t i = 0; i < report->manual_steps.size(); ++i) {
                manual.note(std::to_string(i + 1) + ". " + report->manual_steps[i]);
            }
            if (!report->missing_local.empty()) {
                manual.note("not found under --from: " + join(report->missing_local, ", "));
            }
            if (!report->local_alternatives.empty()) {
                manual.note(
                    std::string(fetch_options.from ? "--from holds the files of no alternative completely; " : "") +
                    "any one of these alternatives will do (--source NAME picks one):");
                for (const auto& alternative : report->local_alternatives) {
                    manual.note(alternative);
                }
            }
            manual.note("then run: cxrcat fetch " + dataset->id + " --from PATH");
            remember(context.fail(manual));
        }
    }
    if (json_output) {
        nlohmann::json out = options.dry_run ? nlohmann::json{{"plans", records}} : nlohmann::json{{"files", records}};
        std::size_t downloaded = 0;
        std::size_t skipped = 0;
        std::size_t failed = 0;
        for (const auto& record : records) {
            std::string status = record.value("status", "");
            downloaded += status == "downloaded" ? 1U : 0U;
            skipped += status == "skipped" ? 1U : 0U;
            failed += status == "failed" ? 1U : 0U;
        }
        if (!options.dry_run) {
            out["summary"] = {{"downloaded", downloaded}, {"skipped", skipped}, {"failed", failed}};
        }
        out["exit_code"] = exit;
        std::cout << out.dump(2) << '\n';
    }
    return exit;
}

} // namespace

void add_fetch_command(CLI::App& app, AppContext& context) {
    auto options = std::make_shared<FetchCommandOptions>();
    CLI::App* command = app.add_subcommand("fetch", "Download, verify and install datasets");
    command->add_option("ids", options->ids, "Dataset ids or aliases")->required();
    command->add_option("--include", options->include, "Only files whose path (or name) matches GLOB (repeatable)")
        ->type_name("GLOB");
    command->add_option("--exclude", options->exclude, "Skip files whose path (or name) matches GLOB (repeatable)")
        ->type_name("GLOB");
    command->add_flag("--dry-run", options->dry_run,
                      "Show files, sizes, what is already verified, destination and free space; download nothing");
    command
        ->add_option("--from", options->from,
                     "Install files you downloaded by hand (a file or a directory of them): verified, then "
                     "hard-linked or copied; your files are never moved or changed")
        ->type_name("PATH")
        ->check(CLI::ExistingPath);
    command
        ->add_option("--manifest", options->manifest,
                     "IDC series manifest (s5cmd 'cp s3://bucket/<series uuid>/* ...' lines from the IDC portal or "
                     "idc-index) for a cohort chosen there, instead of the whole collection (nlst, lidc-idri)")
        ->type_name("FILE")
        ->check(CLI::ExistingFile);
    command
        ->add_option("--source", options->source,
                     "Use this provider among a dataset's alternative sources (e.g. tcia for lidc-idri) instead of "
                     "the first reachable one; sources of one provider by their name (e.g. legacy-small for "
                     "chexpert --from)")
        ->type_name("PROVIDER");
    command->add_option("--format", options->format, "Result output: text, or json (a record per file and a summary)")
        ->check(CLI::IsMember({"text", "json"}))
        ->type_name("text|json")
        ->capture_default_str();
    add_transfer_flags(*command, options->transfer);
    add_selection_flags(*command, options->selection);
    add_help_footer(*command);
    command->callback([&context, options] { context.exit_code = run_fetch(context, *options); });
}

} // namespace cxrcat::cli
