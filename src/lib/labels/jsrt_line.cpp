// SPDX-License-Identifier: Apache-2.0
#include "labels/jsrt_line.hpp"

#include "cxrcat/base/text.hpp"

#include <vector>

namespace cxrcat::labels {

namespace {

std::string sex_of(std::string_view text) {
    std::string lower = to_lower(std::string(trim(text)));
    if (lower == "m" || lower == "male") {
        return "M";
    }
    if (lower == "f" || lower == "female") {
        return "F";
    }
    return "";
}

std::string age_of(std::string_view text) {
    std::string_view value = trim(text);
    bool digits =
        !value.empty() && value.size() <= 3 && value.find_first_not_of("0123456789") == std::string_view::npos;
    return digits ? std::string(value) : "";
}

// A file's line split at tabs; a line without any tab is split at runs of spaces.
std::vector<std::string_view> fields_of(std::string_view line) {
    std::vector<std::string_view> fields;
    bool tabs = line.find('\t') != std::string_view::npos;
    std::size_t start = 0;
    while (start <= line.size()) {
        std::size_t end = line.find(tabs ? '\t' : ' ', start);
        end = end == std::string_view::npos ? line.size() : end;
        if (tabs || end > start) {
            fields.push_back(line.substr(start, end - start));
        }
        start = end + 1;
    }
    return fields;
}

} // namespace

std::optional<JsrtLine> parse_jsrt_line(std::string_view line, const JsrtColumns& columns) {
    auto fields = fields_of(line);
    if (fields.size() <= columns.sex || fields.size() <= columns.age) {
        return std::nullopt;
    }
    std::string file = std::string(trim(fields[0]));
    std::string lower = to_lower(file);
    if (!lower.starts_with(columns.prefix) || !lower.ends_with(".img") || lower.size() < columns.prefix.size() + 4) {
        return std::nullopt;
    }
    return JsrtLine{file, age_of(fields[columns.age]), sex_of(fields[columns.sex])};
}

} // namespace cxrcat::labels
