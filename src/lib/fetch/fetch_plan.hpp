// SPDX-License-Identifier: Apache-2.0
// Private: fetch's planning (fetch_plan.cpp), shared by plan_fetch and fetch_dataset.
#pragma once

#include "cxrcat/state/dataset_state.hpp"
#include "cxrcat/fetch/fetch.hpp"
#include "cxrcat/store/install_store.hpp"

namespace cxrcat {

// Why a restricted dataset cannot be fetched (access_denied), with who grants access and the steps.
[[nodiscard]] Error restricted_dataset_error(const Dataset& dataset);

// The files a fetch of dataset into store handles, given what state records as installed; with
// list_series, series are listed file by file (a fetch) rather than counted (a dry run). Errors: a
// restricted dataset, a route this build cannot download, two sources providing one path, a pin
// that no longer matches (sync), a selection that names unknown files.
[[nodiscard]] Result<FetchPlan> make_plan(const Dataset& dataset, const InstallStore& store,
                                          const FetchOptions& options, const DatasetState& state, bool list_series);

} // namespace cxrcat
