// SPDX-License-Identifier: Apache-2.0
#include "cxrcat/base/redacted_url.hpp"

#include "cxrcat/base/text.hpp"

#include <array>

namespace cxrcat {

namespace {

// Query parameters whose values are credentials in the providers cxrcat talks to (signed S3/GCS
// URLs, Azure SAS, Box, Hugging Face, Kaggle).
bool is_secret_parameter(std::string_view name) {
    static constexpr std::array<std::string_view, 12> k_secret{
        "token",     "access_token", "key",    "api_key", "apikey",          "sig",
        "signature", "password",     "secret", "auth",    "x-amz-signature", "x-amz-credential"};
    std::string lowered = to_lower(name);
    for (auto secret : k_secret) {
        if (lowered == secret) {
            return true;
        }
    }
    return lowered.rfind("x-amz-", 0) == 0 || lowered.rfind("x-goog-", 0) == 0;
}

} // namespace

RedactedUrl::RedactedUrl(std::string_view url) {
    std::size_t scheme_end = url.find("://");
    std::size_t authority_start = scheme_end == std::string_view::npos ? 0 : scheme_end + 3;
    std::size_t path_start = url.find_first_of("/?#", authority_start);
    std::string_view authority = url.substr(
        authority_start, path_start == std::string_view::npos ? std::string_view::npos : path_start - authority_start);
    m_text = std::string(url.substr(0, authority_start));
    std::size_t at = authority.rfind('@');
    m_text += at == std::string_view::npos ? std::string(authority) : "***@" + std::string(authority.substr(at + 1));
    if (path_start == std::string_view::npos) {
        return;
    }
    std::string_view rest = url.substr(path_start);
    std::size_t query = rest.find('?');
    if (query == std::string_view::npos) {
        m_text += rest;
        return;
    }
    m_text += rest.substr(0, query + 1);
    std::string_view params = rest.substr(query + 1);
    std::size_t fragment = params.find('#');
    std::string_view tail = fragment == std::string_view::npos ? std::string_view{} : params.substr(fragment);
    params = params.substr(0, fragment);
    // Every '&' is kept, a trailing one too, so the redacted URL differs from the original only
    // in the secret values.
    while (true) {
        std::size_t amp = params.find('&');
        std::string_view pair = params.substr(0, amp);
        std::size_t eq = pair.find('=');
        if (eq != std::string_view::npos && is_secret_parameter(pair.substr(0, eq))) {
            m_text += std::string(pair.substr(0, eq)) + "=***";
        } else {
            m_text += pair;
        }
        if (amp == std::string_view::npos) {
            break;
        }
        m_text += '&';
        params.remove_prefix(amp + 1);
    }
    m_text += tail;
}

std::string url_origin(std::string_view url) {
    std::size_t scheme_end = url.find("://");
    if (scheme_end == std::string_view::npos) {
        return {};
    }
    std::size_t path_start = url.find_first_of("/?#", scheme_end + 3);
    std::string_view authority = url.substr(
        scheme_end + 3, path_start == std::string_view::npos ? std::string_view::npos : path_start - scheme_end - 3);
    std::size_t at = authority.rfind('@');
    if (at != std::string_view::npos) {
        authority = authority.substr(at + 1);
    }
    return to_lower(url.substr(0, scheme_end + 3)) + to_lower(authority);
}

} // namespace cxrcat
