// SPDX-License-Identifier: Apache-2.0
// Start-up: commands that make no request never load libcurl, libcrypto or libarchive (they are opened
// on first use, src/lib/shared_library.hpp). The dynamic loader's own trace (LD_DEBUG=files, glibc's
// ld.so(8)) lists every library it loads, so the test sees what the process really did.
#include "cli_test.hpp"

#include <algorithm>
#include <array>

namespace cxrcat::test {
namespace {

using Startup = CliTest;

const std::array<const char*, 5> k_on_demand_libraries{"libcurl.so", "libcrypto.so", "libssl.so", "libarchive.so",
                                                       "libgnutls.so"};

// The libraries of k_on_demand_libraries that the loader's trace shows being loaded.
std::vector<std::string> loaded_on_demand_libraries(const ProcessResult& result) {
    std::vector<std::string> loaded;
    for (const auto& library : k_on_demand_libraries) {
        if (contains(result.err, std::string("file=") + library)) {
            loaded.emplace_back(library);
        }
    }
    return loaded;
}

TEST_F(Startup, CatalogCommandsLoadNoNetworkTlsOrArchiveLibrary) {
    for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
             {"list"}, {"list", "--format", "json"}, {"show", "nih-cxr14"}, {"search", "lung"}, {"cite", "jsrt"}}) {
        ProcessResult result = cxrcat(args, {{"LD_DEBUG", "files"}});
        ASSERT_EQ(result.exit_code, 0) << result.describe();
        ASSERT_TRUE(contains(result.err, "file=libstdc++")) << "no loader trace: " << result.describe();
        EXPECT_EQ(loaded_on_demand_libraries(result), std::vector<std::string>{}) << args.front();
    }
}

TEST_F(Startup, VersionLoadsTheLibrariesItReports) {
    ProcessResult result = cxrcat({"--version"}, {{"LD_DEBUG", "files"}});
    ASSERT_EQ(result.exit_code, 0) << result.describe();
    std::vector<std::string> loaded = loaded_on_demand_libraries(result);
    for (const char* library : {"libcurl.so", "libcrypto.so", "libarchive.so"}) {
        EXPECT_NE(std::find(loaded.begin(), loaded.end(), library), loaded.end()) << library;
    }
    EXPECT_TRUE(contains(result.out, "libcurl ")) << result.out;
    EXPECT_TRUE(contains(result.out, "libarchive ")) << result.out;
}

} // namespace
} // namespace cxrcat::test
