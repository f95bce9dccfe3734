// SPDX-License-Identifier: Apache-2.0
// Private: the label tables as the publishers ship them are RFC 4180 CSV with their own traps (NIH's
// header has unquoted commas inside brackets, SIIM's column name a leading space, PadChest's cells
// hold quoted Python lists). This reader splits records exactly (quotes, doubled quotes, CRLF, line
// breaks inside quotes) and leaves every trap to the dataset's reader, which knows it. It pulls its
// text in chunks, so a table of MIMIC's size is never held whole.
#pragma once

#include "cxrcat/base/result.hpp"

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cxrcat::labels {

// The next chunk of a table's text; an empty chunk is the end.
using TextSource = std::function<Result<std::string_view>()>;

class CsvReader {
  public:
    // Reads text (which must outlive the reader). name is the file's display name for errors;
    // delimiter ',' or '\t'.
    CsvReader(std::string_view text, std::string name, char delimiter = ',');
    // Reads what source yields, chunk by chunk.
    CsvReader(TextSource source, std::string name, char delimiter = ',');

    // The next record's fields, or nullopt at the end. Errors (integrity): a quote left open at the
    // end of the file, or text after a closing quote, naming the file and line; the source's errors.
    [[nodiscard]] Result<std::optional<std::vector<std::string>>> next();
    // The same into fields, whose strings keep their capacity from record to record (a table of
    // hundreds of thousands of rows then allocates once per column, not once per field). False at the end.
    [[nodiscard]] Result<bool> next_into(std::vector<std::string>& fields);

    // The line the last record returned by next() started on (1-based).
    [[nodiscard]] std::size_t line() const { return m_record_line; }
    [[nodiscard]] const std::string& name() const { return m_name; }

    // An integrity error at the current record: "<file>:<line>: <what>".
    [[nodiscard]] Error error(const std::string& what) const;

  private:
    // The next character, or nullopt at the end of the text (or on a source error, kept in m_failed).
    std::optional<char> take();
    // The next character without taking it.
    std::optional<char> peek();
    bool fill();
    // Appends to field the characters of the current chunk before the next of stops.
    void append_run(std::string& field, std::string_view stops);

    TextSource m_source;
    std::string_view m_chunk;
    std::size_t m_position = 0;
    std::optional<Error> m_failed;
    bool m_ended = false;
    std::string m_name;
    char m_delimiter;
    std::size_t m_line = 1;
    std::size_t m_record_line = 0;
};

// The index of column name in header (compared exactly), or nullopt.
[[nodiscard]] std::optional<std::size_t> column_index(const std::vector<std::string>& header, std::string_view name);

// As column_index, but a missing column is an integrity error naming the file, the column and the
// header's columns.
[[nodiscard]] Result<std::size_t> require_column(const CsvReader& reader, const std::vector<std::string>& header,
                                                 std::string_view name);

} // namespace cxrcat::labels
