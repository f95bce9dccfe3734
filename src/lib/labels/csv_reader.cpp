// SPDX-License-Identifier: Apache-2.0
#include "labels/csv_reader.hpp"

#include "cxrcat/base/text.hpp"

#include <algorithm>

namespace cxrcat::labels {

namespace {

constexpr std::string_view k_utf8_bom = "\xEF\xBB\xBF";

} // namespace

CsvReader::CsvReader(std::string_view text, std::string name, char delimiter)
    : CsvReader(
          [text, given = false]() mutable -> Result<std::string_view> {
              bool first = !given;
              given = true;
              return first ? text : std::string_view();
          },
          std::move(name), delimiter) {}

CsvReader::CsvReader(TextSource source, std::string name, char delimiter)
    : m_source(std::move(source)), m_name(std::move(name)), m_delimiter(delimiter) {}

Error CsvReader::error(const std::string& what) const {
    return Error(ErrorCode::integrity, m_name + ":" + std::to_string(m_record_line) + ": " + what);
}

bool CsvReader::fill() {
    while (m_position >= m_chunk.size()) {
        if (m_ended) {
            return false;
        }
        auto chunk = m_source();
        if (!chunk) {
            m_failed = chunk.error();
            m_ended = true;
            return false;
        }
        m_chunk = *chunk;
        m_position = 0;
        m_ended = m_chunk.empty();
    }
    return true;
}

void CsvReader::append_run(std::string& field, std::string_view stops) {
    // The rest of the chunk up to the next stop character is plain text: appended at once.
    std::size_t end = m_chunk.find_first_of(stops, m_position);
    end = end == std::string_view::npos ? m_chunk.size() : end;
    field.append(m_chunk.substr(m_position, end - m_position));
    m_position = end;
}

std::optional<char> CsvReader::take() {
    if (!fill()) {
        return std::nullopt;
    }
    return m_chunk[m_position++];
}

std::optional<char> CsvReader::peek() {
    if (!fill()) {
        return std::nullopt;
    }
    return m_chunk[m_position];
}

Result<std::optional<std::vector<std::string>>> CsvReader::next() {
    std::vector<std::string> fields;
    auto read = next_into(fields);
    if (!read) {
        return read.error();
    }
    return *read ? std::optional(std::move(fields)) : std::nullopt;
}

Result<bool> CsvReader::next_into(std::vector<std::string>& fields) {
    if (!peek()) {
        if (m_failed) {
            return *m_failed;
        }
        return false;
    }
    m_record_line = m_line;
    // A UTF-8 byte order mark that opens the file is not part of the first column's name.
    bool may_hold_bom = m_record_line == 1;
    std::size_t count = 0;
    auto next_field = [&]() -> std::string& {
        if (fields.size() <= count) {
            fields.emplace_back();
        }
        std::string& field = fields[count++];
        field.clear(); // keeps its capacity
        return field;
    };
    std::string* field = &next_field();
    bool quoted = false;
    bool after_quote = false; // a quoted field closed: only a delimiter or the record's end may follow
    while (auto c = take()) {
        if (quoted) {
            if (*c == '"') {
                if (peek() == '"') {
                    *field += '"';
                    take();
                } else {
                    quoted = false;
                    after_quote = true;
                }
            } else {
                m_line += *c == '\n' ? 1U : 0U;
                *field += *c;
                append_run(*field, "\"\n");
            }
            continue;
        }
        if (*c == '\n' || *c == '\r') {
            if (*c == '\r' && peek() == '\n') {
                take();
            }
            ++m_line;
            fields.resize(count);
            return true;
        }
        if (*c == m_delimiter) {
            field = &next_field();
            after_quote = false;
        } else if (after_quote) {
            return error("text after a closing quote in field " + std::to_string(count));
        } else if (*c == '"' && field->empty()) {
            quoted = true;
        } else {
            *field += *c;
            if (may_hold_bom && count == 1 && field->size() <= k_utf8_bom.size()) {
                if (*field == k_utf8_bom) {
                    field->clear();
                    may_hold_bom = false;
                }
                continue; // the BOM is looked for a byte at a time
            }
            const char stops[] = {m_delimiter, '\r', '\n', '\0'};
            append_run(*field, std::string_view(stops, 3));
        }
    }
    if (m_failed) {
        return *m_failed;
    }
    if (quoted) {
        return error("a quoted field is not closed before the end of the file");
    }
    fields.resize(count);
    return true;
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
