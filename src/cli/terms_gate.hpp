// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "app_context.hpp"

namespace cxrcat::cli {

// Makes sure the dataset's current terms are accepted before any byte is fetched: already in the
// ledger, or accepted now by --accept-terms, or by answering a question on a terminal. Never asks
// when stdin or stderr is not a terminal. Returns an access_denied error naming the command to run.
Result<void> ensure_terms_accepted(AppContext& context, const Dataset& dataset, bool accept_now);

} // namespace cxrcat::cli
