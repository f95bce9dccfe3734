// SPDX-License-Identifier: Apache-2.0
#include "verify_decode_output.hpp"

#include "cxrcat/base/text.hpp"

#include <iostream>

namespace cxrcat::cli {

namespace {

std::string words_of(const DecodeItem& item) {
    std::string out = item.check.ok() ? "" : item.check.check + ": " + item.check.detail;
    for (const auto& warning : item.check.warnings) {
        out += (out.empty() ? "" : "; ") + warning;
    }
    return out;
}

} // namespace

void print_decode_report(const DecodeReport& report) {
    for (const auto& item : report.items) {
        if (item.status == DecodeStatus::ok) {
            continue;
        }
        std::cout << to_string(item.status) << "  " << report.dataset_id << "/" << item.path << "  "
                  << to_string(item.check.format) << "  " << words_of(item);
        if (item.erratum) {
            std::cout << "  (known erratum: " << to_string(item.erratum->problem) << ", " << item.erratum->source
                      << ")";
        }
        std::cout << '\n';
    }
    std::cout << report.dataset_id << ": " << report.items.size()
              << " images checked: " << report.count(DecodeStatus::ok) << " ok, " << report.count(DecodeStatus::warning)
              << " with warnings, " << report.count(DecodeStatus::known) << " known errata, "
              << report.count(DecodeStatus::failed) << " new failures; " << report.skipped
              << " non-image files skipped\n";
}

void add_decode_rows(const DecodeReport& report, nlohmann::json& rows) {
    for (const auto& item : report.items) {
        nlohmann::json row = {{"dataset", report.dataset_id},
                              {"path", item.path},
                              {"format", to_string(item.check.format)},
                              {"status", to_string(item.status)},
                              {"check", item.check.check},
                              {"detail", item.check.detail},
                              {"warnings", item.check.warnings},
                              {"description", item.check.description}};
        if (item.erratum) {
            row["erratum"] = {{"problem", to_string(item.erratum->problem)}, {"source", item.erratum->source}};
        }
        rows.push_back(std::move(row));
    }
}

nlohmann::json decode_summary(const DecodeReport& report) {
    return {{"dataset", report.dataset_id},
            {"images", report.items.size()},
            {"ok", report.count(DecodeStatus::ok)},
            {"warning", report.count(DecodeStatus::warning)},
            {"known", report.count(DecodeStatus::known)},
            {"failed", report.count(DecodeStatus::failed)},
            {"skipped", report.skipped}};
}

nlohmann::json errata_entries(const DecodeReport& report) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& erratum : errata_from(report, "cxrcat verify --decode (describe where you found it)")) {
        out.push_back({{"path", erratum.path},
                       {"problem", to_string(erratum.problem)},
                       {"source", erratum.source},
                       {"note", erratum.note}});
    }
    return out;
}

} // namespace cxrcat::cli
