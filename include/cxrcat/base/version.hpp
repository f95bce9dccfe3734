// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>

namespace cxrcat {

// cxrcat's own version ("0.1.0").
[[nodiscard]] std::string version();
// The User-Agent of every request except PhysioNet's (which must pass its Wget gate):
// "cxrcat/<version> (+<project URL>)", distinctive so that providers can tell it from generic
// library clients (Zenodo asked for exactly that after its 2025-12 429 waves; api-drift-2026.md §4.2).
// Without a project URL (k_project_url in version.cpp is empty) the comment names the tool instead.
[[nodiscard]] std::string user_agent();
// "libcurl 7.88.1", from the library actually loaded (it is opened on first use); "libcurl
// unavailable (why)" when it cannot be loaded.
[[nodiscard]] std::string curl_version_text();
// "OpenSSL 3.0.x ...", from the library actually loaded; "OpenSSL unavailable (why)" when it cannot be.
[[nodiscard]] std::string openssl_version_text();
// The CA bundle libcurl uses when none is given ("" when it cannot tell).
[[nodiscard]] std::string curl_default_ca_bundle();
// "libarchive 3.6.2", from the library actually loaded; "libarchive unavailable (why)" when it cannot be.
[[nodiscard]] std::string libarchive_version_text();

} // namespace cxrcat
