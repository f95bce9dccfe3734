// SPDX-License-Identifier: Apache-2.0
// Fuzzes the NBIA `getSeries` parser and the md5hashes.csv parser of TCIA series zips.
#include "fetch/series_archive.hpp"
#include "fuzz_support.hpp"
#include "providers/tcia_api.hpp"

CXRCAT_FUZZ_TEXT_HARNESS(text) {
    auto rows = providers::parse_nbia_series(text);
    if (rows) {
        for (const auto& row : *rows) {
            fuzz_require(!row.series_instance_uid.empty() && row.series_instance_uid.find('/') == std::string::npos,
                         "a series directory is one plain path segment");
            (void)row.metadata();
        }
    } else {
        fuzz_require(!rows.error().message().empty(), "a refused answer says why");
    }
    auto sums = parse_member_checksums(text);
    if (sums) {
        for (const auto& [name, md5] : *sums) {
            fuzz_require(!name.empty() && is_valid_hex_digest(DigestAlgorithm::md5, md5), "rows are name and md5");
        }
    }
}
