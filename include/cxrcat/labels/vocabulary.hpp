// SPDX-License-Identifier: Apache-2.0
// The common finding vocabulary (catalog/vocabulary.json): the names every dataset's own finding
// names map onto, in output order.
#pragma once

#include "cxrcat/base/result.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cxrcat {

struct Vocabulary {
    std::vector<std::string> names; // in output order

    // The index of name, compared without case ("pleural effusion" finds "Pleural Effusion").
    [[nodiscard]] std::optional<std::size_t> find(std::string_view name) const;
};

// Parses a vocabulary file's text. Errors (invalid_catalog): not {"findings": [{"name": …}, …]}, an
// empty or repeated name.
[[nodiscard]] Result<Vocabulary> parse_vocabulary(std::string_view json_text, const std::string& file);

// The vocabulary compiled into the binary.
[[nodiscard]] const Vocabulary& builtin_vocabulary();

} // namespace cxrcat
