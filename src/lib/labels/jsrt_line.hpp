// SPDX-License-Identifier: Apache-2.0
// Private: one line of JSRT's clinical files (labels-facts.md §1.10), CLNDAT_EN.txt and
// CNNDAT_EN.TXT: tab-separated, no header, the image's file name first; a line without any tab is
// split at runs of spaces. Its own unit so that it can be fuzzed on its own.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace cxrcat::labels {

// Which file a line comes from: the file-name prefix its rows carry ("jpcln"/"jpcnn", lower case)
// and the 0-based columns of age and sex.
struct JsrtColumns {
    std::string_view prefix;
    std::size_t age;
    std::size_t sex;
};

struct JsrtLine {
    std::string file; // as written, e.g. JPCLN001.IMG
    std::string age;  // whole years (at most three digits) or ""
    std::string sex;  // M, F or ""
};

// The line's fields, or nullopt when its first field is not a PREFIX###.IMG name or it has fewer
// fields than the sex column needs. A blank line is the caller's to skip.
[[nodiscard]] std::optional<JsrtLine> parse_jsrt_line(std::string_view line, const JsrtColumns& columns);

} // namespace cxrcat::labels
