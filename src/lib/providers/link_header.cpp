// SPDX-License-Identifier: Apache-2.0
#include "providers/link_header.hpp"

#include "cxrcat/base/redacted_url.hpp"
#include "cxrcat/base/text.hpp"

namespace cxrcat::providers {

namespace {

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
        text.remove_prefix(1);
    }
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
        text.remove_suffix(1);
    }
    return text;
}

// True when the parameters after a link target (`; rel="next"; type=...`) name rel "next".
bool has_rel_next(std::string_view params) {
    while (!params.empty()) {
        std::size_t semicolon = params.find(';');
        std::string_view param = trim(params.substr(0, semicolon));
        params = semicolon == std::string_view::npos ? std::string_view{} : params.substr(semicolon + 1);
        std::size_t equals = param.find('=');
        if (equals == std::string_view::npos || to_lower(trim(param.substr(0, equals))) != "rel") {
            continue;
        }
        std::string_view value = trim(param.substr(equals + 1));
        if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
            value = value.substr(1, value.size() - 2);
        }
        // rel may hold several space-separated relation types.
        while (!value.empty()) {
            std::size_t space = value.find(' ');
            if (to_lower(value.substr(0, space)) == "next") {
                return true;
            }
            value = space == std::string_view::npos ? std::string_view{} : trim(value.substr(space + 1));
        }
    }
    return false;
}

} // namespace

std::optional<std::string> link_next_url(std::string_view header) {
    // link-value = "<" URI-Reference ">" *( ";" link-param ), separated by commas. A comma can occur
    // inside <...> or a quoted string, so walk the text instead of splitting on ','.
    std::size_t pos = 0;
    while (pos < header.size()) {
        std::size_t open = header.find('<', pos);
        if (open == std::string_view::npos) {
            return std::nullopt;
        }
        std::size_t close = header.find('>', open + 1);
        if (close == std::string_view::npos) {
            return std::nullopt;
        }
        std::string_view target = header.substr(open + 1, close - open - 1);
        std::size_t end = close + 1;
        bool quoted = false;
        while (end < header.size() && (quoted || header[end] != ',')) {
            if (header[end] == '"') {
                quoted = !quoted;
            }
            ++end;
        }
        if (has_rel_next(header.substr(close + 1, end - close - 1))) {
            return std::string(trim(target));
        }
        pos = end + 1;
    }
    return std::nullopt;
}

std::optional<std::string> resolve_link_target(const std::string& base, const std::string& target) {
    if (target.rfind("http://", 0) == 0 || target.rfind("https://", 0) == 0) {
        return target;
    }
    if (target.size() > 1 && target[0] == '/' && target[1] != '/') {
        std::string origin = url_origin(base);
        if (origin.empty()) {
            return std::nullopt;
        }
        return origin + target;
    }
    return std::nullopt;
}

std::optional<std::string> rebase_on_endpoint(const std::string& endpoint, const std::string& url) {
    if (url.rfind(endpoint + "/", 0) == 0 || url.rfind(endpoint + "?", 0) == 0 || url == endpoint) {
        return url;
    }
    std::size_t scheme = url.find("://");
    if (scheme == std::string::npos) {
        return std::nullopt;
    }
    std::size_t path = url.find_first_of("/?#", scheme + 3);
    std::string rest = path == std::string::npos ? std::string{} : url.substr(path);
    bool needs_slash = !rest.empty() && rest.front() != '/';
    return endpoint + (needs_slash ? "/" : "") + rest;
}

} // namespace cxrcat::providers
