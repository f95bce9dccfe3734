// SPDX-License-Identifier: Apache-2.0
// Selection before download by labels (issue 20 §2): `--where finding.Pneumothorax=1 --where view=PA`
// on a dataset whose label files the catalog describes. The label files are fetched first (small),
// read as `cxrcat labels` reads them, and the selection becomes the images they name plus the label
// files themselves, so a re-run with the same selection downloads nothing. Where the images come
// inside archives, the selection is every archive, extracted to the selected members alone.
#pragma once

#include "cxrcat/fetch/fetch.hpp"

#include <string>
#include <vector>

namespace cxrcat {

// True when a --where field is one of the label fields (finding.NAME, view, split, sex, labeler)
// rather than a source's metadata field.
[[nodiscard]] bool is_label_field(const std::string& field);

// True when options' selection has a label field.
[[nodiscard]] bool has_label_selection(const FetchOptions& options);

struct LabelSelection {
    FetchOptions options;                 // label terms replaced by files_from (images + label files)
    std::size_t images = 0;               // images the labels selected
    std::vector<std::string> label_files; // installed label files, dataset-relative
    // Images shipped in archives (NIH, CheXpert): files_from holds the archives and options.members
    // the selected images, the only members extraction installs; 0 when images are separate files.
    std::size_t archives = 0;
};

// Fetches dataset's label files (with options' transfer settings) and turns the label terms of
// options.selection.where into the list of files to fetch; other terms stay. Without label terms,
// options come back unchanged. Errors: usage (a dataset without label files in the catalog, one whose
// images are downloaded by hand in archives the catalog does not name and no --from, an unknown field
// or finding, naming the valid ones; more than one labeler), and those of fetching and reading the
// label files.
[[nodiscard]] Result<LabelSelection> select_by_labels(const Dataset& dataset, const Paths& paths,
                                                      const FetchOptions& options, ProgressSink* progress);

} // namespace cxrcat
