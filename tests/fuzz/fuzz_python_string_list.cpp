// SPDX-License-Identifier: Apache-2.0
// Fuzzes PadChest's list-literal parser (labels/python_string_list.hpp): any text either parses into
// items or names what was expected, never both, never an exception; a parsed list printed back with
// escaped quotes parses to the same items.
#include "fuzz_support.hpp"
#include "labels/python_string_list.hpp"

CXRCAT_FUZZ_TEXT_HARNESS(text) {
    labels::StringListParse parsed = labels::parse_python_string_list(text);
    fuzz_require(parsed.error.empty() || parsed.items.empty(), "an error comes without items");
    if (!parsed.error.empty()) {
        return;
    }
    std::string printed = "[";
    for (const std::string& item : parsed.items) {
        printed += '\'';
        for (char c : item) {
            if (c == '\\' || c == '\'') {
                printed += '\\';
            }
            printed += c;
        }
        printed += "', ";
    }
    printed += ']';
    labels::StringListParse again = labels::parse_python_string_list(printed);
    fuzz_require(again.error.empty() && again.items == parsed.items, "a printed list parses to the same items");
}
