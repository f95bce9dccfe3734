// SPDX-License-Identifier: Apache-2.0
// The kaggle route on Kaggle's RPC API (api-drift-2026.md §6): POST api.kaggle.com/v1/
// competitions.CompetitionApiService/<Method> with JSON bodies and a bearer token, pageToken paging,
// int64 values as strings, the MD5 of GCS's X-Goog-Hash, 429 RESOURCE_EXHAUSTED, and the legacy REST
// paths only when the RPC host does not serve the method.
#include "kaggle_route_test.hpp"

#include <set>

namespace cxrcat::test {
namespace {

std::string legacy_list_path(const std::string& slug) {
    return "/api/v1/competitions/data/list/" + slug;
}

std::vector<long> statuses_of(const nlohmann::json& stats) {
    std::vector<long> out;
    for (const auto& status : stats.value("statuses", nlohmann::json::array())) {
        out.push_back(status.is_number() ? status.get<long>() : 0);
    }
    return out;
}

TEST_F(KaggleRoute, RpcWithABearerTokenWhileTheLegacyPathsAnswer401) {
    std::string slug = unique("comp");
    std::map<std::string, std::string> files = {{"train.csv", "patientId,Target\n1,0\n"},
                                                {"images/a.bin", random_bytes(3'001)},
                                                {"images/b.bin", random_bytes(2'002)},
                                                {"test/c.bin", random_bytes(1'003)},
                                                {"sample_submission.csv", "patientId,Target\n"}};
    publish_competition(slug, files, {{"_legacy_401", ""}}); // pages of 2: three pages
    std::string token = "KGAT_" + random_hex(16);
    register_account("", "", {token}, {slug});
    std::string id = add_kaggle_dataset(slug);
    std::map<std::string, std::string> env = {{"KAGGLE_API_TOKEN", token}};

    ASSERT_EQ(cxrcat({"accept", id}).exit_code, 0);
    auto check = cxrcat({"check", id}, env);
    EXPECT_EQ(check.exit_code, 0) << check.describe();
    EXPECT_TRUE(has_text(check.out, "kaggle (Kaggle competition): ok")) << check.out;

    std::string list_path = rpc_path("ListDataFiles", slug);
    std::string download_path = rpc_path("DownloadDataFile", slug);
    // Per-file calls (a whole competition is one archive call, test_kaggle_archive.cpp).
    fetch_each_file(id, env, files, list_path, download_path);
    ASSERT_FALSE(HasFailure());

    // Three pages, each a POST with the bearer token, each after the first asking the page token the
    // one before it returned.
    auto listed = stats("kaggle", list_path);
    ASSERT_EQ(listed.value("requests", 0), 3) << listed.dump();
    std::set<std::string> page_tokens;
    for (std::size_t i = 0; i < 3; ++i) {
        const auto& entry = listed["log"][i];
        EXPECT_EQ(entry["method"], "POST");
        EXPECT_EQ(entry["auth_scheme"], "Bearer");
        EXPECT_EQ(entry["rpc_body"]["competitionName"], slug);
        if (i == 0) {
            EXPECT_FALSE(entry["rpc_body"].contains("pageToken")) << entry.dump();
        } else {
            ASSERT_TRUE(entry["rpc_body"]["pageToken"].is_string()) << entry.dump();
            page_tokens.insert(entry["rpc_body"]["pageToken"].get<std::string>());
        }
    }
    EXPECT_EQ(page_tokens.size(), 2U) << "each page asks a new token";

    // One DownloadDataFile per file, with the token; the signed URLs never saw it.
    auto downloads = stats("kaggle", download_path);
    std::set<std::string> asked;
    for (const auto& entry : downloads["log"]) {
        EXPECT_EQ(entry["auth_scheme"], "Bearer");
        asked.insert(entry["rpc_body"]["fileName"].get<std::string>());
    }
    EXPECT_EQ(asked.size(), files.size()) << downloads.dump();
    for (const auto& [path, content] : files) {
        EXPECT_EQ(stats("kaggle", "/__signed/" + slug + "/" + path).value("authorization", -1), 0) << path;
    }
    // The legacy paths were never asked (they would have answered 401).
    EXPECT_EQ(stats("kaggle", legacy_list_path(slug)).value("requests", 0), 0);
}

TEST_F(KaggleRoute, TotalBytesAsStringsAreSizes) {
    std::string slug = unique("comp");
    std::map<std::string, std::string> files = {{"a.bin", random_bytes(4'321)}, {"b.bin", random_bytes(1'234)}};
    publish_competition(slug, files, {{"_int64_strings", ""}, {"_legacy_401", ""}});
    auto account = key_account(slug, true);
    std::string id = add_kaggle_dataset(slug);

    auto plan = cxrcat({"fetch", id, "--accept-terms", "--dry-run", "--format", "json"}, account);
    ASSERT_EQ(plan.exit_code, 0) << plan.describe();
    auto plans = nlohmann::json::parse(plan.out);
    std::map<std::string, nlohmann::json> planned;
    for (const auto& file : plans["plans"][0]["files"]) {
        planned[file["path"].get<std::string>()] = file;
    }
    ASSERT_EQ(planned.size(), 2U) << plan.out;
    for (const auto& [path, content] : files) {
        EXPECT_EQ(planned[path]["size"], content.size()) << path << plan.out;
    }
    auto fetch = cxrcat({"fetch", id, "--accept-terms"}, account);
    ASSERT_EQ(fetch.exit_code, 0) << fetch.describe();
    EXPECT_EQ(read_text_file(dataset_dir(id) / "a.bin"), files["a.bin"]);
}

TEST_F(KaggleRoute, AnXGoogHashMismatchInstallsNothing) {
    std::string slug = unique("comp");
    publish_competition(slug, {{"train.csv", "a,b\n1,2\n"}}, {{"_goog_hash_wrong", ""}, {"_legacy_401", ""}});
    auto account = key_account(slug, true);
    std::string id = add_kaggle_dataset(slug);

    auto fetch = cxrcat({"fetch", id, "--accept-terms", "--retries", "0", "--include", "*"}, account);
    EXPECT_EQ(fetch.exit_code, 5) << fetch.describe();
    EXPECT_TRUE(has_text(fetch.err, "train.csv: md5 mismatch")) << fetch.err;
    EXPECT_TRUE(has_text(fetch.err, "X-Goog-Hash of the download")) << fetch.err;
    EXPECT_TRUE(has_text(fetch.err, "nothing was installed")) << fetch.err;
    EXPECT_FALSE(std::filesystem::exists(dataset_dir(id) / "train.csv"));
    EXPECT_FALSE(std::filesystem::exists(dataset_dir(id) / "train.csv.part"));
}

TEST_F(KaggleRoute, ResourceExhaustedBacksOffThenSucceeds) {
    std::string slug = unique("comp");
    std::map<std::string, std::string> files = {{"train.csv", "a,b\n"}, {"x.bin", random_bytes(2'000)}};
    publish_competition(slug, files, {{"_ratelimit_download", "2"}, {"_legacy_401", ""}});
    auto account = key_account(slug, true);
    std::string id = add_kaggle_dataset(slug);

    std::string download_path = rpc_path("DownloadDataFile", slug);
    reset_stats("kaggle", download_path);
    auto fetch = cxrcat({"fetch", id, "--accept-terms", "--include", "*"}, account);
    ASSERT_EQ(fetch.exit_code, 0) << fetch.describe();
    for (const auto& [path, content] : files) {
        EXPECT_EQ(read_text_file(dataset_dir(id) / path), content) << path;
    }
    auto statuses = statuses_of(stats("kaggle", download_path));
    EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 429L), 2) << testing::PrintToString(statuses);
    EXPECT_GE(std::count(statuses.begin(), statuses.end(), 302L), 2) << testing::PrintToString(statuses);
}

TEST_F(KaggleRoute, ResourceExhaustedThatPersistsIsReportedAsRateLimiting) {
    std::string slug = unique("comp");
    publish_competition(slug, {{"train.csv", "a,b\n"}}, {{"_ratelimit_download", "1000"}, {"_legacy_401", ""}});
    auto account = key_account(slug, true);
    std::string id = add_kaggle_dataset(slug);

    auto fetch = cxrcat({"fetch", id, "--accept-terms", "--retries", "1"}, account);
    EXPECT_EQ(fetch.exit_code, 6) << fetch.describe();
    EXPECT_TRUE(has_text(fetch.err, "Kaggle is rate-limiting this client (HTTP 429 RESOURCE_EXHAUSTED")) << fetch.err;
    EXPECT_TRUE(has_text(fetch.err, "Kaggle answered HTTP 429: Too many requests")) << fetch.err;
    EXPECT_FALSE(std::filesystem::exists(dataset_dir(id) / "train.csv"));
}

TEST_F(KaggleRoute, FallsBackToTheLegacyPathsWhenTheRpcHostLacksTheMethod) {
    std::string slug = unique("comp");
    std::map<std::string, std::string> files = {{"train.csv", "a,b\n"}, {"images/y.bin", random_bytes(900)}};
    publish_competition(slug, files, {{"_rpc_absent", ""}});
    auto account = key_account(slug, true);
    std::string id = add_kaggle_dataset(slug);

    ASSERT_EQ(cxrcat({"accept", id}).exit_code, 0);
    auto check = cxrcat({"check", id}, account);
    EXPECT_EQ(check.exit_code, 0) << check.describe();
    EXPECT_TRUE(has_text(check.out, "the legacy REST API was asked instead")) << check.out;

    reset_stats("kaggle", rpc_path("ListDataFiles", slug));
    auto fetch = cxrcat({"fetch", id, "--accept-terms"}, account);
    ASSERT_EQ(fetch.exit_code, 0) << fetch.describe();
    for (const auto& [path, content] : files) {
        EXPECT_EQ(read_text_file(dataset_dir(id) / path), content) << path;
    }
    EXPECT_TRUE(has_text(fetch.out + fetch.err, "Kaggle's RPC API answered HTTP 404")) << fetch.describe();
    EXPECT_EQ(statuses_of(stats("kaggle", rpc_path("ListDataFiles", slug))), std::vector<long>{404});
    EXPECT_GE(stats("kaggle", legacy_list_path(slug)).value("requests", 0), 1);
    EXPECT_GE(stats("kaggle", "/api/v1/competitions/data/download/" + slug + "/train.csv").value("requests", 0), 1);
    EXPECT_EQ(stats("kaggle", rpc_path("DownloadDataFile", slug)).value("requests", 0), 0);
}

TEST_F(KaggleRoute, AnRpcRefusalOfTheTokenIsNotAReasonToFallBack) {
    std::string slug = unique("comp");
    publish_competition(slug, {{"train.csv", "a,b\n"}});
    register_account("", "", {"KGAT_" + random_hex(16)}, {slug});
    std::string id = add_kaggle_dataset(slug);
    std::map<std::string, std::string> env = {{"KAGGLE_API_TOKEN", "KGAT_" + random_hex(16)}}; // not registered

    auto fetch = cxrcat({"fetch", id, "--accept-terms"}, env);
    EXPECT_EQ(fetch.exit_code, 4) << fetch.describe();
    EXPECT_TRUE(has_text(fetch.err, "Kaggle refused the API key (from environment KAGGLE_API_TOKEN)")) << fetch.err;
    EXPECT_EQ(stats("kaggle", legacy_list_path(slug)).value("requests", 0), 0);
    EXPECT_EQ(fetch.err.find("legacy"), std::string::npos) << fetch.err;
}

} // namespace
} // namespace cxrcat::test
