// SPDX-License-Identifier: Apache-2.0
#include "providers/sha256sums.hpp"

#include "providers/parsers.hpp"

namespace cxrcat::providers {

namespace {

constexpr std::size_t k_sha256_hex = 64;

} // namespace

Sha256SumsReader::Sha256SumsReader(std::function<bool(std::string_view)> keep) : m_keep(std::move(keep)) {}

void Sha256SumsReader::reset() {
    m_partial.clear();
    m_head.clear();
    m_entries.clear();
    m_error.reset();
    m_lines = 0;
}

bool Sha256SumsReader::feed(std::string_view chunk) {
    if (m_error) {
        return false;
    }
    if (m_head.size() < k_head_bytes) {
        m_head.append(chunk.substr(0, k_head_bytes - m_head.size()));
    }
    while (!chunk.empty()) {
        std::size_t newline = chunk.find('\n');
        if (newline == std::string_view::npos) {
            m_partial.append(chunk);
            if (m_partial.size() > k_max_line) {
                m_error = Error(ErrorCode::integrity, line_error(m_lines + 1, "a line longer than 64 KiB"));
                return false;
            }
            return true;
        }
        if (m_partial.empty()) {
            read_line(chunk.substr(0, newline));
        } else {
            m_partial.append(chunk.substr(0, newline));
            read_line(m_partial);
            m_partial.clear();
        }
        if (m_error) {
            return false;
        }
        chunk.remove_prefix(newline + 1);
    }
    return true;
}

Result<std::vector<ChecksumEntry>> Sha256SumsReader::finish() {
    if (!m_error && !m_partial.empty()) {
        std::string last = std::exchange(m_partial, {});
        read_line(last);
    }
    if (m_error) {
        return *m_error;
    }
    return std::exchange(m_entries, {});
}

void Sha256SumsReader::read_line(std::string_view line) {
    std::size_t number = ++m_lines;
    if (!line.empty() && line.back() == '\r') {
        line.remove_suffix(1);
    }
    if (line.find_first_not_of(" \t") == std::string_view::npos) {
        return;
    }
    // Checked in place: a line the reader does not keep costs no allocation.
    std::string_view digest = line.substr(0, std::min(line.size(), k_sha256_hex));
    bool hex = !normalised_hex(digest, k_sha256_hex).empty();
    std::string_view rest = line.size() > k_sha256_hex ? line.substr(k_sha256_hex) : std::string_view{};
    std::size_t spaces = rest.find_first_not_of(' ');
    if (!hex || spaces == 0 || spaces == std::string_view::npos) {
        m_error = Error(ErrorCode::integrity,
                        line_error(number, "expected `<64 hex digits> <path>`, got " + quoted_line(line)));
        return;
    }
    rest.remove_prefix(spaces);
    if (!rest.empty() && rest.front() == '*') {
        rest.remove_prefix(1);
    }
    if (!is_safe_relative_path(rest)) {
        m_error = Error(
            ErrorCode::integrity,
            line_error(number, "refusing the path " + quoted_line(rest) +
                                   ": it must stay inside the project (relative, no `..`, no control characters)"));
        return;
    }
    if (!m_keep || m_keep(rest)) {
        m_entries.push_back({normalised_hex(digest, k_sha256_hex), std::string(rest)});
    }
}

Result<std::vector<ChecksumEntry>> parse_sha256sums(std::string_view text) {
    Sha256SumsReader reader;
    (void)reader.feed(text);
    return reader.finish();
}

} // namespace cxrcat::providers
