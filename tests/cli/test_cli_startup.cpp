// SPDX-License-Identifier: Apache-2.0
// Start-up: commands that make no request never load libcurl, libcrypto, libarchive or the image
// libraries (libspng, libturbojpeg, zlib, the DICOM module with GDCM; they are opened
// on first use, src/lib/shared_library.hpp). The dynamic loader's own trace (LD_DEBUG=files, glibc's
// ld.so(8)) lists every library it loads, so the test sees what the process really did.
#include "cli_test.hpp"

#include <algorithm>
#include <array>

namespace cxrcat::test {
namespace {

using Startup = CliTest;

// The image libraries too (issue 21): verify --decode opens them, nothing else does.
const std::array<const char*, 10> k_on_demand_libraries{
    "libcurl.so", "libcrypto.so",    "libssl.so",          "libarchive.so",  "libgnutls.so",
    "libspng.so", "libturbojpeg.so", "libcxrcat-dicom.so", "libgdcmMSFF.so", "libz.so"};

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

// A library that cannot be loaded (here a "libcurl.so.4" the loader finds first and rejects) fails
// only the commands that need it, with the file and the package to install instead of "a bug";
// --version reports it.
TEST_F(Startup, AnUnloadableLibraryFailsOnlyTheCommandsThatNeedIt) {
    std::filesystem::path bad_libraries = m_dir / "bad-libraries";
    std::filesystem::create_directories(bad_libraries);
    write_text_file(bad_libraries / "libcurl.so.4", "not a shared library\n");
    // A dataset whose one file is on a loopback port nothing listens on: no request can leave the host.
    std::filesystem::path catalog = m_dir / "catalog.json";
    write_text_file(catalog, R"({"id": "lab", "name": "Lab", "modality": "cxr", "category": "general",
        "license": {"name": "CC-BY-4.0"},
        "access": {"class": "open", "terms": "Cite the lab.", "terms_url": "https://example.org/terms"},
        "sources": [{"provider": "http", "files": [{"path": "a.bin", "url": "http://127.0.0.1:9/a.bin", "size": 3,
            "sha256": "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"}]}]})");
    const std::map<std::string, std::string> env{{"LD_LIBRARY_PATH", bad_libraries.string()}};

    ProcessResult listed = cxrcat({"--catalog", catalog.string(), "list", "--format", "ids"}, env);
    EXPECT_EQ(listed.exit_code, 0) << listed.describe();
    EXPECT_TRUE(contains(listed.out, "\nlab\n")) << listed.out;

    ProcessResult fetched = cxrcat({"--catalog", catalog.string(), "fetch", "lab", "--accept-terms"}, env);
    EXPECT_EQ(fetched.exit_code, 1) << fetched.describe();
    EXPECT_TRUE(contains(fetched.err, "cxrcat: error: cannot load libcurl.so.4: ")) << fetched.err;
    EXPECT_TRUE(contains(fetched.err, "note: install the Debian package ")) << fetched.err;
    EXPECT_FALSE(contains(fetched.err, "bug")) << fetched.err;

    ProcessResult versioned = cxrcat({"--version"}, env);
    EXPECT_EQ(versioned.exit_code, 0) << versioned.describe();
    EXPECT_TRUE(contains(versioned.out, "libcurl unavailable (cannot load libcurl.so.4: ")) << versioned.out;
}

} // namespace
} // namespace cxrcat::test
