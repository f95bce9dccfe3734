// SPDX-License-Identifier: Apache-2.0
#include "cxrcat/verify/verify.hpp"

#include "base/parallel_for.hpp"
#include "verify/file_hash.hpp"

#include <algorithm>

namespace cxrcat {

bool VerifyReport::ok() const {
    return std::all_of(items.begin(), items.end(),
                       [](const VerifyItem& item) { return item.status == VerifyStatus::ok; });
}

namespace {

VerifyItem check_one(const std::filesystem::path& directory, const std::string& path, const InstalledFile& expected,
                     std::vector<std::byte>& contents, std::uint64_t keep_up_to) {
    VerifyItem item{path, VerifyStatus::ok, "", 0};
    std::filesystem::path file = directory / path;
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec)) {
        item.status = VerifyStatus::missing;
        item.detail = "the file is missing";
        return item;
    }
    std::vector<DigestAlgorithm> algorithms;
    for (const auto& [algorithm, hex] : expected.digests) {
        algorithms.push_back(algorithm);
    }
    auto hashed = hash_file(file, algorithms, contents, keep_up_to);
    if (!hashed) {
        contents.clear(); // a read cut short is not the file
        item.status = VerifyStatus::corrupt;
        item.detail = hashed.error().message();
        return item;
    }
    item.size = hashed->size;
    if (hashed->size != expected.size) {
        item.status = VerifyStatus::corrupt;
        item.detail = "size mismatch: expected " + std::to_string(expected.size) + " bytes, actual " +
                      std::to_string(hashed->size);
        return item;
    }
    for (const auto& [algorithm, hex] : expected.digests) {
        if (hashed->digests[algorithm] != hex) {
            item.status = VerifyStatus::corrupt;
            item.detail = std::string(to_string(algorithm)) + " mismatch: expected " + hex + ", actual " +
                          hashed->digests[algorithm];
            return item;
        }
    }
    return item;
}

} // namespace

Result<InstalledDataset> open_installed(const Dataset& dataset, const Paths& paths, const std::string& holder) {
    std::filesystem::path directory = paths.dataset_dir(dataset.id);
    // Under the lock so that a running fetch's half-written files do not look like damage.
    auto lock = DatasetLock::acquire(directory, holder, {});
    if (!lock) {
        return lock.error();
    }
    DatasetState state = DatasetState::load(directory);
    if (state.files.empty()) {
        return Error(ErrorCode::not_found, dataset.id + ": nothing is installed in " + directory.string(),
                     {"run: cxrcat fetch " + dataset.id});
    }
    return InstalledDataset{std::move(*lock), std::move(state), directory};
}

Result<VerifyReport> verify_dataset(const Dataset& dataset, const Paths& paths, unsigned threads,
                                    const VerifyHooks& hooks) {
    auto installed = open_installed(dataset, paths, "cxrcat verify " + dataset.id);
    if (!installed) {
        return installed.error();
    }
    DatasetState& state = installed->state;
    const std::filesystem::path& directory = installed->directory;
    std::vector<std::pair<std::string, InstalledFile>> work(state.files.begin(), state.files.end());
    VerifyReport report;
    report.dataset_id = dataset.id;
    report.items.resize(work.size());
    parallel_for(work.size(), threads, [&](std::size_t i) {
        // One buffer per worker, reused: memory holds one kept file per thread.
        thread_local std::vector<std::byte> contents;
        std::uint64_t keep_up_to = hooks.keep && hooks.keep(work[i].first) ? hooks.keep_up_to : 0;
        report.items[i] = check_one(directory, work[i].first, work[i].second, contents, keep_up_to);
        if (hooks.visit && report.items[i].status != VerifyStatus::missing) {
            hooks.visit(i, work[i].first, contents);
        }
        contents.clear();
    });
    // Files that proved intact get their current mtime, so the next fetch skips them at once.
    bool touched = false;
    for (const auto& item : report.items) {
        report.bytes_hashed += item.size;
        if (item.status == VerifyStatus::ok) {
            auto& entry = state.files[item.path];
            auto digests = entry.digests;
            auto from = entry.from_archive;
            auto when = entry.installed_at;
            if (!state.is_intact(item.path) && state.record_file(item.path, digests, from, when)) {
                touched = true;
            }
        }
    }
    if (touched) {
        if (auto saved = state.save(); !saved) {
            return saved.error();
        }
    }
    return report;
}

} // namespace cxrcat
