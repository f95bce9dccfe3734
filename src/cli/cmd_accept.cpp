// SPDX-License-Identifier: Apache-2.0
// `cxrcat accept ID...` records acceptance of the current terms; `accept --list` shows the record.
#include "commands.hpp"
#include "cxrcat/access/terms_ledger.hpp"
#include "output.hpp"

#include <iostream>

namespace cxrcat::cli {

namespace {

struct AcceptOptions {
    std::vector<std::string> ids;
    bool list = false;
    std::string format = "table";
};

int list_acceptances(AppContext& context, const TermsLedger& ledger, const std::string& format) {
    auto catalog = context.catalog();
    if (!catalog) {
        return context.fail(catalog.error());
    }
    auto state_of = [&](const Acceptance& entry) -> std::string {
        const Dataset* dataset = (*catalog)->find(entry.dataset_id);
        if (dataset == nullptr) {
            return "not-in-catalog";
        }
        return ledger.status(*dataset) == TermsStatus::accepted ? "current" : "lapsed";
    };
    auto entries = ledger.entries();
    if (format == "json") {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& entry : entries) {
            out.push_back({{"id", entry.dataset_id},
                           {"accepted_at", entry.accepted_at},
                           {"terms_sha256", entry.terms_sha256},
                           {"license", entry.license},
                           {"terms_url", entry.terms_url},
                           {"status", state_of(entry)}});
        }
        std::cout << out.dump(2) << '\n';
        return 0;
    }
    if (entries.empty()) {
        context.notice("no terms accepted yet (ledger: " + ledger.path().string() + ")");
        return 0;
    }
    Table table({"ID", "ACCEPTED", "STATUS", "LICENSE"});
    for (const auto& entry : entries) {
        table.add_row({entry.dataset_id, entry.accepted_at, state_of(entry), entry.license});
    }
    table.print(std::cout, output_width(), 3);
    return 0;
}

int run_accept(AppContext& context, const AcceptOptions& options) {
    TermsLedger ledger = TermsLedger::open(context.paths().terms_ledger());
    context.warn_all(ledger.warnings());
    if (options.list) {
        return list_acceptances(context, ledger, options.format);
    }
    if (options.ids.empty()) {
        return context.fail(Error(ErrorCode::usage, "accept needs at least one dataset id, or --list"));
    }
    // Resolve every id first so that a typo accepts nothing.
    auto datasets = context.datasets(options.ids);
    if (!datasets) {
        return context.fail(datasets.error());
    }
    std::string now = utc_now_iso8601();
    std::size_t warnings_seen = ledger.warnings().size();
    for (const Dataset* dataset : *datasets) {
        if (auto written = ledger.accept(*dataset, now); !written) {
            return context.fail(written.error());
        }
        std::cout << "accepted the terms of " << dataset->id << " (" << dataset->license.name << ")\n";
        if (dataset->access.access_class != AccessClass::open) {
            context.notice(dataset->id + " also needs: " + std::string(explain(dataset->access.access_class)));
        }
    }
    // Warnings raised while writing (the damaged file kept aside) come after the ones from reading.
    for (std::size_t i = warnings_seen; i < ledger.warnings().size(); ++i) {
        context.warn(ledger.warnings()[i]);
    }
    return 0;
}

} // namespace

void add_accept_command(CLI::App& app, AppContext& context) {
    auto [command, options] = add_command(
        app, context, "accept", "Record that you accept datasets' licence and terms (they lapse when the terms change)",
        run_accept);
    command->add_option("ids", options->ids, "Dataset ids or aliases");
    command->add_flag("--list", options->list, "Show what was accepted, when, and whether it still holds");
    add_format_option(*command, options->format, {"table", "json"}, "Output format of --list");
}

} // namespace cxrcat::cli
