// SPDX-License-Identifier: Apache-2.0
// A label table written for a person, a script or a loader: CSV (default), JSON Lines, JSON, a MONAI
// datalist (monai.data.load_decathlon_datalist reads it) or the metadata.jsonl of Hugging Face
// datasets' imagefolder loader. Rows stream through; only the MONAI datalist holds its lists until
// the end, since its three lists are one JSON object.
#pragma once

#include "cxrcat/base/spelled_enum.hpp"
#include "cxrcat/labels/label_table.hpp"

#include <functional>
#include <memory>
#include <ostream>

namespace cxrcat {

enum class LabelFormat { csv, jsonl, json, monai, hf };

constexpr std::array<std::string_view, 5> spellings(LabelFormat /*unused*/) {
    return {"csv", "jsonl", "json", "monai", "hf"};
}

class LabelWriter {
  public:
    virtual ~LabelWriter() = default;
    LabelWriter() = default;
    LabelWriter(const LabelWriter&) = delete;
    LabelWriter& operator=(const LabelWriter&) = delete;
    LabelWriter(LabelWriter&&) = delete;
    LabelWriter& operator=(LabelWriter&&) = delete;

    virtual void begin(const LabelColumns& columns) = 0;
    // image is as the row should show it (relative, or absolute with --absolute).
    virtual void row(const LabelRow& row) = 0;
    virtual void end() = 0;
};

// A writer of format to out. MONAI's datalist always names absolute paths (rows of several datasets
// have no common base directory): absolute_image(row) gives a row's image as one.
[[nodiscard]] std::unique_ptr<LabelWriter>
make_label_writer(LabelFormat format, std::ostream& out, std::function<std::string(const LabelRow&)> absolute_image);

// The fixed columns before the findings, in output order.
[[nodiscard]] const std::vector<std::string>& label_fixed_columns();

} // namespace cxrcat
