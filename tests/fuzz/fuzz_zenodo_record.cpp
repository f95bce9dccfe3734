// SPDX-License-Identifier: Apache-2.0
// Fuzzes the Zenodo record parser (GET /api/records/{id}).
#include "fuzz_support.hpp"
#include "providers/parsers.hpp"

CXRCAT_FUZZ_TEXT_HARNESS(text) {
    auto record = providers::parse_zenodo_record(text);
    if (record) {
        for (const auto& file : record->files) {
            fuzz_require(!file.key.empty(), "a Zenodo file has a name");
            fuzz_require(file.md5.empty() || fuzz_is_lower_hex(file.md5, 32), "a Zenodo md5 is 32 lowercase hex");
        }
    } else {
        fuzz_require(!record.error().message().empty(), "a refused record says why");
    }
}
