// SPDX-License-Identifier: Apache-2.0
// `cxrcat verify ID...`: re-hash every installed file on every core; exit 5 when any is bad.
#include "commands.hpp"
#include "cxrcat/base/text.hpp"
#include "cxrcat/verify/verify.hpp"

#include <iostream>

namespace cxrcat::cli {

namespace {

struct VerifyOptions {
    std::vector<std::string> ids;
    std::string format = "text";
    unsigned threads = 0;
};

// Verifies one dataset, printing its bad files (or adding every file to records for json): its exit code.
int verify_one(AppContext& context, const Dataset& dataset, const VerifyOptions& options, nlohmann::json& records) {
    auto report = verify_dataset(dataset, context.paths(), options.threads);
    if (!report) {
        return context.fail(report.error());
    }
    std::size_t bad = 0;
    for (const auto& item : report->items) {
        bad += item.status == VerifyStatus::ok ? 0 : 1;
        if (options.format == "json") {
            records.push_back({{"dataset", report->dataset_id},
                               {"path", item.path},
                               {"status", to_string(item.status)},
                               {"detail", item.detail}});
        } else if (item.status != VerifyStatus::ok) {
            std::cout << to_string(item.status) << "  " << report->dataset_id << "/" << item.path << "  " << item.detail
                      << '\n';
        }
    }
    if (options.format != "json") {
        std::cout << report->dataset_id << ": " << report->items.size() - bad << " of " << report->items.size()
                  << " files ok (" << human_size(report->bytes_hashed) << " hashed)\n";
    }
    if (bad > 0) {
        return context.fail(Error(ErrorCode::integrity,
                                  report->dataset_id + ": " + std::to_string(bad) + " file" +
                                      (bad == 1 ? " is" : "s are") + " missing or corrupt",
                                  {"run: cxrcat fetch " + report->dataset_id + " to repair"}));
    }
    return 0;
}

int run_verify(AppContext& context, const VerifyOptions& options) {
    nlohmann::json records = nlohmann::json::array();
    auto exit = for_each_dataset(
        context, options.ids, [&](const Dataset& dataset) { return verify_one(context, dataset, options, records); });
    if (!exit) {
        return context.fail(exit.error());
    }
    if (options.format == "json") {
        std::cout << nlohmann::json{{"files", records}, {"exit_code", *exit}}.dump(2) << '\n';
    }
    return *exit;
}

} // namespace

void add_verify_command(CLI::App& app, AppContext& context) {
    auto [command, options] =
        add_command(app, context, "verify", "Re-hash installed files and report missing or corrupt ones", run_verify);
    add_dataset_ids(*command, options->ids);
    add_format_option(*command, options->format, {"text", "json"});
    command->add_option("-j,--threads", options->threads, "Hashing threads (0 = every core)")->capture_default_str();
}

} // namespace cxrcat::cli
