// SPDX-License-Identifier: Apache-2.0
// Private: PadChest's `Labels` and `Localizations` cells, which are Python list literals of strings as
// `str(list)` writes them (labels-facts.md §1.5): `['pleural effusion', 'cardiomegaly']`, `['normal']`,
// `[]`, an item in double quotes when it holds a single quote, backslash escapes inside either.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cxrcat::labels {

struct StringListParse {
    std::vector<std::string> items; // each as Python reads it (escapes resolved), not trimmed
    std::string error;              // "" when the cell parsed; else what was expected, and where
};

// Parses one cell. Whitespace around items and a trailing comma are allowed, as in Python.
[[nodiscard]] StringListParse parse_python_string_list(std::string_view cell);

} // namespace cxrcat::labels
