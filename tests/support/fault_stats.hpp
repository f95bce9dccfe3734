// SPDX-License-Identifier: Apache-2.0
// The fault server's request counts (tests/servers/fault_server.py, GET /__stats: one entry per
// path with its "requests"), for tests that prove a rerun asked the origin nothing.
#pragma once

#include "cxrcat/net/http_get.hpp"

#include <nlohmann/json.hpp>

#include <stdexcept>
#include <string>

namespace cxrcat::test {

// Requests the fault server at fault_url received, in any mode, for paths containing "/<name>/".
inline int fault_requests_under(const std::string& fault_url, const std::string& name) {
    HttpRequest request;
    request.url = fault_url + "/__stats";
    auto reply = http_request(request);
    if (!reply || reply->status != 200) {
        throw std::runtime_error("GET /__stats failed");
    }
    int total = 0;
    nlohmann::json all = nlohmann::json::parse(reply->body); // named: items() does not extend a temporary's life
    for (const auto& [path, stats] : all.items()) {
        if (path.find("/" + name + "/") != std::string::npos) {
            total += stats.value("requests", 0);
        }
    }
    return total;
}

} // namespace cxrcat::test
