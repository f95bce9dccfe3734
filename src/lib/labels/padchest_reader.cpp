// SPDX-License-Identifier: Apache-2.0
// PadChest (labels-facts.md §1.5): PADCHEST_chest_x_ray_images_labels_160K_01.02.19.csv, one row per
// image, columns found by name (the 01.02.19 release adds a leading unnamed index column and moves
// others, so positions are not relied on). `Labels` is a Python list literal (`['pleural effusion',
// 'cardiomegaly']`, `['normal']`); an empty cell (null Labels, which TorchXRayVision drops) keeps the
// row with every finding not mentioned. Names are matched exactly against the catalog's map, never by
// substring (TorchXRayVision's substring match makes "mass" catch breast and soft-tissue masses);
// names the map does not list are PadChest's own findings that map to no column. A mapped finding that
// is not listed is negative. `MethodLabel` (Physician, or the RNN labeller) goes to label_method.
// The image is <ImageDir>/<ImageID>; age is the study year minus PatientBirth (a year as a float,
// e.g. 1930.0), the only birth date PadChest publishes. PadChest has no official split.
#include "cxrcat/base/text.hpp"
#include "labels/dataset_reader.hpp"
#include "labels/python_string_list.hpp"

#include <charconv>

namespace cxrcat::labels {

namespace {

std::vector<std::string> padchest_roles(const LabelOptions& /*options*/) {
    return {"labels"};
}

struct PadChestColumns {
    std::size_t image, dir, study_date, study, patient, birth, sex, projection, method, labels;
};

Result<PadChestColumns> padchest_columns(const CsvFile& file) {
    PadChestColumns columns{};
    for (auto [field, name] :
         {std::pair{&columns.image, "ImageID"}, std::pair{&columns.dir, "ImageDir"},
          std::pair{&columns.study_date, "StudyDate_DICOM"}, std::pair{&columns.study, "StudyID"},
          std::pair{&columns.patient, "PatientID"}, std::pair{&columns.birth, "PatientBirth"},
          std::pair{&columns.sex, "PatientSex_DICOM"}, std::pair{&columns.projection, "Projection"},
          std::pair{&columns.method, "MethodLabel"}, std::pair{&columns.labels, "Labels"}}) {
        auto index = file.column(name);
        if (!index) {
            return index.error();
        }
        *field = *index;
    }
    return columns;
}

// A whole number written as "12" or "12.0" (a pandas float column), else nullopt.
std::optional<long> padchest_number(std::string_view text) {
    text = trim(text);
    if (text.size() > 2 && text.substr(text.size() - 2) == ".0") {
        text.remove_suffix(2);
    }
    long value = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    return error == std::errc() && end == text.data() + text.size() && !text.empty() ? std::optional(value)
                                                                                     : std::nullopt;
}

// Study year (YYYYMMDD) minus birth year, or "" when either is missing or the difference is negative.
std::string padchest_age(std::string_view study_date, std::string_view birth) {
    auto year = padchest_number(trim(study_date).substr(0, 4));
    auto born = padchest_number(birth);
    return year && born && *year >= *born ? std::to_string(*year - *born) : "";
}

// PadChest's Projection codes (PA, L, AP, AP_horizontal, COSTAL, UNK, EXCLUDE; labels-facts.md §1.5):
// L is the lateral view, UNK unknown; the rarer codes keep their own upper-case names.
std::string padchest_view(std::string_view projection) {
    std::string code = to_upper(trim(projection));
    if (code == "L") {
        return "LATERAL";
    }
    return code == "UNK" ? "" : code;
}

Result<std::vector<FindingValue>> padchest_findings(const ReaderContext& context, const CsvReader& reader,
                                                    std::string_view cell) {
    if (trim(cell).empty()) {
        return std::vector<FindingValue>(context.spec.findings.size(), FindingValue::not_mentioned);
    }
    StringListParse listed = parse_python_string_list(cell);
    if (!listed.error.empty()) {
        return reader.error("Labels: " + listed.error);
    }
    std::vector<FindingValue> values(context.spec.findings.size(), FindingValue::negative);
    for (const std::string& item : listed.items) {
        if (auto index = context.native_index(trim(item))) {
            values[*index] = FindingValue::positive;
        }
    }
    return values;
}

Result<void> read_padchest(const ReaderContext& context, const NativeSink& each) {
    auto file = open_csv(context, "labels");
    auto columns = file ? padchest_columns(*file) : Result<PadChestColumns>(file.error());
    if (!columns) {
        return columns.error();
    }
    return each_record(*file, [&](const std::vector<std::string>& fields) -> Result<void> {
        auto values = padchest_findings(context, *file->reader, fields[columns->labels]);
        if (!values) {
            return values.error();
        }
        auto dir_number = padchest_number(fields[columns->dir]);
        std::string dir = dir_number ? std::to_string(*dir_number) : std::string(trim(fields[columns->dir]));
        std::string image(trim(fields[columns->image]));
        NativeRow row;
        row.row.image = dir.empty() ? image : dir + "/" + image;
        row.row.patient = trim(fields[columns->patient]);
        row.row.study = trim(fields[columns->study]);
        row.row.view = padchest_view(fields[columns->projection]);
        row.row.sex = sex_code(fields[columns->sex]);
        row.row.age = padchest_age(fields[columns->study_date], fields[columns->birth]);
        row.row.label_method = trim(fields[columns->method]);
        row.native = std::move(*values);
        each(std::move(row));
        return {};
    });
}

} // namespace

const DatasetReader k_padchest_reader{"padchest", {""}, padchest_roles, read_padchest};

} // namespace cxrcat::labels
