// SPDX-License-Identifier: Apache-2.0
// Private: the `label_table` member of a dataset entry (cxrcat/catalog/label_table_spec.hpp).
#pragma once

#include "catalog/catalog_reader.hpp"
#include "cxrcat/catalog/label_table_spec.hpp"

#include <optional>

namespace cxrcat::catalog_entry {

// Reads entry["label_table"] when present; each problem is recorded on reader.
[[nodiscard]] std::optional<LabelTableSpec> parse_label_table(Reader& reader, const nlohmann::json& entry,
                                                              const std::string& pointer);

} // namespace cxrcat::catalog_entry
