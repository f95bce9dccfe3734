// SPDX-License-Identifier: Apache-2.0
// Fuzzes the JSRT clinical-file line parser (labels/jsrt_line.hpp) with both files' layouts: a line
// either parses into a PREFIX###.IMG name, an age of at most three digits or empty, and a sex of M, F
// or empty, or is refused; never an exception or a read past the line.
#include "cxrcat/base/text.hpp"
#include "fuzz_support.hpp"
#include "labels/jsrt_line.hpp"

#include <algorithm>
#include <cctype>

CXRCAT_FUZZ_TEXT_HARNESS(text) {
    for (const labels::JsrtColumns& columns :
         {labels::JsrtColumns{"jpcln", 3, 4}, labels::JsrtColumns{"jpcnn", 1, 2}}) {
        auto line = labels::parse_jsrt_line(text, columns);
        if (!line) {
            continue;
        }
        std::string file = to_lower(line->file);
        fuzz_require(file.starts_with(columns.prefix) && file.ends_with(".img"), "the first field names an image");
        fuzz_require(line->sex.empty() || line->sex == "M" || line->sex == "F", "sex is M, F or empty");
        fuzz_require(line->age.size() <= 3 &&
                         std::all_of(line->age.begin(), line->age.end(),
                                     [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }),
                     "age is at most three digits");
    }
}
