// SPDX-License-Identifier: Apache-2.0
// Private: the User-Agent every PhysioNet request sends (the route's and `check --live`'s).
#pragma once

#include <string>

namespace cxrcat::providers {

// "Wget/1.21 (cxrcat/<version>; compatible)": PhysioNet reads Basic credentials only from a
// User-Agent that starts with `Wget/` or `libwfdb/` (provider-apis.md §2.3).
[[nodiscard]] std::string physionet_user_agent();

} // namespace cxrcat::providers
