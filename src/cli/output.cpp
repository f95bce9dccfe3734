// SPDX-License-Identifier: Apache-2.0
#include "output.hpp"

#include "cli_reference.hpp"
#include "cxrcat/base/text.hpp"

#include <algorithm>
#include <cstdlib>
#include <ostream>
#include <sys/ioctl.h>
#include <unistd.h>

namespace cxrcat::cli {

bool stdout_is_terminal() {
    return ::isatty(STDOUT_FILENO) == 1;
}
bool stderr_is_terminal() {
    return ::isatty(STDERR_FILENO) == 1;
}

std::optional<std::size_t> output_width() {
    winsize size{};
    if (stdout_is_terminal() && ::ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) {
        return std::size_t{size.ws_col};
    }
    if (const char* columns = std::getenv("COLUMNS")) { // NOLINT(concurrency-mt-unsafe)
        char* end = nullptr;
        unsigned long value = std::strtoul(columns, &end, 10);
        if (end != columns && *end == '\0' && value >= 20) {
            return std::size_t{value};
        }
    }
    return std::nullopt;
}

void Table::print(std::ostream& out, std::optional<std::size_t> width, std::size_t shrink) const {
    print(out, width, std::vector<std::size_t>{shrink});
}

void Table::print(std::ostream& out, std::optional<std::size_t> width, const std::vector<std::size_t>& shrink) const {
    std::vector<std::size_t> widths(m_headers.size());
    for (std::size_t c = 0; c < m_headers.size(); ++c) {
        widths[c] = display_width(m_headers[c]);
        for (const auto& row : m_rows) {
            widths[c] = std::max(widths[c], display_width(row.at(c)));
        }
    }
    if (width) {
        std::size_t total = 2 * (widths.size() - 1);
        for (std::size_t column_width : widths) {
            total += column_width;
        }
        // One column is rarely enough: the others may already be wider than the terminal.
        for (std::size_t column : shrink) {
            if (total <= *width) {
                break;
            }
            std::size_t minimum = std::min(widths[column], display_width(m_headers[column]));
            std::size_t cut = std::min(total - *width, widths[column] - minimum);
            widths[column] -= cut;
            total -= cut;
        }
    }
    auto print_row = [&](const std::vector<std::string>& cells) {
        std::string line;
        for (std::size_t c = 0; c < cells.size(); ++c) {
            std::string cell = truncate_display(cells[c], widths[c]);
            line += cell;
            if (c + 1 < cells.size()) {
                line.append(widths[c] - display_width(cell) + 2, ' ');
            }
        }
        out << line << '\n';
    };
    print_row(m_headers);
    for (const auto& row : m_rows) {
        print_row(row);
    }
}

std::string csv_field(const std::string& value) {
    if (value.find_first_of(",\"\n\r") == std::string::npos) {
        return value;
    }
    std::string out = "\"";
    for (char c : value) {
        if (c == '"') {
            out += '"';
        }
        out += c;
    }
    return out + "\"";
}

nlohmann::json dataset_json(const Dataset& dataset) {
    nlohmann::json out = dataset.raw;
    if (!out.contains("redistribution") || out["redistribution"].is_null()) {
        out["redistribution"] = to_string(dataset.redistribution);
    }
    if (!out.contains("availability")) {
        out["availability"] = {{"status", to_string(dataset.availability)}};
    }
    return out;
}

std::string exit_code_help() {
    // Three columns, as wide as their longest short meaning, so the table reads down and across.
    constexpr std::size_t k_column_widths[] = {23, 25};
    std::string out = "Exit codes:\n";
    std::size_t column = 0;
    for (const ExitCodeDoc& doc : exit_code_docs()) {
        std::string cell = std::to_string(doc.code) + " " + std::string(doc.short_meaning);
        out += column == 0 ? "  " : "";
        if (column < 2) {
            cell.resize(std::max(cell.size(), k_column_widths[column]), ' ');
        }
        out += cell;
        column = (column + 1) % 3;
        out += column == 0 ? "\n" : "";
    }
    while (!out.empty() && (out.back() == ' ' || out.back() == '\n')) {
        out.pop_back();
    }
    out += "\nEnvironment: ";
    bool first = true;
    for (const ReferenceEntry& entry : environment_docs()) {
        if (!entry.help_label.empty()) {
            out += (first ? "" : ", ") + std::string(entry.help_label);
            first = false;
        }
    }
    return out;
}

} // namespace cxrcat::cli
