// SPDX-License-Identifier: Apache-2.0
// Fuzzes the S3 ListObjectsV2 XML parser (IDC bucket listings) and the ETag to MD5 rule.
#include "fuzz_support.hpp"
#include "providers/bucket_listing.hpp"

CXRCAT_FUZZ_TEXT_HARNESS(body) {
    auto page = providers::parse_s3_listing(body);
    if (page) {
        for (const auto& object : page->objects) {
            fuzz_require(!object.name.empty(), "a listed object has a key");
            fuzz_require(object.md5.empty() || fuzz_is_lower_hex(object.md5, 32), "an md5 is 32 lowercase hex");
        }
        fuzz_require(page->truncated || page->next_continuation_token.empty(), "a token only on a truncated page");
    }
    std::string md5 = providers::md5_from_etag(body.substr(0, 64));
    fuzz_require(md5.empty() || fuzz_is_lower_hex(md5, 32), "an ETag md5 is 32 lowercase hex");
}
