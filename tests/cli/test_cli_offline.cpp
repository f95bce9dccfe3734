// SPDX-License-Identifier: Apache-2.0
// Offline is quick (issue 22, item 8): a host name that does not resolve is not retried like a
// dropped connection, and a credentialed dataset says which credentials are missing before any
// request. Host names end in `.invalid` (RFC 6761 §6.4: never resolves), so no test needs a network
// or waits on one; behaviour is asserted from messages, exit codes and retry events, never timings.
#include "cli_test.hpp"

namespace cxrcat::test {
namespace {

using Offline = CliTest;

// Every proxy variable is dropped: a proxy would resolve the name for us.
const std::vector<std::string> k_no_proxy{"http_proxy",  "https_proxy", "HTTP_PROXY",
                                          "HTTPS_PROXY", "ALL_PROXY",   "all_proxy"};

std::size_t count(const std::string& text, const std::string& part) {
    std::size_t n = 0;
    for (std::size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + part.size())) {
        ++n;
    }
    return n;
}

TEST_F(Offline, UnresolvableHostIsNotRetriedAndTheManualStepsAreStillPrinted) {
    // jsrt's open files come from imgcom.jsrt.or.jp; the rewrite sends them to a name that never resolves.
    ProcessResult result =
        cxrcat({"fetch", "jsrt", "--accept-terms", "--progress", "json"},
               {{"CXRCAT_URL_REWRITE", "http://imgcom.jsrt.or.jp/=http://imgcom.jsrt.invalid/"}}, k_no_proxy);
    EXPECT_EQ(result.exit_code, 6) << result.describe();
    EXPECT_TRUE(contains(result.err, "the network is unreachable")) << result.err;
    EXPECT_TRUE(contains(result.err, "does not resolve (not retried)")) << result.err;
    EXPECT_EQ(count(result.err, "\"event\":\"retry\""), 0U) << result.err;
    EXPECT_EQ(count(result.err, "\"event\":\"finish\""), 2U) << "one attempt per file\n" << result.err;
    // The parts a person does by hand are still said.
    EXPECT_TRUE(contains(result.err, "must be downloaded by hand")) << result.err;
    EXPECT_TRUE(contains(result.err, "http://db.jsrt.or.jp/eng.php")) << result.err;
}

TEST_F(Offline, UnresolvableProviderBaseUrlFailsAsANetworkErrorAtOnce) {
    ProcessResult result = cxrcat({"fetch", "mimic-cxr-jpg", "--accept-terms"},
                                  {{"CXRCAT_PHYSIONET_URL", "http://physionet.invalid"}}, k_no_proxy);
    EXPECT_EQ(result.exit_code, 6) << result.describe();
    EXPECT_TRUE(contains(result.err, "the network is unreachable")) << result.err;
    // The missing credentials are said first, with where they were looked for.
    std::size_t missing = result.err.find("no PhysioNet credentials found");
    ASSERT_NE(missing, std::string::npos) << result.err;
    EXPECT_LT(missing, result.err.find("the network is unreachable")) << result.err;
    EXPECT_TRUE(contains(result.err, "CXRCAT_PHYSIONET_USER + CXRCAT_PHYSIONET_PASSWORD")) << result.err;
    EXPECT_TRUE(contains(result.err, "'machine physionet.invalid' entry of $NETRC or ~/.netrc")) << result.err;
}

TEST_F(Offline, CheckSaysWhichCredentialsAreMissingBeforeProbing) {
    ProcessResult result =
        cxrcat({"check", "mimic-cxr-jpg"}, {{"CXRCAT_PHYSIONET_URL", "http://physionet.invalid"}}, k_no_proxy);
    EXPECT_TRUE(contains(result.err, "mimic-cxr-jpg: no PhysioNet credentials found (looked in")) << result.err;
    EXPECT_TRUE(contains(result.out, "unreachable")) << result.out;
    EXPECT_NE(result.exit_code, 0) << result.describe();
}

TEST_F(Offline, CredentialsFoundAreNotReportedMissing) {
    ProcessResult result = cxrcat({"check", "mimic-cxr-jpg"},
                                  {{"CXRCAT_PHYSIONET_URL", "http://physionet.invalid"},
                                   {"CXRCAT_PHYSIONET_USER", "someone"},
                                   {"CXRCAT_PHYSIONET_PASSWORD", "not-a-real-password"}},
                                  k_no_proxy);
    EXPECT_FALSE(contains(result.err, "no PhysioNet credentials")) << result.err;
    EXPECT_FALSE(contains(result.err + result.out, "not-a-real-password")) << "secret leaked";
}

TEST_F(Offline, OpenDatasetsNeedNoCredentialsAndSayNothingAboutThem) {
    ProcessResult result = cxrcat({"check", "jsrt"}, {}, k_no_proxy);
    EXPECT_FALSE(contains(result.err, "credentials found")) << result.err;
}

// kaggle-cli's order (api-drift-2026.md §6.2): an access token before the legacy key pair.
TEST_F(Offline, AKaggleAccessTokenFileComesBeforeTheLegacyKeyPair) {
    std::filesystem::path token = m_dir / "home" / ".kaggle" / "access_token";
    write_text_file(token, "KGAT_not_a_real_token\n");
    std::filesystem::permissions(token, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
    ProcessResult result =
        cxrcat({"doctor", "--format", "json"}, {{"KAGGLE_USERNAME", "someone"}, {"KAGGLE_KEY", "not-a-real-key"}},
               {"KAGGLE_API_TOKEN", "KAGGLE_CONFIG_DIR"});
    auto doctor = nlohmann::json::parse(result.out);
    EXPECT_EQ(doctor["credentials"]["kaggle"]["source"], "file " + token.string()) << result.out;
    EXPECT_EQ(doctor["credentials"]["kaggle"]["user"], "") << result.out;
    EXPECT_FALSE(contains(result.out + result.err, "KGAT_not_a_real_token")) << "secret leaked";
}

} // namespace
} // namespace cxrcat::test
