// SPDX-License-Identifier: Apache-2.0
#include "labels/csv_reader.hpp"

#include "cxrcat/base/text.hpp"

#include <algorithm>

namespace cxrcat::labels {

CsvReader::CsvReader(std::string_view text, std::string name, char delimiter)
    : m_text(text), m_name(std::move(name)), m_delimiter(delimiter) {
    // A UTF-8 byte order mark is not part of the first column's name.
    if (m_text.starts_with("\xEF\xBB\xBF")) {
        m_position = 3;
    }
}

Error CsvReader::error(const std::string& what) const {
    return Error(ErrorCode::integrity, m_name + ":" + std::to_string(m_record_line) + ": " + what);
}

Result<std::optional<std::vector<std::string>>> CsvReader::next() {
    if (m_position >= m_text.size()) {
        return std::optional<std::vector<std::string>>();
    }
    m_record_line = m_line;
    std::vector<std::string> fields(1);
    bool quoted = false;
    bool after_quote = false; // a quoted field closed: only a delimiter or the record's end may follow
    while (m_position < m_text.size()) {
        char c = m_text[m_position++];
        if (quoted) {
            if (c == '"') {
                if (m_position < m_text.size() && m_text[m_position] == '"') {
                    fields.back() += '"';
                    ++m_position;
                } else {
                    quoted = false;
                    after_quote = true;
                }
            } else {
                m_line += c == '\n' ? 1U : 0U;
                fields.back() += c;
            }
            continue;
        }
        if (c == '\n' || c == '\r') {
            if (c == '\r' && m_position < m_text.size() && m_text[m_position] == '\n') {
                ++m_position;
            }
            ++m_line;
            return std::optional(std::move(fields));
        }
        if (c == m_delimiter) {
            fields.emplace_back();
            after_quote = false;
        } else if (after_quote) {
            return error("text after a closing quote in field " + std::to_string(fields.size()));
        } else if (c == '"' && fields.back().empty()) {
            quoted = true;
        } else {
            fields.back() += c;
        }
    }
    if (quoted) {
        return error("a quoted field is not closed before the end of the file");
    }
    return std::optional(std::move(fields));
}

std::optional<std::size_t> column_index(const std::vector<std::string>& header, std::string_view name) {
    auto found = std::find(header.begin(), header.end(), name);
    if (found == header.end()) {
        return std::nullopt;
    }
    return static_cast<std::size_t>(found - header.begin());
}

Result<std::size_t> require_column(const CsvReader& reader, const std::vector<std::string>& header,
                                   std::string_view name) {
    if (auto index = column_index(header, name)) {
        return *index;
    }
    return reader.error("no column \"" + std::string(name) + "\" in the header (it has: " + join(header, ", ") + ")");
}

} // namespace cxrcat::labels
