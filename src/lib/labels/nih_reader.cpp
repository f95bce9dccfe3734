// SPDX-License-Identifier: Apache-2.0
// NIH ChestX-ray14 (labels-facts.md §1.1): Data_Entry_2017_v2020.csv, whose header
//   Image Index,Finding Labels,Follow-up #,Patient ID,Patient Age,Patient Gender,View Position,
//   OriginalImage[Width,Height],OriginalImagePixelSpacing[x,y]
// has unquoted commas inside brackets, so it and every row have 11 fields. Findings are `|`-joined;
// `No Finding` stands alone; a finding not listed is negative (NIH's labeller assessed all 14).
// The official split is train_val_list.txt / test_list.txt (one file name a line). The Box tarballs
// unpack to images/<Image Index>.
#include "cxrcat/base/text.hpp"
#include "labels/dataset_reader.hpp"

#include <unordered_map>

namespace cxrcat::labels {

namespace {

constexpr std::size_t k_v2020_width = 11; // the bracket commas split two header names in two each

std::vector<std::string> nih_roles(const LabelOptions& /*options*/) {
    return {"entries", "train_list", "test_list"};
}

// file name -> "train" or "test" from the two list files.
Result<std::unordered_map<std::string, std::string>> read_list_split(const ReaderContext& context) {
    std::unordered_map<std::string, std::string> split;
    for (auto [role, name] : {std::pair{"train_list", "train"}, std::pair{"test_list", "test"}}) {
        auto text = context.read(role);
        if (!text) {
            return text.error();
        }
        std::size_t start = 0;
        while (start < text->size()) {
            std::size_t end = text->find('\n', start);
            end = end == std::string::npos ? text->size() : end;
            std::string_view line = trim(std::string_view(*text).substr(start, end - start));
            if (!line.empty()) {
                split[std::string(line)] = name;
            }
            start = end + 1;
        }
    }
    return split;
}

struct EntryColumns {
    std::size_t image, findings, patient, age, sex, view;
};

Result<EntryColumns> find_columns(const CsvFile& file) {
    if (file.header.size() != k_v2020_width) {
        return file.reader->error("expected the v2020 header's 11 fields (its bracketed names hold unquoted commas), "
                                  "got " +
                                  std::to_string(file.header.size()));
    }
    EntryColumns columns{};
    for (auto [field, name] : {std::pair{&columns.image, "Image Index"}, std::pair{&columns.findings, "Finding Labels"},
                               std::pair{&columns.patient, "Patient ID"}, std::pair{&columns.age, "Patient Age"},
                               std::pair{&columns.sex, "Patient Gender"}, std::pair{&columns.view, "View Position"}}) {
        auto index = file.column(name);
        if (!index) {
            return index.error();
        }
        *field = *index;
    }
    return columns;
}

// Every assessed finding negative, then each listed one positive.
Result<std::vector<FindingValue>> findings_of(const ReaderContext& context, const CsvReader& reader,
                                              std::string_view listed) {
    std::vector<FindingValue> values(context.spec.findings.size(), FindingValue::negative);
    std::size_t start = 0;
    while (start <= listed.size()) {
        std::size_t end = listed.find('|', start);
        end = end == std::string_view::npos ? listed.size() : end;
        std::string_view name = trim(listed.substr(start, end - start));
        if (!name.empty()) {
            auto index = context.require_native(reader, name);
            if (!index) {
                return index.error();
            }
            values[*index] = FindingValue::positive;
        }
        start = end + 1;
    }
    return values;
}

Result<void> read_nih(const ReaderContext& context, const NativeSink& each) {
    auto split = read_list_split(context);
    auto file = split ? open_csv(context, "entries") : Result<CsvFile>(split.error());
    auto columns = file ? find_columns(*file) : Result<EntryColumns>(file.error());
    if (!columns) {
        return columns.error();
    }
    return each_record(*file, [&](const std::vector<std::string>& fields) -> Result<void> {
        auto values = findings_of(context, *file->reader, fields[columns->findings]);
        if (!values) {
            return values.error();
        }
        NativeRow row;
        row.row.image = "images/" + fields[columns->image];
        row.row.patient = fields[columns->patient];
        row.row.view = to_upper(trim(fields[columns->view]));
        row.row.sex = sex_code(fields[columns->sex]);
        row.row.age = whole_years(fields[columns->age]);
        auto in_split = split->find(fields[columns->image]);
        row.row.split = in_split == split->end() ? "" : in_split->second;
        row.native = std::move(*values);
        each(std::move(row));
        return {};
    });
}

} // namespace

const DatasetReader k_nih_reader{"nih-cxr14", {""}, nih_roles, read_nih};

} // namespace cxrcat::labels
