// SPDX-License-Identifier: Apache-2.0
// `cxrcat labels` as a library call: the rows of several datasets through filters (view, split,
// --where), patient splits where a dataset has none, overlap across datasets, missing images, into
// one writer.
#pragma once

#include "cxrcat/base/paths.hpp"
#include "cxrcat/labels/label_output.hpp"

#include <array>
#include <optional>
#include <string>
#include <vector>

namespace cxrcat {

// --where FIELD=VALUE: values of one field are alternatives, fields AND.
struct LabelCondition {
    std::string field;               // view, split, sex, or finding.<common or native name>
    std::vector<std::string> values; // for a finding: 1, 0, -1 or none
};

// --split-by patient --ratios A,B,C --seed S.
struct PatientSplit {
    std::array<unsigned, 3> ratios{70, 10, 20}; // train, validate, test
    std::string seed;
    bool override_official = false;
};

struct LabelQuery {
    std::vector<LabelCondition> where;
    std::optional<PatientSplit> split_by_patient;
    bool require_images = false;
    bool absolute = false;
    bool drop_overlap = false;
    // Keep rows whose image is a catalog erratum of an unusable file (erratum_unusable); by default
    // they are dropped and counted (issue 21 §2).
    bool keep_errata = false;
};

struct LabelStats {
    std::size_t rows = 0;           // written
    std::size_t missing_images = 0; // rows whose image is not on disk (kept unless require_images)
    std::size_t overlapping = 0;    // rows that are an image of an earlier-named dataset (or the reverse)
    std::size_t errata = 0;         // rows whose image is an unusable erratum (dropped unless keep_errata)
    std::vector<std::string> notes; // for stderr: lineage without a mapping, split assignments
};

// Parses "--where" texts ("view=PA", "finding.Pneumothorax=1") into conditions, fields of one name
// merged. Errors (usage): no "=", an unknown field, a finding the columns lack, a finding value other
// than 1, 0, -1 or none; each message names the valid ones.
[[nodiscard]] Result<std::vector<LabelCondition>> parse_label_conditions(const std::vector<std::string>& texts,
                                                                         const LabelColumns& columns);

// True when row satisfies condition (one of its values); columns are the row's finding columns.
[[nodiscard]] bool label_row_matches(const LabelRow& row, const LabelCondition& condition, const LabelColumns& columns);

// The split ("train", "validate", "test") of unit (a patient, or an image where a dataset has no
// patient ids): a stable hash of seed, dataset and unit against the ratios.
[[nodiscard]] std::string patient_split(const PatientSplit& split, std::string_view dataset, std::string_view unit);

// Writes the table of datasets (in the order given: the first named wins an overlap) to writer.
[[nodiscard]] Result<LabelStats> write_label_table(const std::vector<const Dataset*>& datasets, const Paths& paths,
                                                   const Vocabulary& vocabulary, const LabelOptions& options,
                                                   const LabelQuery& query, LabelWriter& writer);

} // namespace cxrcat
