// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace cxrcat {

// The canonical error codes; each maps one-to-one onto a documented exit code.
enum class ErrorCode {
    ok = 0,
    internal = 1,
    usage = 2,
    not_found = 3,
    access_denied = 4,
    integrity = 5,
    network = 6,
    manual_step = 7,
    local_io = 8,
    invalid_catalog = 9,
};

// Returns the process exit code for code.
[[nodiscard]] constexpr int exit_code(ErrorCode code) {
    return static_cast<int>(code);
}

// Returns a short lowercase name for code ("not found", "access denied", ...).
[[nodiscard]] std::string_view describe(ErrorCode code);

// The HTTP facts of a failed answer, set by the download engine (src/lib/net/) so that providers
// explain a failure from these fields, never from the message text.
struct HttpFailure {
    long status = 0;           // the HTTP status of the answer that failed (200 for a web page instead of data)
    std::string provider_code; // the provider's own error code (X-Error-Code), "" when absent
    bool web_page = false;     // the answer was an HTML page where data was expected (a login or error page)
    std::string path;          // the file's display path ("" when none)
    std::string url;           // redacted URL that was requested
    std::string final_url;     // redacted URL of the failing answer after redirects, "" when not redirected
};

// A failure a user can act on: what went wrong, plus notes that say why or what to do.
class Error {
  public:
    Error(ErrorCode code, std::string message, std::vector<std::string> notes = {})
        : m_code(code), m_message(std::move(message)), m_notes(std::move(notes)) {}

    [[nodiscard]] ErrorCode code() const { return m_code; }
    [[nodiscard]] const std::string& message() const { return m_message; }
    [[nodiscard]] const std::vector<std::string>& notes() const { return m_notes; }

    // The HTTP answer this failure comes from, when it comes from one.
    [[nodiscard]] const std::optional<HttpFailure>& http() const { return m_http; }
    // The HTTP status of that answer, or 0.
    [[nodiscard]] long http_status() const { return m_http ? m_http->status : 0; }
    // The provider's error code of that answer (X-Error-Code), or "".
    [[nodiscard]] std::string provider_code() const { return m_http ? m_http->provider_code : std::string(); }

    // Appends a note and returns *this, for chaining.
    Error& note(std::string text) {
        m_notes.push_back(std::move(text));
        return *this;
    }

    // Records the HTTP answer the failure comes from and returns *this, for chaining.
    Error& with_http(HttpFailure http) {
        m_http = std::move(http);
        return *this;
    }

  private:
    ErrorCode m_code;
    std::string m_message;
    std::vector<std::string> m_notes;
    std::optional<HttpFailure> m_http;
};

// Thrown when a library cxrcat opens on first use (libcurl, libcrypto, libarchive) cannot be loaded:
// the installation lacks it, which no command argument can fix. what() says which file and why.
class LibraryUnavailable : public std::runtime_error {
  public:
    LibraryUnavailable(const std::string& what, std::string package)
        : std::runtime_error(what), m_package(std::move(package)) {}
    // The Debian package that provides the library ("" when the build could not tell).
    [[nodiscard]] const std::string& package() const { return m_package; }

  private:
    std::string m_package;
};

} // namespace cxrcat
