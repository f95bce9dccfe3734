// SPDX-License-Identifier: Apache-2.0
// Redirects a FileJob follows itself (TransferRequest::own_redirects), as a plain HTTP client of the
// Hugging Face Hub must (api-drift-2026.md §5.2, "A plain HTTP client must", steps 1-4;
// huggingface_hub file_download.py `get_hf_file_metadata` and `_get_metadata_or_catch_error`):
// a hop on the origin's host keeps the token (the 307 to /api/resolve-cache/...); the first hop to
// another host carries the file's true size (X-Linked-Size) and commit (X-Repo-Commit), and its
// signed Location is asked without any credential.
#include "base/remote_text.hpp"
#include "cxrcat/base/redacted_url.hpp"
#include "cxrcat/base/text.hpp"
#include "net/file_job.hpp"

#include <charconv>

namespace cxrcat::net {

namespace {

// libcurl's own limit (configure_easy, CURLOPT_MAXREDIRS) when it follows redirects itself.
constexpr int k_max_redirect_hops = 10;

std::optional<std::uint64_t> parse_linked_size(const std::string& text) {
    std::uint64_t value = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || error != std::errc() || end != text.data() + text.size()) {
        return std::nullopt;
    }
    return value;
}

} // namespace

void FileJob::restart_at_origin() {
    m_hop_url.clear();
    m_hop_cross_host = false;
    m_hops = 0;
    m_linked_size.reset();
    m_outcome.served_revision.clear(); // the next chain names the commit again
}

std::optional<Error> FileJob::read_linked_headers(const std::string& target) {
    if (std::string commit = m_response.get("x-repo-commit"); !commit.empty()) {
        m_outcome.served_revision = providers::printable_excerpt(commit, 64);
    }
    std::string linked = m_response.get("x-linked-size");
    if (linked.empty()) {
        return std::nullopt; // not the Hub's LFS redirect: the listed size stays the only one
    }
    // The 3xx's own Content-Length is its body's, never the file's (api-drift-2026.md §5.2).
    auto size = parse_linked_size(linked);
    if (!size) {
        return Error(ErrorCode::integrity,
                     m_request.display_path + ": the redirect gives an unreadable X-Linked-Size '" +
                         providers::printable_excerpt(linked, 40) + "'",
                     {"source: " + RedactedUrl(current_url()).str(), "nothing was installed"});
    }
    if (m_request.expected_size && *size != *m_request.expected_size) {
        return Error(ErrorCode::integrity,
                     m_request.display_path + ": size mismatch: the redirect says " + group_thousands(*size) +
                         " bytes (X-Linked-Size), the listing said " + group_thousands(*m_request.expected_size),
                     {"source: " + RedactedUrl(current_url()).str(), "redirected to: " + RedactedUrl(target).str(),
                      "nothing was installed; the repository may have changed since it was listed: rerun"});
    }
    m_linked_size = size;
    return std::nullopt;
}

AttemptVerdict FileJob::follow_redirect(const std::string& where) {
    std::string location = m_response.get("location");
    // libcurl resolves the Location against the URL that answered (relative, scheme-relative or
    // absolute), also when it does not follow redirects itself (CURLINFO_REDIRECT_URL).
    char* resolved = nullptr;
    std::optional<std::string> target;
    if (curl_easy_getinfo(m_easy.get(), CURLINFO_REDIRECT_URL, &resolved) == CURLE_OK && resolved != nullptr &&
        *resolved != '\0') {
        target = std::string(resolved);
    }
    if (!target || ++m_hops > k_max_redirect_hops) {
        Error error(ErrorCode::network,
                    m_request.display_path + (target ? ": too many redirects" : ": cannot follow the redirect"),
                    {where, "Location: " + providers::printable_excerpt(RedactedUrl(location).str())});
        restart_at_origin();
        return fail(std::move(error), false);
    }
    bool cross_host = url_origin(*target) != url_origin(m_attempt_url);
    if (cross_host && !m_hop_cross_host) {
        if (auto contradiction = read_linked_headers(*target)) {
            restart_at_origin();
            return fail(std::move(*contradiction), false);
        }
    } else if (!m_hop_cross_host) {
        if (std::string commit = m_response.get("x-repo-commit"); !commit.empty()) {
            m_outcome.served_revision = providers::printable_excerpt(commit, 64);
        }
    }
    // Once another host is reached, the credentials stay behind for every later hop.
    m_hop_cross_host = m_hop_cross_host || cross_host;
    m_hop_url = *target;
    m_switched_source = true; // the next request goes out at once, as part of this attempt
    return AttemptVerdict::retry;
}

} // namespace cxrcat::net
