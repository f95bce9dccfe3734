// SPDX-License-Identifier: Apache-2.0
#include "providers/huggingface_reply.hpp"

#include "cxrcat/base/text.hpp"
#include "providers/parsers.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <vector>

namespace cxrcat::providers {

namespace {

std::string hub_trimmed(std::string_view text) {
    std::size_t start = text.find_first_not_of(" \t\r\n");
    if (start == std::string_view::npos) {
        return {};
    }
    std::size_t end = text.find_last_not_of(" \t\r\n");
    return std::string(text.substr(start, end - start + 1));
}

// A JSON value as message text: strings as they are, anything else in its JSON form.
std::string hub_json_text(const nlohmann::json& value) {
    return value.is_string() ? value.get<std::string>() : value.dump();
}

void hub_collect_from_body(const nlohmann::json& data, std::vector<std::string>& parts) {
    auto error = data.find("error");
    auto description = data.find("error_description");
    bool has_error = error != data.end() && !error->is_null();
    bool has_description = description != data.end() && !description->is_null();
    if (has_error) {
        if (error->is_array()) {
            // {"error": ["my error 1", "my error 2"]}
            for (const auto& item : *error) {
                parts.push_back(hub_json_text(item));
            }
        } else if (has_description) {
            // OAuth style: {"error": "invalid_grant", "error_description": "..."}
            parts.push_back(hub_json_text(*error) + ": " + hub_json_text(*description));
        } else {
            parts.push_back(hub_json_text(*error));
        }
    } else if (has_description) {
        parts.push_back(hub_json_text(*description));
    }
    if (auto errors = data.find("errors"); errors != data.end() && errors->is_array()) {
        // {"errors": [{"message": "..."}, ...]}
        for (const auto& item : *errors) {
            if (item.is_object() && item.contains("message")) {
                parts.push_back(hub_json_text(item["message"]));
            }
        }
    }
}

} // namespace

std::string hub_server_message(std::string_view x_error_message, std::string_view content_type, std::string_view body) {
    std::vector<std::string> parts;
    if (!x_error_message.empty()) {
        parts.emplace_back(x_error_message);
    }
    auto data = nlohmann::json::parse(body, nullptr, false);
    if (data.is_object()) {
        hub_collect_from_body(data, parts);
    } else if (data.is_discarded() && !contains_ignoring_case(content_type, "html") && !looks_like_html("", body)) {
        parts.emplace_back(body);
    }
    std::vector<std::string> kept;
    for (const auto& part : parts) {
        std::string text = hub_trimmed(part);
        if (!text.empty() && std::find(kept.begin(), kept.end(), text) == kept.end()) {
            kept.push_back(std::move(text));
        }
    }
    return join(kept, "; ");
}

} // namespace cxrcat::providers
