// SPDX-License-Identifier: Apache-2.0
// One row per image from a dataset's installed label files (issue 20): the image's path as fetch
// installs it, patient, study, view, sex, age, official split, the image of another catalogued
// dataset it is (where a published mapping says so), and one value per finding. Uncertain and not
// mentioned stay apart.
#pragma once

#include "cxrcat/base/result.hpp"
#include "cxrcat/catalog/dataset.hpp"
#include "cxrcat/labels/vocabulary.hpp"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace cxrcat {

// A finding's value: 1 positive, 0 negative, -1 uncertain, or not mentioned / not assessed.
enum class FindingValue : std::int8_t { uncertain = -1, negative = 0, positive = 1, not_mentioned = 2 };

// The text of a value in every output: "1", "0", "-1", or "" for not mentioned.
[[nodiscard]] std::string_view finding_text(FindingValue value);

// Two values for one column (two native names mapped onto one common name): positive wins, then
// uncertain, then negative, then not mentioned.
[[nodiscard]] FindingValue combine(FindingValue a, FindingValue b);

enum class FindingNames { common, native };
// VinDr-CXR's three readers per training image: positive when any, most (2 of 3) or all say so.
enum class ReaderPolicy { any, majority, all };

struct LabelOptions {
    FindingNames names = FindingNames::common;
    std::string labeler; // "" the dataset's default; chexbert (CheXpert); negbio, radiologist (MIMIC-CXR-JPG)
    ReaderPolicy readers = ReaderPolicy::any;
};

// The finding columns of a table, in output order.
struct LabelColumns {
    std::vector<std::string> findings;
    bool label_method = false; // PadChest's Physician / model column is printed
};

struct LabelRow {
    std::string dataset;
    std::string image; // relative to the dataset's directory
    std::string patient;
    std::string study;
    std::string view; // PA, AP, LATERAL, LL, other codes upper-case, or ""
    std::string sex;  // M, F or ""
    std::string age;  // whole years or ""
    std::string split;
    std::string source_image; // "<dataset>:<image>" or ""
    std::string label_method;
    std::vector<FindingValue> findings; // aligned with LabelColumns::findings
};

// The columns the datasets' rows carry: with common names, the vocabulary's names that at least one
// dataset maps to, in vocabulary order; with native names, every dataset's own names in catalog order
// (first dataset first). Errors: a dataset without a label table (not_found), a map naming a common
// name the vocabulary lacks (invalid_catalog), a labeler the dataset does not have (usage).
[[nodiscard]] Result<LabelColumns> label_columns(const std::vector<const Dataset*>& datasets,
                                                 const Vocabulary& vocabulary, const LabelOptions& options);

// Whether the label files dataset's reader needs under options are installed under dir. Errors: as
// read_dataset_labels's catalog and labeler checks; manual_step naming every missing file and the
// `cxrcat fetch ID --include …` that gets them.
[[nodiscard]] Result<void> check_label_files(const Dataset& dataset, const std::filesystem::path& dir,
                                             const Vocabulary& vocabulary, const LabelOptions& options);

// Reads dataset's installed label files under dir and calls each(row) once per image, the row's
// findings aligned with columns. Errors: label files not installed (manual_step, naming them and the
// fetch command that gets them); a file that does not parse (integrity, naming file, line and what
// was expected); a finding name the catalog's map lacks (integrity).
[[nodiscard]] Result<void> read_dataset_labels(const Dataset& dataset, const std::filesystem::path& dir,
                                               const LabelColumns& columns, const Vocabulary& vocabulary,
                                               const LabelOptions& options,
                                               const std::function<void(LabelRow&&)>& each);

} // namespace cxrcat
