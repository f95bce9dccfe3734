// SPDX-License-Identifier: Apache-2.0
// VinDr-CXR 1.0.0 on PhysioNet (labels-facts.md §1.6): annotations/image_labels_train.csv has
// `image_id, rad_id` and 28 0/1 columns, three rows per image (one per radiologist);
// image_labels_test.csv has one consensus row per image, no `rad_id`, and spells `Other disease`
// where train has `Other diseases`. Images are train/<image_id>.dicom and test/<image_id>.dicom; there
// are no patient ids. --readers any|majority|all decides when the three readers make a positive; a
// finding no reader marks is negative (the readers assessed every finding).
#include "labels/dataset_reader.hpp"

#include <map>

namespace cxrcat::labels {

namespace {

std::vector<std::string> vindr_roles(const LabelOptions& /*options*/) {
    return {"train", "test"};
}

// Per native finding: readers who marked it and readers who gave a value at all.
struct Votes {
    std::vector<unsigned> positive;
    std::vector<unsigned> assessed;
};

FindingValue decide(unsigned positive, unsigned assessed, ReaderPolicy policy) {
    if (assessed == 0) {
        return FindingValue::not_mentioned;
    }
    bool yes = policy == ReaderPolicy::any        ? positive >= 1
               : policy == ReaderPolicy::majority ? 2 * positive > assessed
                                                  : positive == assessed;
    return yes ? FindingValue::positive : FindingValue::negative;
}

Result<void> read_table(const ReaderContext& context, std::string_view role, const std::string& split,
                        const NativeSink& each) {
    auto file = open_csv(context, role);
    auto image = file ? file->column("image_id") : Result<std::size_t>(file.error());
    std::vector<std::size_t> keys;
    if (image) {
        keys.push_back(*image);
        if (auto reader = column_index(file->header, "rad_id")) {
            keys.push_back(*reader); // the test table has one consensus row per image and no rad_id
        }
    }
    auto columns = image ? native_columns(context, *file, keys) : Result<NativeColumns>(image.error());
    if (!columns) {
        return columns.error();
    }
    std::map<std::string, Votes> votes; // image_id -> votes, in image_id order
    std::size_t findings = context.spec.findings.size();
    auto counted = each_record(*file, [&](const std::vector<std::string>& record) -> Result<void> {
        Votes& image_votes = votes[record[*image]];
        image_votes.positive.resize(findings, 0);
        image_votes.assessed.resize(findings, 0);
        for (auto [column, native] : *columns) {
            auto value = parse_finding_value(record[column]);
            if (!value || *value == FindingValue::uncertain) {
                return file->reader->error("column \"" + file->header[column] + "\": expected 0 or 1, got \"" +
                                           record[column] + "\"");
            }
            image_votes.assessed[native] += *value == FindingValue::not_mentioned ? 0U : 1U;
            image_votes.positive[native] += *value == FindingValue::positive ? 1U : 0U;
        }
        return {};
    });
    if (!counted) {
        return counted;
    }
    for (const auto& [id, image_votes] : votes) {
        NativeRow row;
        row.row.image = split + "/" + id + ".dicom";
        row.row.split = split;
        for (std::size_t i = 0; i < findings; ++i) {
            row.native.push_back(decide(image_votes.positive[i], image_votes.assessed[i], context.options.readers));
        }
        each(std::move(row));
    }
    return {};
}

Result<void> read_vindr(const ReaderContext& context, const NativeSink& each) {
    if (auto train = read_table(context, "train", "train", each); !train) {
        return train;
    }
    return read_table(context, "test", "test", each);
}

} // namespace

const DatasetReader k_vindr_reader{"vindr-cxr", {""}, vindr_roles, read_vindr};

} // namespace cxrcat::labels
