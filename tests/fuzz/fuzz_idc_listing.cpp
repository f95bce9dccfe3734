// SPDX-License-Identifier: Apache-2.0
// Fuzzes the IDC parsers: a GCS objects listing page, an s5cmd manifest and base64 md5 values.
// The first byte picks the parser, so one corpus covers all three.
#include "fuzz_support.hpp"
#include "providers/parsers.hpp"
#include "providers/s5cmd_manifest.hpp"

CXRCAT_FUZZ_TEXT_HARNESS(input) {
    if (input.empty()) {
        return;
    }
    std::string_view text = input.substr(1);
    switch (static_cast<unsigned char>(input[0]) % 3) {
    case 0: {
        auto page = providers::parse_gcs_listing(text);
        if (page) {
            for (const auto& object : page->objects) {
                fuzz_require(!object.name.empty(), "a listed object has a name");
                fuzz_require(object.md5.empty() || fuzz_is_lower_hex(object.md5, 32), "an md5 is 32 lowercase hex");
            }
        }
        break;
    }
    case 1: {
        auto series = providers::parse_s5cmd_manifest(text);
        if (series) {
            for (const auto& one : series->series) {
                fuzz_require(!one.bucket.empty() && one.bucket.find('/') == std::string::npos, "a bucket is one name");
                fuzz_require(providers::is_safe_relative_path(one.series) && one.series.find('/') == std::string::npos,
                             "a series is one safe path segment");
                fuzz_require(one.line >= 1, "a series names its line");
                for (const auto& instance : one.instances) {
                    fuzz_require(providers::is_safe_relative_path(instance), "an instance is a safe relative path");
                }
            }
        }
        break;
    }
    default: {
        auto hex = providers::base64_md5_to_hex(text);
        fuzz_require(!hex || fuzz_is_lower_hex(*hex, 32), "a decoded md5 is 32 lowercase hex");
        break;
    }
    }
}
