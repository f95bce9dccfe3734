// SPDX-License-Identifier: Apache-2.0
// Private: reading the `sources` of a catalog entry (the dataset parser's largest part).
#pragma once

#include "catalog/catalog_reader.hpp"
#include "cxrcat/catalog/dataset.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace cxrcat::catalog_entry {

// Reads entry["sources"] (required, an array of objects) into dataset.sources: each source's
// provider and its parameters, files and split archives; two sources may not share a name.
void parse_sources(Reader& reader, const nlohmann::json& entry, const std::string& pointer, Dataset& dataset);

} // namespace cxrcat::catalog_entry
