// SPDX-License-Identifier: Apache-2.0
// Shared by the catalog unit tests: a catalog's dataset ids in its order, to compare with a list.
#pragma once

#include "cxrcat/catalog/catalog.hpp"

#include <string>
#include <vector>

namespace cxrcat::test {

inline std::vector<std::string> catalog_ids(const Catalog& catalog) {
    std::vector<std::string> ids;
    for (const auto& dataset : catalog.datasets()) {
        ids.push_back(dataset.id);
    }
    return ids;
}

} // namespace cxrcat::test
