// SPDX-License-Identifier: Apache-2.0
// Fuzzes --include/--exclude glob matching: input is "glob\0path".
#include "cxrcat/fetch/fetch.hpp"
#include "fuzz_support.hpp"

#include <string>

CXRCAT_FUZZ_TEXT_HARNESS(text) {
    auto parts = fuzz_split(text, '\0', 2);
    std::string glob(parts[0]);
    std::string path(parts.size() == 2 ? parts[1] : parts[0]);
    bool matched = path_matches_glob(path, glob);
    // A pattern without wildcards or escapes matches exactly the path or its last component.
    if (glob.find_first_of("*?[\\") == std::string::npos && glob.find('\0') == std::string::npos &&
        path.find('\0') == std::string::npos && !glob.empty()) {
        std::string name = path.substr(path.rfind('/') == std::string::npos ? 0 : path.rfind('/') + 1);
        bool expected = path == glob || name == glob;
        if (!path.empty() && path.back() != '/') {
            fuzz_require(matched == expected, "a literal glob matches the path or its file name exactly");
        }
    }
    // Without FNM_PATHNAME or FNM_PERIOD, "*" matches every path.
    fuzz_require(path_matches_glob(path, "*"), "'*' matches every path");
}
