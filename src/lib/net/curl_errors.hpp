// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "cxrcat/base/error.hpp"

#include <curl/curl.h>

#include <string>

namespace cxrcat::net {

// What a failed libcurl transfer means for the user and for the retry loop.
struct CurlFailure {
    ErrorCode code;
    bool transient;
    std::string message;
    std::string hint; // what to do, or ""
};

// The one place where CURLcode values are translated. detail is libcurl's error buffer.
[[nodiscard]] CurlFailure classify_curl_error(CURLcode code, const std::string& detail);

} // namespace cxrcat::net
