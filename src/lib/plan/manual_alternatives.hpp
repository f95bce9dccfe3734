// SPDX-License-Identifier: Apache-2.0
// Private: which of a dataset's manual (registration) sources `fetch --from DIR` adopts when several
// are alternatives for the same data (CheXpert: the AIMI portal's batches, or the legacy small zip).
#pragma once

#include "cxrcat/catalog/dataset.hpp"

#include <cstddef>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace cxrcat {

// The manual sources as fetch plans them, in catalog order: a source with no `alternative` on its
// own, sources sharing one together. Withdrawn sources are left out. When chosen (fetch --source)
// names some of a group's sources (by provider or name), the group keeps only those.
[[nodiscard]] std::vector<std::vector<std::size_t>> manual_source_groups(const Dataset& dataset,
                                                                         const std::string& chosen);

// What one manual source expects under --from, and what of it is missing there.
struct LocalMatch {
    std::size_t index = 0;             // into dataset.sources
    std::vector<std::string> expected; // its listed files the selection keeps
    std::vector<std::string> missing;  // those whose file name --from holds nowhere
};

// Matches source's selected listed files against found (paths relative to --from) by file name,
// as `fetch --from` adopts them. A source that lists no file expects nothing and misses nothing.
[[nodiscard]] LocalMatch match_local_files(const Source& source, std::size_t index,
                                           const std::vector<std::filesystem::path>& found,
                                           const std::function<bool(const std::string&)>& is_selected);

struct AlternativeChoice {
    std::optional<std::size_t> adopted; // index into the matches; nullopt when --from holds none of them
    bool complete = false;              // every expected file of the adopted one is there
};

// The first alternative whose expected files are all present (at least one); else the one with the
// most present (the first on ties), incomplete; else none.
[[nodiscard]] AlternativeChoice choose_local_alternative(const std::vector<LocalMatch>& matches);

// "source 2 'legacy-small' (Legacy link) expects: a.zip" plus, with_missing and something missing,
// "; not under --from: a.zip". The name is left out when the source has none.
[[nodiscard]] std::string describe_local_alternative(const Dataset& dataset, const LocalMatch& match,
                                                     bool with_missing);

} // namespace cxrcat
