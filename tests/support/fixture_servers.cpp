// SPDX-License-Identifier: Apache-2.0
#include "support/fixture_servers.hpp"

#include <cstdlib>
#include <filesystem>

namespace cxrcat::test {

FixtureServers find_fixture_servers(const char* variable) {
    FixtureServers found;
    const char* path = std::getenv(variable);                    // NOLINT(concurrency-mt-unsafe)
    const char* require = std::getenv("CXRCAT_REQUIRE_SERVERS"); // NOLINT(concurrency-mt-unsafe)
    found.required = require != nullptr && std::string(require) == "1";
    if (path == nullptr || *path == '\0') {
        found.missing = std::string(variable) + " is not set (run through ctest)";
    } else if (!std::filesystem::exists(path)) {
        found.missing = std::string("no ") + path + ": the loopback servers did not start (nginx missing?)";
    } else {
        found.json_path = path;
    }
    if (found.required && !found.missing.empty()) {
        found.missing += " and CXRCAT_REQUIRE_SERVERS=1";
    }
    return found;
}

} // namespace cxrcat::test
