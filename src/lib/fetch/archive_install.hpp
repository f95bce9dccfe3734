// SPDX-License-Identifier: Apache-2.0
// Private to fetch: a verified archive unpacked into the dataset (with --where, only the selected
// members; with --decode, only the members whose images open or are known errata) and recorded.
#pragma once

#include "cxrcat/catalog/dataset.hpp"
#include "cxrcat/plan/fetch_options.hpp"
#include "cxrcat/state/dataset_state.hpp"

#include <filesystem>
#include <string>

namespace cxrcat {

// Extracts the archive planned (verified, at destination/planned.path) beside itself and records its
// members in state; the archive is removed unless --keep-archives, or unless --decode refused a
// member (then result fails with the integrity error naming it and the archive stays, so a rerun
// extracts it again without downloading it). Failures land in result.
void extract_into_place(const Dataset& dataset, const PlannedFile& planned, const std::filesystem::path& destination,
                        DatasetState& state, const FetchOptions& options, FileResult& result, const std::string& now);

} // namespace cxrcat
