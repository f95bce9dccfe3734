// SPDX-License-Identifier: Apache-2.0
// Planning after the sources are resolved: the selection flags, sharding, --from adoption and the
// totals (bytes, inodes) the free-space checks use. fetch, plan and status share it.
#pragma once

#include "cxrcat/state/dataset_state.hpp"
#include "cxrcat/plan/fetch_options.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cxrcat {

// Applies --files-from, then --where, then --sample to plan.files. Errors: not_found listing the
// paths --files-from names that the dataset does not have (before anything is downloaded); usage
// for a --where field the dataset's sources do not carry, naming those they do.
[[nodiscard]] Result<void> select_planned_files(FetchPlan& plan, const Dataset& dataset, const Selection& selection);

// The unit --sample draws: the SeriesInstanceUID (else the series directory) for IDC and TCIA, the patient
// folder where the source is laid out per patient, else the file itself.
[[nodiscard]] std::string sample_unit(const PlannedFile& file, const Dataset& dataset);

// The shard (0-based) of each file: sizes largest first (unknown sizes count 0, ties by path) go to
// the shard holding the fewest bytes, then the fewest files, then the lowest number. Deterministic.
[[nodiscard]] std::vector<std::size_t> assign_shards(const std::vector<std::string>& paths,
                                                     const std::vector<std::optional<std::uint64_t>>& sizes,
                                                     std::size_t count);

// Keeps shard `shard` of plan.files (remembering the whole selection's size), takes files found
// under `from` (a directory an external downloader filled) as local files, and counts what is left
// to download: bytes, room to extract, files to create, free space and inodes where it will land.
void finish_plan(FetchPlan& plan, const ShardSpec& shard, const std::optional<std::filesystem::path>& from,
                 const DatasetState& state);

// Refuses (local_io) a plan that needs more inodes than the file system has free for this user.
[[nodiscard]] Result<void> check_free_inodes(const FetchPlan& plan);

} // namespace cxrcat
