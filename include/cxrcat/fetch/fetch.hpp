// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "cxrcat/plan/fetch_options.hpp"

#include <string>

namespace cxrcat {

// Lists the files fetch would handle (include/exclude applied), what is already verified, sizes
// and free space. Errors: a source route this build cannot download (see the error text).
[[nodiscard]] Result<FetchPlan> plan_fetch(const Dataset& dataset, const Paths& paths, const FetchOptions& options);

// Downloads, verifies, installs and (optionally) extracts every planned file that is not already
// verified, under the dataset lock. Refuses to start (local_io) when the files will not fit.
[[nodiscard]] Result<FetchReport> fetch_dataset(const Dataset& dataset, const Paths& paths, const FetchOptions& options,
                                                ProgressSink* progress);

// True when path (or its last component) matches the glob.
[[nodiscard]] bool path_matches_glob(const std::string& path, const std::string& glob);

} // namespace cxrcat
