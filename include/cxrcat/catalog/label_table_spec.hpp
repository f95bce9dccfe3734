// SPDX-License-Identifier: Apache-2.0
// What the catalog says about a dataset's label files: which built-in reader understands them, where
// they are installed, and how each of the dataset's own finding names maps onto the common vocabulary
// (catalog/vocabulary.json). The mapping is data so that a name pair is reviewed beside its source,
// never matched by substring in code.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace cxrcat {

// One of the dataset's own finding names and the common name it counts as (nullopt: none, said
// explicitly in the catalog).
struct FindingMapping {
    std::string native;
    std::optional<std::string> common;
};

// A label file (or folder) a reader needs, under the dataset's directory. `role` is the reader's
// name for it ("entries", "metadata", "split"...); `paths` are where it may be, first found wins
// (CheXpert's full and small layouts).
struct LabelFile {
    std::string role;
    std::vector<std::string> paths;
};

struct LabelTableSpec {
    std::string reader;                   // a built-in reader: nih-cxr14, chexpert, mimic-cxr-jpg, nlm-tb, ...
    std::vector<LabelFile> files;         // every file a reader may read, by role
    bool not_listed_negative = false;     // "not listed means negative" (NIH, PadChest, VinDr)
    std::vector<FindingMapping> findings; // in the dataset's own order
    std::vector<std::string> sources;     // where the file shapes and the map come from

    // The file of role, or nullptr.
    [[nodiscard]] const LabelFile* file(std::string_view role) const;
};

} // namespace cxrcat
