// SPDX-License-Identifier: Apache-2.0
// Private: the provenance bundle written beside an installed dataset, for methods sections and
// data-use audits: CITATION.bib, CITATION.cff, TERMS.txt and SOURCE.json.
#pragma once

#include "cxrcat/dataset_state.hpp"
#include "cxrcat/fetch.hpp"

namespace cxrcat {

Result<void> write_provenance(const Dataset& dataset, const DatasetState& state, const FetchReport& report,
                              const FetchOptions& options);

} // namespace cxrcat
