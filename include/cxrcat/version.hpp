// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>

namespace cxrcat {

// cxrcat's own version ("0.1.0").
[[nodiscard]] std::string version();
// The versions of the libraries opened on first use, as loaded now; "libcurl unavailable (why)" when
// one cannot be loaded.
// "libcurl 7.88.1", from the library actually loaded.
[[nodiscard]] std::string curl_version_text();
// "OpenSSL 3.0.x ...", from the library actually loaded.
[[nodiscard]] std::string openssl_version_text();
// The CA bundle libcurl uses when none is given ("" when it cannot tell).
[[nodiscard]] std::string curl_default_ca_bundle();
// "libarchive 3.6.2", from the library actually loaded.
[[nodiscard]] std::string libarchive_version_text();

} // namespace cxrcat
