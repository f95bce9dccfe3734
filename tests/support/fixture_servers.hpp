// SPDX-License-Identifier: Apache-2.0
// Where a CTest server fixture left its description (tests/servers/README.md), or why it did not.
#pragma once

#include <string>

namespace cxrcat::test {

struct FixtureServers {
    std::string json_path; // the fixture's JSON file, when it exists
    std::string missing;   // why there is none ("" when json_path is usable)
    bool required = false; // CXRCAT_REQUIRE_SERVERS=1: a missing fixture fails instead of skipping
};

// Reads the variable naming the fixture's JSON file (CXRCAT_TEST_SERVERS, CXRCAT_PROVIDER_STUBS).
// A test then does: if (!s.missing.empty()) { if (s.required) FAIL() << s.missing; GTEST_SKIP() << s.missing; }
[[nodiscard]] FixtureServers find_fixture_servers(const char* variable);

} // namespace cxrcat::test
