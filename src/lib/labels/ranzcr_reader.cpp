// SPDX-License-Identifier: Apache-2.0
// RANZCR CLiP (labels-facts.md §1.9): train.csv has `StudyInstanceUID`, 11 binary catheter columns
// (ETT - Abnormal … Swan Ganz Catheter Present; not one-hot within a group) and `PatientID`.
// Images are train/<StudyInstanceUID>.jpg; the test set is hidden.
#include "labels/dataset_reader.hpp"

namespace cxrcat::labels {

namespace {

std::vector<std::string> ranzcr_roles(const LabelOptions& /*options*/) {
    return {"train"};
}

Result<void> read_ranzcr(const ReaderContext& context, const NativeSink& each) {
    auto file = open_csv(context, "train");
    auto study = file ? file->column("StudyInstanceUID") : Result<std::size_t>(file.error());
    auto patient = study ? file->column("PatientID") : study;
    if (!patient) {
        return patient.error();
    }
    auto findings = native_columns(context, *file, {*study, *patient});
    if (!findings) {
        return findings.error();
    }
    return each_record(*file, [&](const std::vector<std::string>& record) -> Result<void> {
        NativeRow row;
        row.row.image = "train/" + record[*study] + ".jpg";
        row.row.patient = record[*patient];
        row.row.study = record[*study];
        row.row.split = "train";
        row.native.assign(context.spec.findings.size(), FindingValue::not_mentioned);
        for (auto [column, native] : *findings) {
            auto value = parse_finding_value(record[column]);
            if (!value || *value == FindingValue::uncertain || *value == FindingValue::not_mentioned) {
                return file->reader->error("column \"" + file->header[column] + "\": expected 0 or 1, got \"" +
                                           record[column] + "\"");
            }
            row.native[native] = *value;
        }
        each(std::move(row));
        return {};
    });
}

} // namespace

const DatasetReader k_ranzcr_reader{"ranzcr-clip", {""}, ranzcr_roles, read_ranzcr};

} // namespace cxrcat::labels
