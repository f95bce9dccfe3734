// SPDX-License-Identifier: Apache-2.0
// The IDC bucket stub's series, for the idc route tests (--manifest and the REST API v3 both end in
// the same public buckets).
#pragma once

#include "stub_route_test.hpp"

namespace cxrcat::test {

class IdcBucketTest : public StubRouteTest {
  protected:
    // A fake DICOM instance: the 128-byte preamble, "DICM", then bytes.
    static std::string dicom(std::size_t body) { return std::string(128, '\0') + "DICM" + random_bytes(body); }

    // A series uuid-like name no other test uses.
    static std::string series_uuid() {
        return random_hex(4) + "-" + random_hex(2) + "-" + random_hex(2) + "-" + random_hex(2) + "-" + random_hex(6);
    }

    // Puts instances (name → content) of series into bucket (created if needed), at once.
    void publish_series(const std::string& bucket, const std::string& series,
                        const std::map<std::string, std::string>& instances) {
        std::filesystem::path staging = world("idc") / ("_staging-" + series);
        for (const auto& [name, content] : instances) {
            write_text_file(staging / name, content);
        }
        std::filesystem::create_directories(world("idc") / bucket);
        std::filesystem::rename(staging, world("idc") / bucket / series);
    }
};

} // namespace cxrcat::test
