// SPDX-License-Identifier: Apache-2.0
// `cxrcat check --live [PROVIDER…]`: probes the providers' live APIs and prints, per provider, ok
// or what differs from the shape cxrcat expects.
#pragma once

#include "app_context.hpp"

#include <string>
#include <vector>

namespace cxrcat::cli {

// Probes the providers names (all when empty) through providers' endpoints and prints the results
// as text or JSON (schemas/check-live.schema.json). Returns the exit code: 0 when every provider
// answers as expected, 6 when one cannot be reached (this wins: the run is incomplete), else 5 when
// one answers in another shape; 2 for an unknown provider name, before any request.
[[nodiscard]] int run_check_live(AppContext& context, const ProviderContext& providers,
                                 const std::vector<std::string>& names, const std::string& format);

} // namespace cxrcat::cli
