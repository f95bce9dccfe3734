// SPDX-License-Identifier: Apache-2.0
// Which of a dataset's sources a fetch uses: sources that share an `alternative` name serve the same
// data, and the first reachable one (catalog order) is used; `fetch --source PROVIDER` picks one.
#pragma once

#include "cxrcat/catalog/dataset.hpp"
#include "cxrcat/providers/provider.hpp"
#include "cxrcat/base/result.hpp"

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace cxrcat {

// The candidates for one part of a dataset, in the order fetch tries them (indices into
// dataset.sources). A source with no `alternative` is a part of its own with one candidate.
using SourceCandidates = std::vector<std::size_t>;

// True when chosen (fetch --source) names source: its provider, or its catalog `name`.
[[nodiscard]] bool source_is_named(const Source& source, const std::string& chosen);

// The sources keep accepts, grouped as alternatives in catalog order of their first source: a source
// with no `alternative` on its own, sources sharing one together. With chosen (fetch --source), a
// group that includes sources it names keeps only those.
[[nodiscard]] std::vector<SourceCandidates> alternative_groups(const Dataset& dataset, const std::string& chosen,
                                                               const std::function<bool(const Source&)>& keep);

// The parts of dataset, in catalog order of their first source, skipping withdrawn and manual
// sources. With chosen (a provider or source name, fetch --source), a part whose candidates include
// such a source keeps only those. Errors: usage when chosen names no live source
// of the dataset (the message lists them).
[[nodiscard]] Result<std::vector<SourceCandidates>> source_candidates(const Dataset& dataset,
                                                                      const std::string& chosen);

// True when a failure to resolve one candidate lets fetch try the next: the source is unreachable,
// gone, refuses access, answers in a shape this build does not know, or cannot be downloaded by
// this build. A usage, local I/O or catalog problem is the user's and stops the fetch.
[[nodiscard]] bool allows_fallback(const Error& error);

// "lidc-idri: source 1 (idc) failed: <why>; using source 2 (tcia) instead", for stderr.
[[nodiscard]] std::string fallback_notice(const Dataset& dataset, std::size_t failed, const Error& why,
                                          std::size_t next);

// The files of the first candidate whose provider resolves them, and which one it was.
struct ResolvedSource {
    std::size_t index = 0; // into dataset.sources
    std::vector<ResolvedFile> files;
};

// Resolves candidates in order until one succeeds; a failure that allows_fallback() moves on to the
// next candidate, with a fallback_notice() appended to notices, as are the provider's warnings.
// Errors: the last candidate's failure (or the first one that allows no fallback); internal when
// this build has no client for the provider (the message names it).
[[nodiscard]] Result<ResolvedSource> resolve_first_reachable(const Dataset& dataset, const SourceCandidates& candidates,
                                                             const ProviderContext& context,
                                                             std::vector<std::string>& notices);

} // namespace cxrcat
