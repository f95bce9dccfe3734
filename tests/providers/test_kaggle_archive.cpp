// SPDX-License-Identifier: Apache-2.0
// A whole Kaggle competition in one DownloadDataFiles call (issue 22 item 5; api-drift-2026.md §6.3):
// the zip's members checked against ListDataFiles before any is installed, per-file calls when the
// fetch narrows or the archive call is refused, and what `plan --format json` says of the POST.
#include "kaggle_route_test.hpp"

namespace cxrcat::test {
namespace {

class KaggleArchiveRoute : public KaggleRoute {
  protected:
    static std::map<std::string, std::string> competition_files() {
        return {{"train.csv", "patientId,Target\n0004cfab,0\n"},
                {"images/a.bin", random_bytes(20'001)},
                {"images/b.bin", random_bytes(1'234)},
                {"test/c.bin", random_bytes(77)}};
    }
};

TEST_F(KaggleArchiveRoute, AWholeCompetitionIsOneArchiveCall) {
    std::string slug = unique("comp");
    auto files = competition_files();
    publish_competition(slug, files, {{"_legacy_401", ""}});
    auto account = key_account(slug, true);
    std::string id = add_kaggle_dataset(slug);

    auto fetch = cxrcat({"fetch", id, "--accept-terms"}, account);
    ASSERT_EQ(fetch.exit_code, 0) << fetch.describe();
    for (const auto& [path, content] : files) {
        EXPECT_EQ(read_text_file(dataset_dir(id) / path), content) << path;
    }
    EXPECT_TRUE(has_text(fetch.out, "no published checksum: recorded SHA-256")) << fetch.out;

    auto archive = stats("kaggle", rpc_path("DownloadDataFiles", slug));
    EXPECT_EQ(archive.value("requests", 0), 1) << archive.dump();
    EXPECT_EQ(archive.value("authorization", 0), 1) << archive.dump();
    EXPECT_EQ(stats("kaggle", rpc_path("DownloadDataFile", slug)).value("requests", 0), 0);
    // The signed zip on the other host name was asked once, and never with the key.
    auto zip = stats("kaggle", "/__signed-zip/" + slug + "/" + slug + ".zip");
    EXPECT_EQ(zip.value("requests", 0), 1) << zip.dump();
    EXPECT_EQ(zip.value("authorization", 0), 0) << zip.dump();
    EXPECT_FALSE(std::filesystem::exists(dataset_dir(id) / (slug + ".zip")));

    // A rerun finds every file in place, recorded as any download.
    auto again = cxrcat({"fetch", id}, account);
    EXPECT_EQ(again.exit_code, 0) << again.describe();
    EXPECT_TRUE(has_text(again.out, "skipped  " + id + "/images/a.bin")) << again.out;
    EXPECT_EQ(stats("kaggle", rpc_path("DownloadDataFiles", slug)).value("requests", 0), 1);
}

TEST_F(KaggleArchiveRoute, ANarrowedFetchAsksFileByFile) {
    std::string slug = unique("comp");
    auto files = competition_files();
    publish_competition(slug, files, {{"_legacy_401", ""}});
    auto account = key_account(slug, true);
    std::string id = add_kaggle_dataset(slug);

    auto fetch = cxrcat({"fetch", id, "--accept-terms", "--include", "images/*"}, account);
    ASSERT_EQ(fetch.exit_code, 0) << fetch.describe();
    EXPECT_EQ(read_text_file(dataset_dir(id) / "images/a.bin"), files["images/a.bin"]);
    EXPECT_FALSE(std::filesystem::exists(dataset_dir(id) / "train.csv"));
    EXPECT_EQ(stats("kaggle", rpc_path("DownloadDataFiles", slug)).value("requests", 0), 0);
    EXPECT_GE(stats("kaggle", rpc_path("DownloadDataFile", slug)).value("requests", 0), 2);

    // Part of it installed: the rest is asked file by file too, never as the whole archive.
    auto rest = cxrcat({"fetch", id}, account);
    ASSERT_EQ(rest.exit_code, 0) << rest.describe();
    EXPECT_EQ(read_text_file(dataset_dir(id) / "train.csv"), files["train.csv"]);
    EXPECT_EQ(stats("kaggle", rpc_path("DownloadDataFiles", slug)).value("requests", 0), 0);
}

TEST_F(KaggleArchiveRoute, AnArchiveMemberOfAnotherSizeInstallsNothing) {
    std::string slug = unique("comp");
    publish_competition(slug, competition_files(), {{"_legacy_401", ""}, {"_archive_padding", "5"}});
    auto account = key_account(slug, true);
    std::string id = add_kaggle_dataset(slug);

    auto fetch = cxrcat({"fetch", id, "--accept-terms", "--retries", "0"}, account);
    EXPECT_EQ(fetch.exit_code, 5) << fetch.describe();
    EXPECT_TRUE(has_text(fetch.err, slug + ".zip: member images/a.bin: size mismatch")) << fetch.err;
    EXPECT_TRUE(has_text(fetch.err, "nothing of " + slug + ".zip was installed")) << fetch.err;
    for (const auto& [path, content] : competition_files()) {
        EXPECT_FALSE(std::filesystem::exists(dataset_dir(id) / path)) << path;
    }
    EXPECT_EQ(stats("kaggle", rpc_path("DownloadDataFile", slug)).value("requests", 0), 0);
}

TEST_F(KaggleArchiveRoute, ARefusedArchiveCallFallsBackToPerFileCalls) {
    std::string slug = unique("comp");
    auto files = competition_files();
    publish_competition(slug, files, {{"_legacy_401", ""}, {"_archive_refused", "429"}});
    auto account = key_account(slug, true);
    std::string id = add_kaggle_dataset(slug);

    auto fetch = cxrcat({"fetch", id, "--accept-terms", "--retries", "1"}, account);
    ASSERT_EQ(fetch.exit_code, 0) << fetch.describe();
    for (const auto& [path, content] : files) {
        EXPECT_EQ(read_text_file(dataset_dir(id) / path), content) << path;
    }
    EXPECT_TRUE(has_text(fetch.err, "(DownloadDataFiles) answered HTTP 429")) << fetch.err;
    EXPECT_TRUE(has_text(fetch.err, "downloading its 4 files one by one")) << fetch.err;
    EXPECT_GE(stats("kaggle", rpc_path("DownloadDataFiles", slug)).value("requests", 0), 1);
    EXPECT_GE(stats("kaggle", rpc_path("DownloadDataFile", slug)).value("requests", 0), 4);
}

TEST_F(KaggleArchiveRoute, AJsonPlanSaysTheRpcUrlIsAPostWithItsBody) {
    std::string slug = unique("comp");
    publish_competition(slug, {{"train.csv", "a,b\n"}}, {{"_legacy_401", ""}});
    auto account = key_account(slug, true);
    std::string id = add_kaggle_dataset(slug);
    ASSERT_EQ(cxrcat({"accept", id}).exit_code, 0);

    auto plan = cxrcat({"plan", id, "--format", "json", "--include", "*.csv"}, account);
    ASSERT_EQ(plan.exit_code, 0) << plan.describe();
    auto file = nlohmann::json::parse(plan.out)["plans"][0]["files"][0];
    EXPECT_TRUE(has_text(file["url"].get<std::string>(), "/v1/competitions.CompetitionApiService/DownloadDataFile"));
    EXPECT_EQ(file["method"], "POST") << file.dump();
    auto body = nlohmann::json::parse(file["body"].get<std::string>());
    EXPECT_EQ(body, (nlohmann::json{{"competitionName", slug}, {"fileName", "train.csv"}})) << file.dump();
    EXPECT_FALSE(has_text(plan.out, account["KAGGLE_KEY"]));
}

} // namespace
} // namespace cxrcat::test
