// SPDX-License-Identifier: Apache-2.0
// Fuzzes PadChest's list-literal parser (labels/python_string_list.hpp): any text either parses into
// items or names what was expected, never both, never an exception; a parsed list printed back with
// escaped quotes parses to the same items.
#include "fuzz_support.hpp"
#include "labels/python_string_list.hpp"

using namespace cxrcat;
using namespace cxrcat::fuzz;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    labels::StringListParse parsed = labels::parse_python_string_list(fuzz_text(data, size));
    fuzz_require(parsed.error.empty() || parsed.items.empty(), "an error comes without items");
    if (!parsed.error.empty()) {
        return 0;
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
    return 0;
}
