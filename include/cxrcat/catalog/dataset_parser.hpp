// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "cxrcat/catalog/catalog_loader.hpp"
#include "cxrcat/catalog/dataset.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace cxrcat {

// Validates one dataset object and converts it to a Dataset. Every problem is appended to
// `problems` with a JSON pointer prefixed by `pointer` (e.g. "/datasets/3"). Returns nullopt
// when the entry has any problem.
[[nodiscard]] std::optional<Dataset> parse_dataset(const nlohmann::json& entry, const std::string& file,
                                                   const std::string& pointer, std::vector<CatalogProblem>& problems);

} // namespace cxrcat
