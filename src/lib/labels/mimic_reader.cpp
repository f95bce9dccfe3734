// SPDX-License-Identifier: Apache-2.0
// MIMIC-CXR-JPG 2.1.0 (labels-facts.md §1.4). Labels are per study: mimic-cxr-2.0.0-chexpert.csv.gz
// (or -negbio with --labeler negbio) has `subject_id,study_id` and the 14 CheXpert observations,
// 1.0 / 0.0 / -1.0 / empty ("no mention"). mimic-cxr-2.1.0-test-set-labeled.csv (--labeler
// radiologist) is keyed by study_id alone and spells `Airspace Opacity`. Images come from
// -metadata.csv.gz (dicom_id, subject_id, study_id, …, ViewPosition, …; 15,769 ViewPositions are
// empty) and the path rule files/p{subject_id[:2]}/p{subject_id}/s{study_id}/{dicom_id}.jpg; the
// official split is -split.csv.gz (dicom_id, study_id, subject_id, split). Every image of a study
// gets the study's labels; an image whose study has no label row keeps empty findings.
#include "cxrcat/base/text.hpp"
#include "labels/dataset_reader.hpp"

#include <cstdint>
#include <functional>
#include <unordered_map>

namespace cxrcat::labels {

namespace {

std::string label_role(const LabelOptions& options) {
    return options.labeler.empty() ? std::string("chexpert") : options.labeler;
}

std::vector<std::string> mimic_roles(const LabelOptions& options) {
    return {"metadata", "split", label_role(options)};
}

// Study labels in one flat pool: a study's values are pool[offset, offset + findings).
struct StudyLabels {
    std::unordered_map<std::string, std::size_t> offset_of; // study_id -> offset
    std::vector<FindingValue> pool;
};

Result<StudyLabels> read_study_labels(const ReaderContext& context) {
    auto file = open_csv(context, label_role(context.options));
    auto study = file ? file->column("study_id") : Result<std::size_t>(file.error());
    if (!study) {
        return study.error();
    }
    std::vector<std::size_t> keys{*study};
    if (auto subject = column_index(file->header, "subject_id")) {
        keys.push_back(*subject); // the radiologist's test-set file has none
    }
    auto findings = native_columns(context, *file, keys);
    if (!findings) {
        return findings.error();
    }
    StudyLabels labels;
    std::size_t width = context.spec.findings.size();
    auto read = each_record(*file, [&](const std::vector<std::string>& record) -> Result<void> {
        std::size_t offset = labels.pool.size();
        labels.pool.resize(offset + width, FindingValue::not_mentioned);
        for (auto [column, native] : *findings) {
            auto value = parse_finding_value(record[column]);
            if (!value) {
                return file->reader->error("column \"" + file->header[column] +
                                           "\": expected 1.0, 0.0, -1.0 or empty, got \"" + record[column] + "\"");
            }
            labels.pool[offset + native] = *value;
        }
        labels.offset_of[record[*study]] = offset;
        return {};
    });
    if (!read) {
        return read.error();
    }
    return labels;
}

// dicom_id -> split, keyed by a 64-bit hash of the id (377,110 ids: a collision is ~1e-8 likely),
// which keeps the map a tenth of the size of one keyed by the 44-character ids.
using SplitIndex = std::unordered_map<std::uint64_t, std::string>;

std::uint64_t id_hash(std::string_view id) {
    return std::hash<std::string_view>{}(id);
}

Result<SplitIndex> read_dicom_split(const ReaderContext& context) {
    auto file = open_csv(context, "split");
    auto dicom = file ? file->column("dicom_id") : Result<std::size_t>(file.error());
    auto split = dicom ? file->column("split") : dicom;
    if (!split) {
        return split.error();
    }
    SplitIndex splits;
    auto read = each_record(*file, [&](const std::vector<std::string>& record) -> Result<void> {
        splits[id_hash(record[*dicom])] = record[*split];
        return {};
    });
    if (!read) {
        return read.error();
    }
    return splits;
}

Result<void> read_mimic(const ReaderContext& context, const NativeSink& each) {
    auto labels = read_study_labels(context);
    auto splits = labels ? read_dicom_split(context) : Result<SplitIndex>(labels.error());
    auto file = splits ? open_csv(context, "metadata") : Result<CsvFile>(splits.error());
    if (!file) {
        return file.error();
    }
    std::vector<std::size_t> columns;
    for (std::string_view name : {"dicom_id", "subject_id", "study_id", "ViewPosition"}) {
        auto index = file->column(name);
        if (!index) {
            return index.error();
        }
        columns.push_back(*index);
    }
    std::size_t width = context.spec.findings.size();
    return each_record(*file, [&](const std::vector<std::string>& fields) -> Result<void> {
        const std::string& dicom = fields[columns[0]];
        const std::string& subject = fields[columns[1]];
        const std::string& study = fields[columns[2]];
        if (subject.size() < 2) {
            return file->reader->error("subject_id \"" + subject + "\" is too short for the files/pNN/ path rule");
        }
        NativeRow row;
        row.row.image = "files/p" + subject.substr(0, 2) + "/p" + subject + "/s" + study + "/" + dicom + ".jpg";
        row.row.patient = subject;
        row.row.study = study;
        row.row.view = to_upper(trim(fields[columns[3]]));
        auto split = splits->find(id_hash(dicom));
        row.row.split = split == splits->end() ? "" : split->second;
        auto found = labels->offset_of.find(study);
        if (found == labels->offset_of.end()) {
            row.native.assign(width, FindingValue::not_mentioned);
        } else {
            auto first = labels->pool.begin() + static_cast<std::ptrdiff_t>(found->second);
            row.native.assign(first, first + static_cast<std::ptrdiff_t>(width));
        }
        each(std::move(row));
        return {};
    });
}

} // namespace

const DatasetReader k_mimic_reader{"mimic-cxr-jpg", {"", "chexpert", "negbio", "radiologist"}, mimic_roles, read_mimic};

} // namespace cxrcat::labels
