// SPDX-License-Identifier: Apache-2.0
#include "catalog/label_table_parser.hpp"

#include <algorithm>
#include <set>

namespace cxrcat {

const LabelFile* LabelTableSpec::file(std::string_view role) const {
    auto found = std::find_if(files.begin(), files.end(), [&](const LabelFile& each) { return each.role == role; });
    return found == files.end() ? nullptr : &*found;
}

namespace catalog_entry {

using nlohmann::json;

namespace {

void parse_files(Reader& reader, const json& table, const std::string& pointer, LabelTableSpec& spec) {
    reader.each_object(table, pointer, "files", true, [&](const json& item, const std::string& item_pointer) {
        LabelFile file;
        file.role = reader.text(item, item_pointer, "role", true);
        file.paths = reader.text_list(item, item_pointer, "paths");
        if (file.paths.empty()) {
            reader.problem(child(item_pointer, "paths"), "must name at least one path");
        }
        for (std::size_t i = 0; i < file.paths.size(); ++i) {
            check_relative_path(reader, child(child(item_pointer, "paths"), i), file.paths[i]);
        }
        spec.files.push_back(std::move(file));
    });
}

void parse_findings(Reader& reader, const json& table, const std::string& pointer, LabelTableSpec& spec) {
    std::set<std::string> seen;
    reader.each_object(table, pointer, "findings", true, [&](const json& item, const std::string& item_pointer) {
        FindingMapping mapping;
        mapping.native = reader.text(item, item_pointer, "native", true);
        // "common": null is the explicit "maps to nothing"; absent is an error, so no name is forgotten.
        if (!item.contains("common")) {
            reader.problem(child(item_pointer, "common"), "is required (a common finding name, or null for none)");
        } else if (!item["common"].is_null()) {
            mapping.common = reader.text(item, item_pointer, "common", true);
        }
        if (!seen.insert(mapping.native).second) {
            reader.problem(child(item_pointer, "native"), "\"" + mapping.native + "\" is mapped twice");
        }
        spec.findings.push_back(std::move(mapping));
    });
}

} // namespace

std::optional<LabelTableSpec> parse_label_table(Reader& reader, const json& entry, const std::string& pointer) {
    const json* table = reader.object(entry, pointer, "label_table", false);
    if (table == nullptr) {
        return std::nullopt;
    }
    std::string table_pointer = child(pointer, "label_table");
    LabelTableSpec spec;
    spec.reader = reader.text(*table, table_pointer, "reader", true);
    parse_files(reader, *table, table_pointer, spec);
    if (const json* rule = reader.typed(*table, table_pointer, "not_listed", true, json::value_t::string, "a string")) {
        std::string value = rule->get<std::string>();
        if (value != "negative" && value != "not-mentioned") {
            reader.unknown_value(child(table_pointer, "not_listed"), value, {"negative", "not-mentioned"});
        }
        spec.not_listed_negative = value == "negative";
    }
    parse_findings(reader, *table, table_pointer, spec);
    spec.sources = reader.text_list(*table, table_pointer, "sources");
    return spec;
}

} // namespace catalog_entry

} // namespace cxrcat
