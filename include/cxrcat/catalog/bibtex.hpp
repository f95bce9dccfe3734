// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace cxrcat {

// The value of field `name` in the first entry of a BibTeX text, with the grouping braces and
// \url{...} wrappers removed ("{OSIC} Pulmonary Fibrosis" -> "OSIC Pulmonary Fibrosis"); nullopt
// when the entry has no such field. Reads `name = {...}`, `name = "..."` and bare numbers.
[[nodiscard]] std::optional<std::string> bibtex_field(std::string_view bibtex, std::string_view name);

// One line of text from the first entry: "Author. Title. Venue. Year. doi:..." (for entries
// without a structured paper, such as challenge pages).
[[nodiscard]] std::string bibtex_to_text(std::string_view bibtex);

} // namespace cxrcat
