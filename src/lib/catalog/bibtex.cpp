// SPDX-License-Identifier: Apache-2.0
// A reader for the few BibTeX fields `cite --format text` needs; not a BibTeX parser.
#include "cxrcat/catalog/bibtex.hpp"

#include <cctype>
#include <vector>

namespace cxrcat {

namespace {

// The end of the first entry: the brace that closes "@type{".
std::string_view first_entry(std::string_view bibtex) {
    std::size_t at = bibtex.find('@');
    std::size_t open = at == std::string_view::npos ? at : bibtex.find('{', at);
    if (open == std::string_view::npos) {
        return {};
    }
    int depth = 0;
    for (std::size_t i = open; i < bibtex.size(); ++i) {
        depth += bibtex[i] == '{' ? 1 : bibtex[i] == '}' ? -1 : 0;
        if (depth == 0) {
            return bibtex.substr(open + 1, i - open - 1);
        }
    }
    return bibtex.substr(open + 1);
}

// Drops grouping braces and the \url command; collapses runs of white space.
std::string plain(std::string_view value) {
    std::string out;
    for (std::size_t i = 0; i < value.size(); ++i) {
        if (value.substr(i).starts_with("\\url")) {
            i += 3;
            continue;
        }
        char c = value[i];
        if (c == '{' || c == '}') {
            continue;
        }
        if (std::isspace(static_cast<unsigned char>(c)) != 0) {
            if (!out.empty() && out.back() != ' ') {
                out.push_back(' ');
            }
            continue;
        }
        out.push_back(c);
    }
    while (!out.empty() && out.back() == ' ') {
        out.pop_back();
    }
    return out;
}

bool is_name_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-';
}

} // namespace

std::optional<std::string> bibtex_field(std::string_view bibtex, std::string_view name) {
    std::string_view entry = first_entry(bibtex);
    for (std::size_t at = entry.find(name); at != std::string_view::npos; at = entry.find(name, at + 1)) {
        // A whole field name, at the start of a field (after ',' or a line break).
        if ((at > 0 && is_name_char(entry[at - 1])) ||
            (at + name.size() < entry.size() && is_name_char(entry[at + name.size()]))) {
            continue;
        }
        std::size_t before = entry.find_last_not_of(" \t\r\n", at == 0 ? 0 : at - 1);
        if (at != 0 && before != std::string_view::npos && entry[before] != ',') {
            continue;
        }
        std::size_t equals = entry.find_first_not_of(" \t", at + name.size());
        if (equals == std::string_view::npos || entry[equals] != '=') {
            continue;
        }
        std::size_t start = entry.find_first_not_of(" \t\r\n", equals + 1);
        if (start == std::string_view::npos) {
            return std::nullopt;
        }
        if (entry[start] == '{') {
            int depth = 0;
            for (std::size_t i = start; i < entry.size(); ++i) {
                depth += entry[i] == '{' ? 1 : entry[i] == '}' ? -1 : 0;
                if (depth == 0) {
                    return plain(entry.substr(start + 1, i - start - 1));
                }
            }
            return plain(entry.substr(start + 1));
        }
        if (entry[start] == '"') {
            std::size_t end = entry.find('"', start + 1);
            return plain(entry.substr(start + 1, end == std::string_view::npos ? end : end - start - 1));
        }
        std::size_t end = entry.find_first_of(",\r\n", start);
        return plain(entry.substr(start, end == std::string_view::npos ? end : end - start));
    }
    return std::nullopt;
}

std::string bibtex_to_text(std::string_view bibtex) {
    std::vector<std::string> parts;
    auto add = [&](std::optional<std::string> value, std::string_view prefix = "") {
        if (value && !value->empty()) {
            parts.push_back(std::string(prefix) + *value);
        }
    };
    auto first_of = [&](std::initializer_list<std::string_view> names) -> std::optional<std::string> {
        for (auto name : names) {
            if (auto value = bibtex_field(bibtex, name)) {
                return value;
            }
        }
        return std::nullopt;
    };
    add(first_of({"author", "organization"}));
    add(bibtex_field(bibtex, "title"));
    add(first_of({"journal", "booktitle", "howpublished", "publisher"}));
    add(bibtex_field(bibtex, "year"));
    std::string out;
    for (const auto& part : parts) {
        out += out.empty() ? "" : " ";
        out += part;
        if (!part.ends_with('.')) {
            out += '.';
        }
    }
    if (auto doi = bibtex_field(bibtex, "doi")) {
        if (!out.empty()) {
            out += ' ';
        }
        out += "doi:";
        out += *doi;
    }
    return out;
}

} // namespace cxrcat
