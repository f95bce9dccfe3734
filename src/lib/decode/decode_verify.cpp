// SPDX-License-Identifier: Apache-2.0
#include "cxrcat/decode/decode_verify.hpp"

#include "base/parallel_for.hpp"
#include "cxrcat/verify/verify.hpp"

#include <algorithm>
#include <map>
#include <mutex>
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

void compare_with_declared(const Dataset& dataset, ImageCheck& check) {
    if (!dataset.pixels || !check.ok() || (check.bit_depth == 0 && check.colour.empty())) {
        return;
    }
    const PixelDeclaration& declared = *dataset.pixels;
    bool depth_differs = check.bit_depth != 0 && check.bit_depth != declared.bit_depth;
    bool colour_differs = !check.colour.empty() && check.colour != declared.colour;
    if (depth_differs || colour_differs) {
        check.warnings.push_back("declared: the catalog declares " + std::to_string(declared.bit_depth) + "-bit " +
                                 declared.colour + " images (" + declared.source + "); this one is " +
                                 (check.bit_depth != 0 ? std::to_string(check.bit_depth) + "-bit " : "") +
                                 check.colour);
    }
}

DecodeStatus decode_status(const ImageCheck& check, const Erratum* erratum, bool strict) {
    bool bad = !check.ok() || (strict && !check.warnings.empty());
    if (bad) {
        return erratum != nullptr ? DecodeStatus::known : DecodeStatus::failed;
    }
    return check.warnings.empty() ? DecodeStatus::ok : DecodeStatus::warning;
}

namespace {

// The check of one image and what it means for the run.
DecodeItem decode_item(const Dataset& dataset, const std::filesystem::path& directory, const std::string& path,
                       ImageFormat format, std::span<const std::byte> contents, bool strict) {
    DecodeItem item;
    item.path = path;
    item.check = check_image(directory / path, format, contents);
    compare_with_declared(dataset, item.check);
    const Erratum* erratum = find_erratum(dataset, item.path);
    item.status = decode_status(item.check, erratum, strict);
    if (erratum != nullptr) {
        item.erratum = *erratum;
    }
    return item;
}

// The report from per-file results in path order; an empty result is a file that is not an image.
DecodeReport assemble(const std::string& dataset_id, std::vector<std::optional<DecodeItem>>& results) {
    DecodeReport report;
    report.dataset_id = dataset_id;
    for (auto& result : results) {
        if (result) {
            report.items.push_back(std::move(*result));
        } else {
            ++report.skipped;
        }
    }
    return report;
}

} // namespace

Result<DecodeReport> verify_decode(const Dataset& dataset, const Paths& paths, const DecodeOptions& options) {
    auto installed = open_installed(dataset, paths, "cxrcat verify --decode " + dataset.id);
    if (!installed) {
        return installed.error();
    }
    const std::filesystem::path& directory = installed->directory;
    std::vector<Work> work;
    for (const auto& [path, file] : installed->state.files) {
        work.push_back({path, image_format_of_file(directory / path)});
    }
    std::vector<std::optional<DecodeItem>> results(work.size());
    // Each worker holds one file's decode at a time: peak memory is one image per worker.
    parallel_for(work.size(), options.threads, [&](std::size_t i) {
        if (work[i].format) {
            results[i] = decode_item(dataset, directory, work[i].path, *work[i].format, {}, options.strict);
        }
    });
    return assemble(dataset.id, results);
}

Result<VerifyDecodeReport> verify_and_decode(const Dataset& dataset, const Paths& paths, const DecodeOptions& options) {
    std::filesystem::path directory = paths.dataset_dir(dataset.id);
    std::mutex guard;
    std::map<std::size_t, std::optional<DecodeItem>> decoded;
    VerifyHooks hooks;
    hooks.keep = [](const std::string& /*path*/) { return true; }; // the size limit keeps volumes out
    hooks.visit = [&](std::size_t index, const std::string& path, std::span<const std::byte> contents) {
        std::optional<DecodeItem> item;
        if (auto format = image_format_of_file(directory / path, contents)) {
            item = decode_item(dataset, directory, path, *format, contents, options.strict);
        }
        std::lock_guard lock(guard);
        decoded[index] = std::move(item);
    };
    auto files = verify_dataset(dataset, paths, options.threads, hooks);
    if (!files) {
        return files.error();
    }
    std::vector<std::optional<DecodeItem>> results;
    results.reserve(decoded.size());
    for (auto& [index, item] : decoded) {
        results.push_back(std::move(item));
    }
    return VerifyDecodeReport{std::move(*files), assemble(dataset.id, results)};
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
