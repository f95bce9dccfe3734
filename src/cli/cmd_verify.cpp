// SPDX-License-Identifier: Apache-2.0
// `cxrcat verify ID...`: re-hash every installed file on every core; exit 5 when any is bad.
#include "commands.hpp"
#include "cxrcat/text.hpp"
#include "cxrcat/verify.hpp"

#include <iostream>

namespace cxrcat::cli {

namespace {

struct VerifyOptions {
    std::vector<std::string> ids;
    std::string format = "text";
    unsigned threads = 0;
};

int run_verify(AppContext& context, const VerifyOptions& options) {
    int exit = 0;
    nlohmann::json records = nlohmann::json::array();
    for (const auto& id : options.ids) {
        auto dataset = context.dataset(id);
        if (!dataset) {
            return context.fail(dataset.error());
        }
        auto report = verify_dataset(**dataset, context.paths(), options.threads);
        if (!report) {
            int code = context.fail(report.error());
            exit = exit == 0 ? code : exit;
            continue;
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
                std::cout << to_string(item.status) << "  " << report->dataset_id << "/" << item.path << "  "
                          << item.detail << '\n';
            }
        }
        if (options.format != "json") {
            std::cout << report->dataset_id << ": " << report->items.size() - bad << " of " << report->items.size()
                      << " files ok (" << human_size(report->bytes_hashed) << " hashed)\n";
        }
        if (bad > 0) {
            int code = context.fail(Error(ErrorCode::integrity,
                                          report->dataset_id + ": " + std::to_string(bad) + " file" +
                                              (bad == 1 ? " is" : "s are") + " missing or corrupt",
                                          {"run: cxrcat fetch " + report->dataset_id + " to repair"}));
            exit = exit == 0 ? code : exit;
        }
    }
    if (options.format == "json") {
        std::cout << nlohmann::json{{"files", records}, {"exit_code", exit}}.dump(2) << '\n';
    }
    return exit;
}

} // namespace

void add_verify_command(CLI::App& app, AppContext& context) {
    auto [command, options] =
        add_command(app, context, "verify", "Re-hash installed files and report missing or corrupt ones", run_verify);
    command->add_option("ids", options->ids, "Dataset ids or aliases")->required();
    add_format_option(*command, options->format, {"text", "json"});
    command->add_option("-j,--threads", options->threads, "Hashing threads (0 = every core)")->capture_default_str();
}

} // namespace cxrcat::cli
