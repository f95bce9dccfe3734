// SPDX-License-Identifier: Apache-2.0
// The kaggle route against the Kaggle stub: paged file list, downloads through a redirect to a
// signed URL on another host name, first-download digests, and every access failure with its fix.
#include "kaggle_route_test.hpp"

#include <set>
#include <sys/stat.h>

namespace cxrcat::test {
namespace {

constexpr std::string_view k_no_credentials =
    "no Kaggle credentials: set KAGGLE_USERNAME and KAGGLE_KEY, or KAGGLE_API_TOKEN, or put kaggle.json in "
    "~/.kaggle (chmod 600)";

TEST_F(KaggleRoute, ChecksAndFetchesAPagedCompetitionRecordingFirstDownloadDigests) {
    std::string slug = unique("comp");
    std::map<std::string, std::string> files = {{"train.csv", "patientId,Target\n0004cfab,0\n00313ee0,1\n"},
                                                {"images/a.bin", random_bytes(30'001)},
                                                {"images/b.bin", random_bytes(1'234)},
                                                {"sample submission.csv", "patientId,PredictionString\n"},
                                                {"test/c.bin", random_bytes(77)}};
    publish_competition(slug, files); // the stub pages by 2: three pages
    auto account = key_account(slug, true);
    std::string id = add_kaggle_dataset(slug);
    ASSERT_EQ(cxrcat({"accept", id}).exit_code, 0);

    auto check = cxrcat({"check", id}, account);
    EXPECT_EQ(check.exit_code, 0) << check.describe();
    EXPECT_TRUE(
        has_text(check.out, "kaggle (Kaggle competition): ok — credentials accepted and the competition rules"));
    EXPECT_TRUE(has_text(check.out, "credential: Kaggle API key for " + account["KAGGLE_USERNAME"] +
                                        " from environment KAGGLE_USERNAME/KAGGLE_KEY (****" +
                                        account["KAGGLE_KEY"].substr(account["KAGGLE_KEY"].size() - 4) + ")"));
    EXPECT_TRUE(has_text(check.out, "fetch allowed: yes"));

    std::string list_path = rpc_path("ListDataFiles", slug);
    reset_stats("kaggle", list_path);
    // --include: the per-file calls (a whole competition is one archive call, test_kaggle_archive.cpp).
    auto fetch = cxrcat({"fetch", id, "--include", "*"}, account);
    ASSERT_EQ(fetch.exit_code, 0) << fetch.describe();
    for (const auto& [path, content] : files) {
        EXPECT_EQ(read_text_file(dataset_dir(id) / path), content) << path;
    }
    EXPECT_TRUE(has_text(fetch.out, "no published checksum: recorded SHA-256"));

    // Every page of the list was read, with the key; the pages follow nextPageToken.
    auto listed = stats("kaggle", list_path);
    EXPECT_EQ(listed.value("requests", 0), 3) << listed.dump();
    EXPECT_EQ(listed.value("authorization", 0), 3) << listed.dump();
    ASSERT_EQ(listed["log"].size(), 3U);
    EXPECT_EQ(listed["log"][0]["method"], "POST");
    EXPECT_EQ(listed["log"][0]["rpc_body"]["pageSize"], 200);
    EXPECT_FALSE(listed["log"][0]["rpc_body"].contains("pageToken"));
    EXPECT_TRUE(listed["log"][1]["rpc_body"]["pageToken"].is_string());
    EXPECT_EQ(listed["log"][0]["auth_scheme"], "Basic");

    // Kaggle saw the key on every DownloadDataFile call; the signed URL on the other host name never did.
    auto downloads = stats("kaggle", rpc_path("DownloadDataFile", slug));
    EXPECT_EQ(downloads.value("authorization", 0), downloads.value("requests", -1)) << downloads.dump();
    std::set<std::string> asked;
    for (const auto& entry : downloads["log"]) {
        asked.insert(entry["rpc_body"]["fileName"].get<std::string>());
    }
    for (const auto& [path, content] : files) {
        EXPECT_TRUE(asked.contains(path)) << path << downloads.dump();
    }
    for (const std::string path : {"images/a.bin", "sample%20submission.csv", "test/c.bin"}) {
        auto signed_url = stats("kaggle", "/__signed/" + slug + "/" + path);
        EXPECT_GE(signed_url.value("requests", 0), 1) << path << signed_url.dump(); // check fetched one byte too
        EXPECT_EQ(signed_url.value("authorization", 0), 0) << path << signed_url.dump();
        ASSERT_FALSE(signed_url["log"].empty());
        EXPECT_TRUE(has_text(signed_url["log"][0]["host"].get<std::string>(), "localhost:"));
    }

    // A rerun finds everything in place.
    auto again = cxrcat({"fetch", id}, account);
    EXPECT_EQ(again.exit_code, 0) << again.describe();
    EXPECT_TRUE(has_text(again.out, "skipped  " + id + "/images/a.bin"));

    // The remote file changes: the recorded digest now refuses it.
    replace_remote(slug, "images/a.bin", random_bytes(30'001));
    std::filesystem::remove(dataset_dir(id) / "images" / "a.bin");
    auto changed = cxrcat({"fetch", id, "--retries", "0"}, account);
    EXPECT_EQ(changed.exit_code, 5) << changed.describe();
    EXPECT_TRUE(has_text(changed.err, "images/a.bin: sha256 mismatch"));
    EXPECT_TRUE(has_text(changed.err, "recorded at first download"));
    EXPECT_FALSE(std::filesystem::exists(dataset_dir(id) / "images" / "a.bin"));
}

TEST_F(KaggleRoute, ReadsTheBareArrayListWithABearerToken) {
    std::string slug = unique("comp");
    std::map<std::string, std::string> files = {
        {"a.bin", random_bytes(4'000)}, {"b.bin", random_bytes(5'000)}, {"c.bin", random_bytes(6'000)}};
    // The bare array is the legacy GET's shape: a host without the RPC API (the route falls back).
    publish_competition(slug, files, {{"_bare_array", ""}, {"_rpc_absent", ""}});
    std::string token = "KGAT_" + random_hex(16);
    register_account("", "", {token}, {slug});
    std::string id = add_kaggle_dataset(slug);
    std::map<std::string, std::string> env = {{"KAGGLE_API_TOKEN", token}};

    auto check = cxrcat({"check", id, "--format", "json"}, env);
    auto report = nlohmann::json::parse(check.out);
    EXPECT_EQ(report[0]["sources"][0]["status"], "ok") << check.out;
    EXPECT_EQ(report[0]["sources"][0]["credential"],
              "Kaggle API token from environment KAGGLE_API_TOKEN (****" + token.substr(token.size() - 4) + ")");

    std::string list_path = "/api/v1/competitions/data/list/" + slug;
    reset_stats("kaggle", list_path);
    auto fetch = cxrcat({"fetch", id, "--accept-terms"}, env);
    ASSERT_EQ(fetch.exit_code, 0) << fetch.describe();
    for (const auto& [path, content] : files) {
        EXPECT_EQ(read_text_file(dataset_dir(id) / path), content) << path;
    }
    auto listed = stats("kaggle", list_path);
    EXPECT_EQ(listed.value("requests", 0), 1) << "a bare array is the whole list";
    ASSERT_FALSE(listed["log"].empty());
    EXPECT_EQ(listed["log"][0]["auth_scheme"], "Bearer");
    for (const auto& [path, content] : files) {
        EXPECT_EQ(stats("kaggle", "/__signed/" + slug + "/" + path).value("authorization", -1), 0) << path;
    }
}

TEST_F(KaggleRoute, WithoutCredentialsNamesEveryPlaceTheyCanGo) {
    std::string slug = unique("comp");
    publish_competition(slug, {{"train.csv", "a,b\n"}});
    std::string id = add_kaggle_dataset(slug);
    ASSERT_EQ(cxrcat({"accept", id}).exit_code, 0);

    auto check = cxrcat({"check", id});
    EXPECT_EQ(check.exit_code, 4) << check.describe();
    EXPECT_TRUE(has_text(check.out, "kaggle (Kaggle competition): no-credentials"));
    EXPECT_TRUE(
        has_text(check.out, "KAGGLE_USERNAME and KAGGLE_KEY, or KAGGLE_API_TOKEN, or put kaggle.json in ~/.kaggle"));

    auto fetch = cxrcat({"fetch", id});
    EXPECT_EQ(fetch.exit_code, 4) << fetch.describe();
    EXPECT_TRUE(has_text(fetch.err, "cxrcat: error: " + id + ": " + std::string(k_no_credentials)));
    EXPECT_TRUE(has_text(fetch.err, "https://www.kaggle.com/settings"));
    EXPECT_EQ(stats("kaggle", rpc_path("ListDataFiles", slug)).value("requests", 0), 0);
    EXPECT_EQ(stats("kaggle", "/api/v1/competitions/data/list/" + slug).value("requests", 0), 0);
}

TEST_F(KaggleRoute, AWrongKeyIsRefusedWithWhereItCameFrom) {
    std::string slug = unique("comp");
    publish_competition(slug, {{"train.csv", "a,b\n"}});
    auto account = key_account(slug, true);
    account["KAGGLE_KEY"] = random_hex(16); // not the registered key
    std::string id = add_kaggle_dataset(slug);
    ASSERT_EQ(cxrcat({"accept", id}).exit_code, 0);

    std::string expected = "Kaggle refused the API key (from environment KAGGLE_USERNAME/KAGGLE_KEY): create a new "
                           "token at https://www.kaggle.com/settings";
    auto check = cxrcat({"check", id}, account);
    EXPECT_EQ(check.exit_code, 4) << check.describe();
    EXPECT_TRUE(has_text(check.out, "credentials-refused"));
    EXPECT_TRUE(has_text(check.out, "fix: create a new token at https://www.kaggle.com/settings"));

    auto fetch = cxrcat({"fetch", id}, account);
    EXPECT_EQ(fetch.exit_code, 4) << fetch.describe();
    EXPECT_TRUE(has_text(fetch.err, expected));
    EXPECT_TRUE(has_text(fetch.err, "Kaggle answered HTTP 401: Unauthenticated"));
}

TEST_F(KaggleRoute, RulesNotAcceptedPointAtTheRulesPage) {
    std::string slug = unique("comp");
    publish_competition(slug, {{"train.csv", "a,b\n"}, {"images/x.bin", random_bytes(999)}});
    auto account = key_account(slug, false); // valid key, rules not accepted
    std::string id = add_kaggle_dataset(slug);
    ASSERT_EQ(cxrcat({"accept", id}).exit_code, 0);

    auto check = cxrcat({"check", id}, account);
    EXPECT_EQ(check.exit_code, 4) << check.describe();
    EXPECT_TRUE(has_text(check.out, "kaggle (Kaggle competition): not-accepted"));
    EXPECT_TRUE(
        has_text(check.out, "You must accept this competition's rules before you'll be able to download files."));
    EXPECT_TRUE(has_text(check.out, "fix: accept the competition rules at " + rules_url(slug)));

    auto fetch = cxrcat({"fetch", id}, account);
    EXPECT_EQ(fetch.exit_code, 4) << fetch.describe();
    EXPECT_TRUE(has_text(fetch.err, "accept the competition rules at " + rules_url(slug)));
    EXPECT_TRUE(has_text(fetch.err, "Kaggle answered HTTP 403: You must accept this competition's rules"));
    EXPECT_FALSE(std::filesystem::exists(dataset_dir(id) / "train.csv"));
    // Stopped before any transfer: nothing went to the signed URLs.
    EXPECT_EQ(stats("kaggle", "/__signed/" + slug + "/train.csv").value("requests", 0), 0);
    EXPECT_EQ(stats("kaggle", "/__signed/" + slug + "/images/x.bin").value("requests", 0), 0);
}

TEST_F(KaggleRoute, RulesEnforcedOnTheListAreDiagnosedToo) {
    std::string slug = unique("comp");
    publish_competition(slug, {{"train.csv", "a,b\n"}}, {{"_rules_on_list", ""}});
    auto account = key_account(slug, false);
    std::string id = add_kaggle_dataset(slug);

    auto fetch = cxrcat({"fetch", id, "--accept-terms"}, account);
    EXPECT_EQ(fetch.exit_code, 4) << fetch.describe();
    EXPECT_TRUE(has_text(fetch.err, "accept the competition rules at " + rules_url(slug)));
    auto check = cxrcat({"check", id}, account);
    EXPECT_EQ(check.exit_code, 4) << check.describe();
    EXPECT_TRUE(has_text(check.out, "not-accepted"));
}

TEST_F(KaggleRoute, AnUnknownCompetitionIsNotFoundNotARulesProblem) {
    // Kaggle answers 403 "Permission 'competitions.get' was denied" (not 404) for a name it does not know.
    std::string slug = unique("comp"); // never published
    auto account = key_account(slug, true);
    std::string id = add_kaggle_dataset(slug);
    ASSERT_EQ(cxrcat({"accept", id}).exit_code, 0);
    std::string expected = "Kaggle competition '" + slug + "' does not exist, or " + account["KAGGLE_USERNAME"] +
                           " has no permission to see it";

    auto check = cxrcat({"check", id}, account);
    EXPECT_EQ(check.exit_code, 3) << check.describe();
    EXPECT_TRUE(has_text(check.out, "not-found — " + expected));
    EXPECT_TRUE(has_text(check.out, "Kaggle answered HTTP 403: Permission 'competitions.get' was denied"));
    auto fetch = cxrcat({"fetch", id}, account);
    EXPECT_EQ(fetch.exit_code, 3) << fetch.describe();
    EXPECT_TRUE(
        has_text(fetch.err, expected + ": check the competition name at https://www.kaggle.com/competitions/" + slug));
    EXPECT_EQ(fetch.err.find("rules"), std::string::npos) << fetch.err;
}

TEST_F(KaggleRoute, AnotherRefusalIsReportedInKagglesOwnWords) {
    std::string slug = unique("comp");
    publish_competition(slug, {{"train.csv", "a,b\n"}}, {{"_participate_denied", ""}});
    auto account = key_account(slug, true);
    std::string id = add_kaggle_dataset(slug);
    ASSERT_EQ(cxrcat({"accept", id}).exit_code, 0);

    auto check = cxrcat({"check", id}, account);
    EXPECT_EQ(check.exit_code, 4) << check.describe();
    EXPECT_TRUE(has_text(check.out, "restricted — Kaggle refused access: Permission 'competitions.participate' was "
                                    "denied"));
    auto fetch = cxrcat({"fetch", id}, account);
    EXPECT_EQ(fetch.exit_code, 4) << fetch.describe();
    EXPECT_TRUE(has_text(fetch.err, id + ": Kaggle refused access: Permission 'competitions.participate' was denied"));
    EXPECT_EQ(fetch.err.find("accept the competition rules"), std::string::npos) << fetch.err;
    EXPECT_FALSE(std::filesystem::exists(dataset_dir(id) / "train.csv"));
}

TEST_F(KaggleRoute, AFileTheCatalogListsButKaggleDoesNotIsNotFound) {
    std::string slug = unique("comp");
    publish_competition(slug, {{"train.csv", "a,b\n"}});
    auto account = key_account(slug, true);
    std::string id = add_kaggle_dataset(slug, nlohmann::json::array({{{"path", "train.csv"}}, {{"path", "gone.csv"}}}));

    auto fetch = cxrcat({"fetch", id, "--accept-terms"}, account);
    EXPECT_EQ(fetch.exit_code, 3) << fetch.describe();
    EXPECT_TRUE(has_text(fetch.err, "lacks files the catalog lists: gone.csv"));
    EXPECT_TRUE(has_text(fetch.err, "the catalog entry needs updating"));
    // Checked per file: the present one is installed all the same.
    EXPECT_EQ(read_text_file(dataset_dir(id) / "train.csv"), "a,b\n");

    auto only = cxrcat({"fetch", id, "--include", "train.csv"}, account);
    EXPECT_EQ(only.exit_code, 0) << only.describe();
}

TEST_F(KaggleRoute, RateLimitingEndsAsANetworkFailureAfterRetries) {
    std::string slug = unique("comp");
    publish_competition(slug, {{"train.csv", "a,b\n"}}, {{"_ratelimit", "1000 0"}});
    auto account = key_account(slug, true);
    std::string id = add_kaggle_dataset(slug);
    ASSERT_EQ(cxrcat({"accept", id}).exit_code, 0);

    auto check = cxrcat({"check", id}, account);
    EXPECT_EQ(check.exit_code, 6) << check.describe();
    EXPECT_TRUE(has_text(check.out, "rate-limited"));
    EXPECT_TRUE(has_text(check.out, "fix: wait a few minutes, then rerun"));

    std::string list_path = rpc_path("ListDataFiles", slug);
    reset_stats("kaggle", list_path);
    auto fetch = cxrcat({"fetch", id, "--retries", "2"}, account);
    EXPECT_EQ(fetch.exit_code, 6) << fetch.describe();
    EXPECT_TRUE(has_text(fetch.err, "Kaggle is rate-limiting this client"));
    EXPECT_EQ(stats("kaggle", list_path).value("requests", 0), 3) << "one try and two retries";
}

TEST_F(KaggleRoute, AnExpiredSignedUrlIsToldApartFromKaggleRefusing) {
    std::string slug = unique("comp");
    publish_competition(slug, {{"train.csv", "a,b\n"}}, {{"_signed_expires", "-60"}});
    auto account = key_account(slug, true);
    std::string id = add_kaggle_dataset(slug);

    auto fetch = cxrcat({"fetch", id, "--accept-terms", "--retries", "0"}, account);
    EXPECT_NE(fetch.exit_code, 0) << fetch.describe();
    EXPECT_TRUE(has_text(fetch.err, "train.csv: the signed download link from Kaggle was refused (HTTP 400"));
    EXPECT_TRUE(has_text(fetch.err, "rerun to get a fresh download link from Kaggle"));
    EXPECT_EQ(fetch.err.find("rules"), std::string::npos) << fetch.err;
}

TEST_F(KaggleRoute, KaggleJsonReadableByOthersWorksWithAWarning) {
    std::string slug = unique("comp");
    publish_competition(slug, {{"train.csv", "a,b\n"}});
    std::string user = unique("user");
    std::string key = random_hex(16);
    register_account(user, key, {}, {slug});
    std::filesystem::path config = m_dir / "kaggle-config";
    write_text_file(config / "kaggle.json", nlohmann::json{{"username", user}, {"key", key}}.dump());
    ASSERT_EQ(::chmod((config / "kaggle.json").c_str(), 0644), 0);
    std::string id = add_kaggle_dataset(slug);
    std::map<std::string, std::string> env = {{"KAGGLE_CONFIG_DIR", config.string()}};
    ASSERT_EQ(cxrcat({"accept", id}).exit_code, 0);

    std::string warning = (config / "kaggle.json").string() + " is readable by group or others; run: chmod 600 " +
                          (config / "kaggle.json").string();
    auto check = cxrcat({"check", id}, env);
    EXPECT_EQ(check.exit_code, 0) << check.describe();
    EXPECT_TRUE(has_text(check.err, "cxrcat: warning: " + warning));
    EXPECT_TRUE(has_text(check.out, "from file " + (config / "kaggle.json").string()));

    auto fetch = cxrcat({"fetch", id}, env);
    EXPECT_EQ(fetch.exit_code, 0) << fetch.describe();
    EXPECT_TRUE(has_text(fetch.err, warning));
    EXPECT_EQ(read_text_file(dataset_dir(id) / "train.csv"), "a,b\n");

    // The same file in ~/.kaggle, private: no warning.
    ASSERT_EQ(::chmod((config / "kaggle.json").c_str(), 0600), 0);
    auto quiet = cxrcat({"check", id}, env);
    EXPECT_EQ(quiet.exit_code, 0) << quiet.describe();
    EXPECT_EQ(quiet.err.find("readable by group or others"), std::string::npos) << quiet.err;
}

TEST_F(KaggleRoute, AVerboseAuthenticatedRunLeavesTheSecretNowhere) {
    std::string slug = unique("comp");
    publish_competition(slug, {{"train.csv", "a,b\n"}, {"data/x.bin", random_bytes(2'000)}});
    std::string user = unique("user");
    std::string key = "k" + random_hex(20);
    std::string token = "KGAT_" + random_hex(20);
    register_account(user, key, {token}, {slug});
    std::string id = add_kaggle_dataset(slug);
    ASSERT_EQ(cxrcat({"accept", id}).exit_code, 0);

    std::string all_output;
    for (const auto& env : {std::map<std::string, std::string>{{"KAGGLE_USERNAME", user}, {"KAGGLE_KEY", key}},
                            std::map<std::string, std::string>{{"KAGGLE_API_TOKEN", token}}}) {
        for (const auto& args : {std::vector<std::string>{"--verbose", "check", id},
                                 std::vector<std::string>{"--verbose", "check", id, "--format", "json"},
                                 std::vector<std::string>{"--verbose", "fetch", id, "--progress", "json"},
                                 std::vector<std::string>{"--verbose", "fetch", id, "--format", "json"},
                                 std::vector<std::string>{"--verbose", "doctor"}}) {
            auto run = cxrcat(args, env);
            EXPECT_TRUE(run.exit_code == 0) << run.describe();
            all_output += run.out + run.err;
        }
        std::filesystem::remove_all(dataset_dir(id)); // the next credential downloads again
    }
    // And a failing run, whose errors quote requests.
    auto refused = cxrcat({"--verbose", "fetch", id}, {{"KAGGLE_USERNAME", user}, {"KAGGLE_KEY", key + "x"}});
    EXPECT_EQ(refused.exit_code, 4) << refused.describe();
    all_output += refused.out + refused.err;

    for (const std::string& secret : {key, token}) {
        EXPECT_EQ(all_output.find(secret), std::string::npos) << "secret printed:\n" << all_output;
        for (const auto& [path, content] : files_under(m_dir.path())) {
            EXPECT_EQ(content.find(secret), std::string::npos) << "secret stored in " << path;
        }
    }
    EXPECT_EQ(all_output.find("Authorization:"), std::string::npos) << all_output;
}

} // namespace
} // namespace cxrcat::test
