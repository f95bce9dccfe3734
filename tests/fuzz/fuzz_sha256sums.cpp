// SPDX-License-Identifier: Apache-2.0
// Fuzzes PhysioNet's SHA256SUMS.txt parser: every accepted path must stay inside the project.
#include "fuzz_support.hpp"
#include "providers/parsers.hpp"
#include "providers/sha256sums.hpp"

CXRCAT_FUZZ_TEXT_HARNESS(text) {
    auto entries = providers::parse_sha256sums(text);
    if (entries) {
        for (const auto& entry : *entries) {
            fuzz_require(fuzz_is_lower_hex(entry.sha256, 64), "a checksum is 64 lowercase hex");
            fuzz_require(providers::is_safe_relative_path(entry.path), "a listed path is a safe relative path");
            for (char c : entry.path) {
                fuzz_require(static_cast<unsigned char>(c) >= 0x20 && c != '\x7f', "a path has no control character");
            }
        }
    } else {
        fuzz_require(entries.error().message().rfind("line ", 0) == 0, "a refused SHA256SUMS names the line");
    }
}
