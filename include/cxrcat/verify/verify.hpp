// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "cxrcat/base/paths.hpp"
#include "cxrcat/base/result.hpp"
#include "cxrcat/base/spelled_enum.hpp"
#include "cxrcat/catalog/dataset.hpp"
#include "cxrcat/state/dataset_lock.hpp"
#include "cxrcat/state/dataset_state.hpp"

#include <array>
#include <cstddef>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cxrcat {

enum class VerifyStatus { ok, missing, corrupt };
constexpr std::array<std::string_view, 3> spellings(VerifyStatus /*unused*/) {
    return {"ok", "missing", "corrupt"};
}

struct VerifyItem {
    std::string path;
    VerifyStatus status = VerifyStatus::ok;
    std::string detail; // for corrupt: "sha256 mismatch: expected ..., actual ..."
    std::uint64_t size = 0;
};

struct VerifyReport {
    std::string dataset_id;
    std::vector<VerifyItem> items;
    std::uint64_t bytes_hashed = 0;

    [[nodiscard]] bool ok() const;
};

// A dataset's installed files, held under its lock for as long as this lives.
struct InstalledDataset {
    DatasetLock lock;
    DatasetState state;
    std::filesystem::path directory;
};

// Takes the dataset's lock (holder says who holds it) and loads its state. Errors: nothing installed
// (not_found), the lock or the state unreadable.
[[nodiscard]] Result<InstalledDataset> open_installed(const Dataset& dataset, const Paths& paths,
                                                      const std::string& holder);

// What a caller that needs the files' contents too (`verify --decode`) asks of the hashing: the
// files keep(path) names are read whole into memory when at most keep_up_to bytes, and each present
// file is handed to visit on the hashing thread (item: its index in the report's items), with its
// contents when they were kept (else empty: visit reads the file itself). One read serves both.
struct VerifyHooks {
    std::function<bool(const std::string& path)> keep;
    std::function<void(std::size_t item, const std::string& path, std::span<const std::byte> contents)> visit;
    std::uint64_t keep_up_to = 32ULL << 20;
};

// Re-hashes every installed file of the dataset on `threads` threads (0 = every core) and
// compares sizes and digests with the state. Errors: nothing installed (not_found), state unreadable.
[[nodiscard]] Result<VerifyReport> verify_dataset(const Dataset& dataset, const Paths& paths, unsigned threads = 0,
                                                  const VerifyHooks& hooks = {});

} // namespace cxrcat
