// SPDX-License-Identifier: Apache-2.0
// fetch and plan with --where on label fields: the terms are accepted (the label files are a
// download), the label files fetched, and the options narrowed to the images they select.
#pragma once

#include "app_context.hpp"
#include "cxrcat/fetch/label_selection.hpp"

namespace cxrcat::cli {

// options unchanged when they select by no label field; else narrowed, with a note on stderr saying
// how many images the labels selected. Errors: those of ensure_terms_accepted and select_by_labels.
[[nodiscard]] Result<FetchOptions> apply_label_selection(AppContext& context, const Dataset& dataset,
                                                         const FetchOptions& options, bool accept_terms);

} // namespace cxrcat::cli
