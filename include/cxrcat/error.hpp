// SPDX-License-Identifier: Apache-2.0
#pragma once

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

// A failure a user can act on: what went wrong, plus notes that say why or what to do.
class Error {
  public:
    Error(ErrorCode code, std::string message, std::vector<std::string> notes = {})
        : m_code(code), m_message(std::move(message)), m_notes(std::move(notes)) {}

    [[nodiscard]] ErrorCode code() const { return m_code; }
    [[nodiscard]] const std::string& message() const { return m_message; }
    [[nodiscard]] const std::vector<std::string>& notes() const { return m_notes; }

    // Appends a note and returns *this, for chaining.
    Error& note(std::string text) {
        m_notes.push_back(std::move(text));
        return *this;
    }

  private:
    ErrorCode m_code;
    std::string m_message;
    std::vector<std::string> m_notes;
};

} // namespace cxrcat
