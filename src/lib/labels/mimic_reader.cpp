// SPDX-License-Identifier: Apache-2.0
// MIMIC-CXR-JPG 2.1.0 (labels-facts.md §1.4). Labels are per study: mimic-cxr-2.0.0-chexpert.csv.gz
// (or -negbio with --labeler negbio) has `subject_id,study_id` and the 14 CheXpert observations,
// 1.0 / 0.0 / -1.0 / empty ("no mention"). mimic-cxr-2.1.0-test-set-labeled.csv (--labeler
// radiologist) is keyed by study_id alone and spells `Airspace Opacity`. Images come from
// -metadata.csv.gz (dicom_id, subject_id, study_id, …, ViewPosition, …; 15,769 ViewPositions are
// empty) and the path rule files/p{subject_id[:2]}/p{subject_id}/s{study_id}/{dicom_id}.jpg; the
// official split is -split.csv.gz (dicom_id, study_id, subject_id, split). Every image of a study
// gets the study's labels; an image whose study has no label row keeps empty findings.
#include "labels/dataset_reader.hpp"

#include "cxrcat/base/text.hpp"

#include <unordered_map>

namespace cxrcat::labels {

namespace {

std::string label_role(const LabelOptions& options) {
    return options.labeler.empty() ? std::string("chexpert") : options.labeler;
}

std::vector<std::string> mimic_roles(const LabelOptions& options) {
    return {"metadata", "split", label_role(options)};
}

// The header and a reader over role's text (kept alive in text).
Result<std::vector<std::string>> open_table(const ReaderContext& context, std::string_view role, std::string& text,
                                            std::optional<CsvReader>& reader) {
    auto read = context.read(role);
    if (!read) {
        return read.error();
    }
    text = std::move(*read);
    reader.emplace(text, context.display(*context.locate(role)));
    auto header = reader->next();
    if (!header) {
        return header.error();
    }
    if (!*header) {
        return reader->error("the file is empty");
    }
    return std::move(**header);
}

using StudyLabels = std::unordered_map<std::string, std::vector<FindingValue>>;

Result<StudyLabels> read_study_labels(const ReaderContext& context) {
    std::string text;
    std::optional<CsvReader> reader;
    auto header = open_table(context, label_role(context.options), text, reader);
    if (!header) {
        return header.error();
    }
    auto study = require_column(*reader, *header, "study_id");
    if (!study) {
        return study.error();
    }
    std::vector<std::pair<std::size_t, std::size_t>> findings; // column -> native index
    for (std::size_t column = 0; column < header->size(); ++column) {
        const std::string& name = (*header)[column];
        if (name == "subject_id" || name == "study_id") {
            continue;
        }
        auto native = context.require_native(*reader, name);
        if (!native) {
            return native.error();
        }
        findings.emplace_back(column, *native);
    }
    StudyLabels labels;
    for (;;) {
        auto record = reader->next();
        if (!record) {
            return record.error();
        }
        if (!*record) {
            return labels;
        }
        if (auto width = check_width(*reader, *header, **record); !width) {
            return width.error();
        }
        std::vector<FindingValue> values(context.spec.findings.size(), FindingValue::not_mentioned);
        for (auto [column, native] : findings) {
            auto value = parse_finding_value((**record)[column]);
            if (!value) {
                return reader->error("column \"" + (*header)[column] + "\": expected 1.0, 0.0, -1.0 or empty, got \"" +
                                     (**record)[column] + "\"");
            }
            values[native] = *value;
        }
        labels[(**record)[*study]] = std::move(values);
    }
}

// dicom_id -> split.
Result<std::unordered_map<std::string, std::string>> read_dicom_split(const ReaderContext& context) {
    std::string text;
    std::optional<CsvReader> reader;
    auto header = open_table(context, "split", text, reader);
    if (!header) {
        return header.error();
    }
    auto dicom = require_column(*reader, *header, "dicom_id");
    auto split = dicom ? require_column(*reader, *header, "split") : dicom;
    if (!split) {
        return split.error();
    }
    std::unordered_map<std::string, std::string> splits;
    for (;;) {
        auto record = reader->next();
        if (!record) {
            return record.error();
        }
        if (!*record) {
            return splits;
        }
        if (auto width = check_width(*reader, *header, **record); !width) {
            return width.error();
        }
        splits[(**record)[*dicom]] = (**record)[*split];
    }
}

Result<void> read_mimic(const ReaderContext& context, const NativeSink& each) {
    auto labels = read_study_labels(context);
    if (!labels) {
        return labels.error();
    }
    auto splits = read_dicom_split(context);
    if (!splits) {
        return splits.error();
    }
    std::string text;
    std::optional<CsvReader> reader;
    auto header = open_table(context, "metadata", text, reader);
    if (!header) {
        return header.error();
    }
    std::vector<std::size_t> columns;
    for (std::string_view name : {"dicom_id", "subject_id", "study_id", "ViewPosition"}) {
        auto index = require_column(*reader, *header, name);
        if (!index) {
            return index.error();
        }
        columns.push_back(*index);
    }
    const std::vector<FindingValue> unlabelled(context.spec.findings.size(), FindingValue::not_mentioned);
    for (;;) {
        auto record = reader->next();
        if (!record) {
            return record.error();
        }
        if (!*record) {
            return {};
        }
        const std::vector<std::string>& fields = **record;
        if (auto width = check_width(*reader, *header, fields); !width) {
            return width.error();
        }
        const std::string& dicom = fields[columns[0]];
        const std::string& subject = fields[columns[1]];
        const std::string& study = fields[columns[2]];
        if (subject.size() < 2) {
            return reader->error("subject_id \"" + subject + "\" is too short for the files/pNN/ path rule");
        }
        NativeRow row;
        row.row.image = "files/p" + subject.substr(0, 2) + "/p" + subject + "/s" + study + "/" + dicom + ".jpg";
        row.row.patient = subject;
        row.row.study = study;
        row.row.view = to_upper(trim(fields[columns[3]]));
        auto split = splits->find(dicom);
        row.row.split = split == splits->end() ? "" : split->second;
        auto found = labels->find(study);
        row.native = found == labels->end() ? unlabelled : found->second;
        each(std::move(row));
    }
}

} // namespace

const DatasetReader k_mimic_reader{"mimic-cxr-jpg", {"", "chexpert", "negbio", "radiologist"}, mimic_roles, read_mimic};

} // namespace cxrcat::labels
