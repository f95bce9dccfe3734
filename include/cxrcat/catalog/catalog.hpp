// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "cxrcat/catalog/dataset.hpp"

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace cxrcat {

// An immutable set of datasets, looked up by id or alias, case-insensitively.
class Catalog {
  public:
    Catalog() = default;
    // Precondition: ids and aliases are unique (the loader guarantees it).
    explicit Catalog(std::vector<Dataset> datasets);

    [[nodiscard]] const std::vector<Dataset>& datasets() const { return m_datasets; }
    [[nodiscard]] std::size_t size() const { return m_datasets.size(); }

    // Returns the dataset whose id or alias equals key (ignoring case), or nullptr.
    [[nodiscard]] const Dataset* find(std::string_view key) const;
    // Returns up to `limit` ids closest to key, nearest first, for "did you mean" notes.
    [[nodiscard]] std::vector<std::string> suggest(std::string_view key, std::size_t limit = 3) const;
    // SHA-256 over every dataset's raw JSON, in id order: identifies exactly this catalog content.
    // Computed on each call (it serialises the whole catalog), so commands that never record it,
    // like `list`, never pay for it.
    [[nodiscard]] std::string digest() const;

  private:
    std::vector<Dataset> m_datasets;
    std::map<std::string, std::size_t, std::less<>> m_index; // lowercase id/alias -> position
};

} // namespace cxrcat
