// SPDX-License-Identifier: Apache-2.0
// Fuzzes the netrc reader: input is "host\0netrc text".
#include "cxrcat/access/credentials.hpp"
#include "fuzz_support.hpp"

CXRCAT_FUZZ_TEXT_HARNESS(input) {
    auto parts = fuzz_split(input, '\0', 2);
    std::string_view host = parts.size() == 2 ? parts[0] : std::string_view("physionet.org");
    std::string_view text = parts.back();
    auto entry = find_netrc_entry(text, host);
    if (entry) {
        fuzz_require(!entry->login.empty(), "a found netrc entry has a login");
        fuzz_require(entry->login.find_first_of(" \t\n") == std::string::npos, "a login is one token");
    }
}
