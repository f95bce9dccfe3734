// SPDX-License-Identifier: Apache-2.0
#include "cxrcat/decode/decode_verify.hpp"

#include "base/parallel_for.hpp"
#include "cxrcat/verify/verify.hpp"

#include <algorithm>
#include <set>

namespace cxrcat {

namespace {

struct Work {
    std::string path;
    std::optional<ImageFormat> format;
};

// Checks that mean the file ends early; the rest mean its bytes are wrong.
ErratumProblem problem_of(const std::string& check) {
    static const std::set<std::string, std::less<>> k_truncation{"truncated", "eoi",  "iend",        "pixel-length",
                                                                 "fragments", "size", "data-length", "gzip-trailer"};
    return k_truncation.contains(check) ? ErratumProblem::truncated : ErratumProblem::corrupt;
}

} // namespace

std::size_t DecodeReport::count(DecodeStatus status) const {
    return static_cast<std::size_t>(
        std::count_if(items.begin(), items.end(), [&](const DecodeItem& item) { return item.status == status; }));
}

DecodeStatus decode_status(const ImageCheck& check, const Erratum* erratum, bool strict) {
    bool bad = !check.ok() || (strict && !check.warnings.empty());
    if (bad) {
        return erratum != nullptr ? DecodeStatus::known : DecodeStatus::failed;
    }
    return check.warnings.empty() ? DecodeStatus::ok : DecodeStatus::warning;
}

Result<DecodeReport> verify_decode(const Dataset& dataset, const Paths& paths, const DecodeOptions& options) {
    auto installed = open_installed(dataset, paths, "cxrcat verify --decode " + dataset.id);
    if (!installed) {
        return installed.error();
    }
    const std::filesystem::path& directory = installed->directory;
    DecodeReport report;
    report.dataset_id = dataset.id;
    std::vector<Work> work;
    for (const auto& [path, file] : installed->state.files) {
        work.push_back({path, image_format_of_file(directory / path)});
    }
    std::vector<std::optional<DecodeItem>> results(work.size());
    // Each worker holds one file's decode at a time: peak memory is one image per worker.
    parallel_for(work.size(), options.threads, [&](std::size_t i) {
        if (!work[i].format) {
            return;
        }
        DecodeItem item;
        item.path = work[i].path;
        item.check = check_image(directory / work[i].path, *work[i].format);
        const Erratum* erratum = find_erratum(dataset, item.path);
        item.status = decode_status(item.check, erratum, options.strict);
        if (erratum != nullptr) {
            item.erratum = *erratum;
        }
        results[i] = std::move(item);
    });
    for (auto& result : results) {
        if (result) {
            report.items.push_back(std::move(*result));
        } else {
            ++report.skipped;
        }
    }
    return report;
}

std::vector<Erratum> errata_from(const DecodeReport& report, const std::string& source) {
    std::vector<Erratum> out;
    for (const auto& item : report.items) {
        if (item.status == DecodeStatus::failed) {
            std::string detail = item.check.ok() ? "content: " + item.check.warnings.front()
                                                 : item.check.check + ": " + item.check.detail;
            out.push_back({item.path, item.check.ok() ? ErratumProblem::corrupt : problem_of(item.check.check), source,
                           std::string(to_string(item.check.format)) + " " + detail});
        }
    }
    return out;
}

} // namespace cxrcat
