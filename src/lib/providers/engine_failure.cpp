// SPDX-License-Identifier: Apache-2.0
#include "providers/engine_failure.hpp"

#include <cctype>

namespace cxrcat::providers {

std::optional<EngineHttpFailure> parse_engine_http_failure(const Error& error) {
    // The engine writes "<path>: HTTP <3 digits>..." (src/lib/net/file_job.cpp, status_message).
    static constexpr std::string_view k_marker = ": HTTP ";
    const std::string& message = error.message();
    std::size_t at = message.find(k_marker);
    std::size_t digits = at == std::string::npos ? 0 : at + k_marker.size();
    if (at == std::string::npos || digits + 3 > message.size()) {
        return std::nullopt;
    }
    long status = 0;
    for (std::size_t i = digits; i < digits + 3; ++i) {
        auto c = static_cast<unsigned char>(message[i]);
        if (std::isdigit(c) == 0) {
            return std::nullopt;
        }
        status = status * 10 + (c - '0');
    }
    if (digits + 3 < message.size() && std::isdigit(static_cast<unsigned char>(message[digits + 3])) != 0) {
        return std::nullopt;
    }
    EngineHttpFailure failure;
    failure.path = message.substr(0, at);
    failure.status = status;
    for (const auto& note : error.notes()) {
        if (note.rfind("source: ", 0) == 0) {
            failure.source_url = note.substr(8);
        } else if (note.rfind("redirected to: ", 0) == 0) {
            failure.final_url = note.substr(15);
        } else if (note.rfind("the server says: ", 0) == 0) {
            failure.server_code = note.substr(17);
        }
    }
    return failure;
}

} // namespace cxrcat::providers
