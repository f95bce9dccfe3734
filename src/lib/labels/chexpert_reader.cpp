// SPDX-License-Identifier: Apache-2.0
// CheXpert (labels-facts.md §1.3): train.csv / valid.csv (and the later test labels, when installed)
// with the header
//   Path,Sex,Age,Frontal/Lateral,AP/PA,No Finding,Enlarged Cardiomediastinum,…,Support Devices
// values "1.0" / "0.0" / "-1.0" / blank (chexpert-labeler constants.py: POSITIVE=1, NEGATIVE=0,
// UNCERTAIN=-1, missing = not mentioned). `Path` starts with CheXpert-v1.0-small/ or CheXpert-v1.0/
// (the small and full releases); the image column drops that prefix (TorchXRayVision PR #145 does
// the same). --labeler chexbert reads train_cheXbert.csv instead of train.csv (same shape).
#include "cxrcat/base/text.hpp"
#include "labels/dataset_reader.hpp"

#include <algorithm>
#include <array>

namespace cxrcat::labels {

namespace {

constexpr std::array<std::string_view, 2> k_release_prefixes{"CheXpert-v1.0-small/", "CheXpert-v1.0/"};
constexpr std::array<std::string_view, 5> k_metadata{"Path", "Sex", "Age", "Frontal/Lateral", "AP/PA"};

std::string train_role(const LabelOptions& options) {
    return options.labeler == "chexbert" ? "chexbert" : "train";
}

std::vector<std::string> chexpert_roles(const LabelOptions& options) {
    return {train_role(options), "valid"};
}

std::string strip_release_prefix(std::string_view path) {
    for (std::string_view prefix : k_release_prefixes) {
        if (path.starts_with(prefix)) {
            return std::string(path.substr(prefix.size()));
        }
    }
    return std::string(path);
}

// "train/patient00001/study1/view1_frontal.jpg" -> patient "patient00001", study "patient00001/study1".
void set_patient_and_study(LabelRow& row) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (start <= row.image.size()) {
        std::size_t end = row.image.find('/', start);
        end = end == std::string::npos ? row.image.size() : end;
        parts.push_back(row.image.substr(start, end - start));
        start = end + 1;
    }
    if (parts.size() >= 3) {
        row.patient = parts[parts.size() - 3];
        row.study = parts[parts.size() - 3] + "/" + parts[parts.size() - 2];
    }
}

// Frontal images take their AP/PA value (AP, PA, and the rare LL and RL); lateral ones are LATERAL.
std::string view_of(std::string_view frontal_lateral, std::string_view ap_pa) {
    if (trim(frontal_lateral) == "Lateral") {
        return "LATERAL";
    }
    return to_upper(trim(ap_pa));
}

Result<void> read_table(const ReaderContext& context, std::string_view role, const std::string& split,
                        const NativeSink& each) {
    auto file = open_csv(context, role);
    if (!file) {
        return file.error();
    }
    std::vector<std::size_t> metadata;
    for (std::string_view name : k_metadata) {
        auto index = file->column(name);
        if (!index) {
            return index.error();
        }
        metadata.push_back(*index);
    }
    // Every column after the metadata is a finding the catalog's map must know.
    auto findings = native_columns(context, *file, metadata);
    if (!findings) {
        return findings.error();
    }
    return each_record(*file, [&](const std::vector<std::string>& fields) -> Result<void> {
        NativeRow row;
        row.native.assign(context.spec.findings.size(), FindingValue::not_mentioned);
        for (auto [column, native] : *findings) {
            auto value = parse_finding_value(fields[column]);
            if (!value) {
                return file->reader->error("column \"" + file->header[column] +
                                           "\": expected 1.0, 0.0, -1.0 or blank, got \"" + fields[column] + "\"");
            }
            row.native[native] = *value;
        }
        row.row.image = strip_release_prefix(fields[metadata[0]]);
        set_patient_and_study(row.row);
        row.row.sex = sex_code(fields[metadata[1]]);
        row.row.age = whole_years(fields[metadata[2]]);
        row.row.view = view_of(fields[metadata[3]], fields[metadata[4]]);
        row.row.split = split;
        each(std::move(row));
        return {};
    });
}

Result<void> read_chexpert(const ReaderContext& context, const NativeSink& each) {
    if (auto train = read_table(context, train_role(context.options), "train", each); !train) {
        return train;
    }
    if (auto valid = read_table(context, "valid", "validate", each); !valid) {
        return valid;
    }
    // The test labels came out later (CheXlocalize); read them when they are installed.
    return context.locate("test") ? read_table(context, "test", "test", each) : Result<void>();
}

} // namespace

const DatasetReader k_chexpert_reader{"chexpert", {"", "chexbert"}, chexpert_roles, read_chexpert};

} // namespace cxrcat::labels
