// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "cxrcat/base/digest_json.hpp"
#include "cxrcat/catalog/dataset.hpp"

#include <iosfwd>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace cxrcat::cli {

// True when the stream's descriptor is a terminal.
[[nodiscard]] bool stdout_is_terminal();
[[nodiscard]] bool stderr_is_terminal();
// Width to fit tables to: the terminal's, else $COLUMNS, else none (nullopt = do not cut).
[[nodiscard]] std::optional<std::size_t> output_width();

// A text table: columns aligned, some columns allowed to shrink to fit a width.
class Table {
  public:
    explicit Table(std::vector<std::string> headers) : m_headers(std::move(headers)) {}
    void add_row(std::vector<std::string> cells) { m_rows.push_back(std::move(cells)); }
    // Prints with two spaces between columns; `shrink` is cut with "…" to fit width.
    void print(std::ostream& out, std::optional<std::size_t> width, std::size_t shrink) const;
    // As above, cutting the `shrink` columns in that order, each down to its header's width, until
    // the table fits.
    void print(std::ostream& out, std::optional<std::size_t> width, const std::vector<std::size_t>& shrink) const;

  private:
    std::vector<std::string> m_headers;
    std::vector<std::vector<std::string>> m_rows;
};

// RFC 4180 field quoting.
[[nodiscard]] std::string csv_field(const std::string& value);

// The dataset as JSON for --format json: the entry as written, with defaults made explicit.
[[nodiscard]] nlohmann::json dataset_json(const Dataset& dataset);

// The exit-code table, for --help footers.
[[nodiscard]] std::string exit_code_help();

} // namespace cxrcat::cli
