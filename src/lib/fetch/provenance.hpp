// SPDX-License-Identifier: Apache-2.0
// Private: the provenance bundle written beside an installed dataset, for methods sections and
// data-use audits: CITATION.bib, CITATION.cff, TERMS.txt and SOURCE.json.
#pragma once

#include "cxrcat/state/dataset_state.hpp"
#include "cxrcat/fetch/fetch.hpp"

#include <string>
#include <utility>
#include <vector>

namespace cxrcat {

// The bundle's files by name (CITATION.bib, CITATION.cff, TERMS.txt, SOURCE.json) and their text.
[[nodiscard]] std::vector<std::pair<std::string, std::string>> provenance_files(const Dataset& dataset,
                                                                                const DatasetState& state,
                                                                                const FetchReport& report,
                                                                                const FetchOptions& options);

// Writes provenance_files() into report.destination (a local directory).
Result<void> write_provenance(const Dataset& dataset, const DatasetState& state, const FetchReport& report,
                              const FetchOptions& options);

} // namespace cxrcat
