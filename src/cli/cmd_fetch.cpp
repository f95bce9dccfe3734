// SPDX-License-Identifier: Apache-2.0
// `cxrcat fetch ID...`: download, verify and install datasets (or show the plan with --dry-run).
#include "commands.hpp"
#include "cxrcat/access/terms_ledger.hpp"
#include "cxrcat/base/text.hpp"
#include "cxrcat/fetch/fetch.hpp"
#include "file_filter_flags.hpp"
#include "label_selection_step.hpp"
#include "output.hpp"
#include "progress.hpp"
#include "terms_gate.hpp"
#include "transfer_flags.hpp"

#include <array>
#include <cstdlib>
#include <iostream>
#include <type_traits>

namespace cxrcat::cli {

namespace {

struct FetchCommandOptions {
    std::vector<std::string> ids;
    FileFilterFlags filters; // --include, --exclude, --manifest and the selection flags
    bool dry_run = false;
    std::string format = "text";
    std::string from;
    std::string source;
    TransferFlags transfer;
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

// Errors: those of make_selection.
Result<FetchOptions> library_options(AppContext& context, const FetchCommandOptions& options) {
    FetchOptions out = make_fetch_options(context, options.transfer);
    if (auto applied = apply_file_filters(context, options.filters, out); !applied) {
        return applied.error();
    }
    out.source = options.source;
    if (!options.from.empty()) {
        out.from = std::filesystem::absolute(options.from);
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

// Why a file of a plan or a report failed, or nullptr when it did not.
const Error* file_failure(const PlannedFile& file) {
    return file.unavailable ? &*file.unavailable : nullptr;
}

const Error* file_failure(const FileResult& file) {
    return file.status == TransferStatus::failed && file.error ? &*file.error : nullptr;
}

// Shows one dataset's plan or report after its warnings, then each file's failure: returns the first
// failure's exit code (0 when none).
template <typename Outcome> int render_outcome(AppContext& context, const Outcome& outcome, nlohmann::json* json) {
    context.warn_all(outcome.warnings);
    if constexpr (std::is_same_v<Outcome, FetchPlan>) {
        print_plan(outcome, json);
    } else {
        print_report(outcome, json);
    }
    int exit = 0;
    for (const auto& file : outcome.files) {
        if (const Error* failure = file_failure(file)) {
            int code = context.fail(*failure);
            exit = exit == 0 ? code : exit;
        }
    }
    return exit;
}

// What the report leaves to a person: the manual steps, what --from lacked, the alternatives.
Error manual_step_error(const Dataset& dataset, const FetchReport& report, bool from_given) {
    Error manual(ErrorCode::manual_step, dataset.id + ": part of this dataset must be downloaded by hand (" +
                                             std::string(to_string(dataset.access.access_class)) + ")");
    for (std::size_t i = 0; i < report.manual_steps.size(); ++i) {
        manual.note(std::to_string(i + 1) + ". " + report.manual_steps[i]);
    }
    if (!report.missing_local.empty()) {
        manual.note("not found under --from: " + join(report.missing_local, ", "));
    }
    if (!report.local_alternatives.empty()) {
        manual.note(std::string(from_given ? "--from holds the files of no alternative completely; " : "") +
                    "any one of these alternatives will do (--source NAME picks one):");
        for (const auto& alternative : report.local_alternatives) {
            manual.note(alternative);
        }
    }
    manual.note("then run: cxrcat fetch " + dataset.id + " --from PATH");
    return manual;
}

// fetch --where on the labels of a dataset shipped in archives: what the extractions installed.
void notice_selected_members(const AppContext& context, const FetchReport& report) {
    std::size_t archives = 0;
    std::size_t installed = 0;
    std::size_t skipped = 0;
    for (const auto& file : report.files) {
        if (file.extracted_files > 0 || file.members_not_selected > 0) {
            ++archives;
            installed += file.extracted_files;
            skipped += file.members_not_selected;
        }
    }
    if (archives > 0) {
        context.notice(report.dataset_id + ": installed " + std::to_string(installed) + " member(s) of " +
                       std::to_string(archives) + " archive(s), skipped " + std::to_string(skipped) +
                       " as not selected");
    }
}

// Fetches one dataset (after its terms are accepted): returns the first failure's exit code.
int fetch_one(AppContext& context, const Dataset& dataset, const FetchCommandOptions& options,
              FetchOptions& fetch_options, nlohmann::json* json) {
    if (auto accepted = ensure_terms_accepted(context, dataset, options.transfer.accept_terms); !accepted) {
        return context.fail(accepted.error());
    }
    // The ledger must outlive the pointer find() returns.
    TermsLedger ledger = TermsLedger::open(context.paths().terms_ledger());
    if (const Acceptance* acceptance = ledger.find(dataset.id)) {
        fetch_options.accepted_at = acceptance->accepted_at;
    }
    // Said before any request: offline, the network error would otherwise hide the real problem.
    context.warn_all(context.credentials().missing_for(dataset));
    fetch_options.holder_description = "cxrcat fetch " + dataset.id;
    fetch_options.on_lock_wait = [&context, &dataset](const std::string& holder) {
        context.notice("waiting for " + holder + " (it holds the lock on " + dataset.id + ")");
    };
    auto progress = make_progress(options.transfer.progress);
    auto report = fetch_dataset(dataset, context.paths(), fetch_options, progress.get());
    progress.reset();
    if (!report) {
        return context.fail(report.error());
    }
    int exit = render_outcome(context, *report, json);
    if (fetch_options.members) {
        notice_selected_members(context, *report);
    }
    if (!report->manual_steps.empty() &&
        (!fetch_options.from || !report->missing_local.empty() || !report->local_alternatives.empty())) {
        int code = context.fail(manual_step_error(dataset, *report, fetch_options.from.has_value()));
        exit = exit == 0 ? code : exit;
    }
    return exit;
}

int run_fetch(AppContext& context, const FetchCommandOptions& options) {
    auto datasets = context.datasets(options.ids);
    if (!datasets) {
        return context.fail(datasets.error());
    }
    auto fetch_options = library_options(context, options);
    if (!fetch_options) {
        return context.fail(fetch_options.error());
    }
    bool json_output = options.format == "json";
    nlohmann::json records = nlohmann::json::array();
    nlohmann::json* json = json_output ? &records : nullptr;
    int exit = 0;
    for (const Dataset* dataset : *datasets) {
        int code = 0;
        auto narrowed = apply_label_selection(context, *dataset, *fetch_options, options.transfer.accept_terms);
        if (!narrowed) {
            code = context.fail(narrowed.error());
        } else if (options.dry_run) {
            auto plan = plan_fetch(*dataset, context.paths(), *narrowed);
            code = plan ? render_outcome(context, *plan, json) : context.fail(plan.error());
        } else {
            code = fetch_one(context, *dataset, options, *narrowed, json);
        }
        exit = exit == 0 ? code : exit;
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
    auto [command, options] = add_command(app, context, "fetch", "Download, verify and install datasets", run_fetch);
    add_dataset_ids(*command, options->ids);
    add_glob_filter_flags(*command, options->filters);
    command->add_flag("--dry-run", options->dry_run,
                      "Show files, sizes, what is already verified, destination and free space; download nothing");
    command
        ->add_option("--from", options->from,
                     "Install files you downloaded by hand (a file or a directory of them): verified, then "
                     "hard-linked or copied; your files are never moved or changed")
        ->type_name("PATH")
        ->check(CLI::ExistingPath);
    add_file_option(*command, "--manifest", options->filters.manifest,
                    "IDC series manifest (s5cmd 'cp s3://bucket/<series uuid>/* ...' lines from the IDC portal or "
                    "idc-index) for a cohort chosen there, instead of the whole collection (nlst, lidc-idri)");
    command
        ->add_option("--source", options->source,
                     "Use this provider among a dataset's alternative sources (e.g. tcia for lidc-idri) instead of "
                     "the first reachable one; sources of one provider by their name (e.g. legacy-small for "
                     "chexpert --from)")
        ->type_name("PROVIDER");
    add_result_format_option(*command, options->format);
    add_transfer_flags(*command, options->transfer);
    add_selection_flags(*command, options->filters.selection);
}

} // namespace cxrcat::cli
