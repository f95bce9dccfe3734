// SPDX-License-Identifier: Apache-2.0
// The kaggle route for Kaggle datasets: kagglesdk's datasets service (POST api.kaggle.com/v1/
// datasets.DatasetApiService/ListDatasetFiles|DownloadDataset, Kaggle/kaggle-api@cdc969b
// src/kagglesdk/datasets), with a bearer token, pageToken paging, the MD5 of GCS's X-Goog-Hash (the
// list has no checksum), Kaggle's 404 for an unknown dataset, and no legacy REST fallback.
#include "kaggle_route_test.hpp"

#include <set>

namespace cxrcat::test {
namespace {

TEST_F(KaggleRoute, DatasetWithABearerTokenWhileTheLegacyPathsAnswer401) {
    std::string owner = unique("owner");
    std::string slug = unique("data");
    std::string ref = owner + "/" + slug;
    std::map<std::string, std::string> files = {{"labels.csv", "image,label\na.png,1\n"},
                                                {"images/a.bin", random_bytes(2'501)},
                                                {"images/b.bin", random_bytes(1'502)}};
    publish_kaggle_dataset(owner, slug, files, {{"_legacy_401", ""}}); // pages of 2: two pages
    std::string token = "KGAT_" + random_hex(16);
    register_account("", "", {token}, {});
    std::string id = add_kaggle_dataset_source(ref);
    std::map<std::string, std::string> env = {{"KAGGLE_API_TOKEN", token}};

    ASSERT_EQ(cxrcat({"accept", id}).exit_code, 0);
    auto check = cxrcat({"check", id}, env);
    EXPECT_EQ(check.exit_code, 0) << check.describe();
    EXPECT_TRUE(has_text(check.out, "credentials accepted for dataset " + ref)) << check.out;

    std::string list_path = dataset_rpc_path("ListDatasetFiles", ref);
    std::string download_path = dataset_rpc_path("DownloadDataset", ref);
    fetch_each_file(id, env, files, list_path, download_path);
    ASSERT_FALSE(HasFailure());

    // Two pages, each a POST with the bearer token naming ownerSlug and datasetSlug; the second asks
    // the token the first returned.
    auto listed = stats("kaggle", list_path);
    ASSERT_EQ(listed.value("requests", 0), 2) << listed.dump();
    for (std::size_t i = 0; i < 2; ++i) {
        const auto& entry = listed["log"][i];
        EXPECT_EQ(entry["method"], "POST");
        EXPECT_EQ(entry["auth_scheme"], "Bearer");
        EXPECT_EQ(entry["rpc_body"]["ownerSlug"], owner);
        EXPECT_EQ(entry["rpc_body"]["datasetSlug"], slug);
        EXPECT_FALSE(entry["rpc_body"].contains("datasetVersionNumber")) << entry.dump();
        EXPECT_EQ(entry["rpc_body"].contains("pageToken"), i == 1) << entry.dump();
    }

    // One DownloadDataset with fileName per file, with the token; the signed URLs never saw it.
    auto downloads = stats("kaggle", download_path);
    std::set<std::string> asked;
    for (const auto& entry : downloads["log"]) {
        EXPECT_EQ(entry["auth_scheme"], "Bearer");
        asked.insert(entry["rpc_body"].value("fileName", ""));
    }
    EXPECT_EQ(asked, (std::set<std::string>{"labels.csv", "images/a.bin", "images/b.bin"})) << downloads.dump();
    // The legacy REST paths were never asked (they would have answered 401).
    EXPECT_EQ(stats("kaggle", "/api/v1/datasets/list/" + ref).value("requests", 0), 0);
    EXPECT_EQ(stats("kaggle", "/api/v1/datasets/download/" + ref).value("requests", 0), 0);
}

TEST_F(KaggleRoute, AWholeDatasetIsOneArchiveCall) {
    std::string owner = unique("owner");
    std::string slug = unique("data");
    std::string ref = owner + "/" + slug;
    std::map<std::string, std::string> files = {{"a.csv", "x\n1\n"}, {"dir/b.bin", random_bytes(1'111)}};
    publish_kaggle_dataset(owner, slug, files, {{"_int64_strings", ""}});
    auto account = key_account("", false);
    std::string id = add_kaggle_dataset_source(ref);

    std::string download_path = dataset_rpc_path("DownloadDataset", ref);
    reset_stats("kaggle", download_path);
    auto fetch = cxrcat({"fetch", id, "--accept-terms"}, account);
    ASSERT_EQ(fetch.exit_code, 0) << fetch.describe();
    for (const auto& [path, content] : files) {
        EXPECT_EQ(read_text_file(dataset_dir(id) / path), content) << path;
    }
    // The whole dataset: DownloadDataset without fileName, answered by one signed "<slug>.zip".
    auto downloads = stats("kaggle", download_path);
    ASSERT_GE(downloads.value("requests", 0), 1) << downloads.dump();
    for (const auto& entry : downloads["log"]) {
        EXPECT_EQ(entry["auth_scheme"], "Basic");
        EXPECT_FALSE(entry["rpc_body"].contains("fileName")) << entry.dump();
    }
}

TEST_F(KaggleRoute, ADatasetVersionIsAskedByNumber) {
    std::string owner = unique("owner");
    std::string slug = unique("data");
    publish_kaggle_dataset(owner, slug, {{"a.csv", "x\n"}}, {{"_version", "3"}});
    auto account = key_account("", false);
    std::string pinned = add_kaggle_dataset_source(owner + "/" + slug, "3");
    std::string missing = add_kaggle_dataset_source(owner + "/" + slug, "2");

    std::string list_path = dataset_rpc_path("ListDatasetFiles", owner + "/" + slug);
    reset_stats("kaggle", list_path);
    auto fetch = cxrcat({"fetch", pinned, "--accept-terms", "--include", "*"}, account);
    ASSERT_EQ(fetch.exit_code, 0) << fetch.describe();
    EXPECT_EQ(read_text_file(dataset_dir(pinned) / "a.csv"), "x\n");
    EXPECT_EQ(stats("kaggle", list_path)["log"][0]["rpc_body"]["datasetVersionNumber"], 3);

    auto other = cxrcat({"fetch", missing, "--accept-terms"}, account);
    EXPECT_EQ(other.exit_code, 3) << other.describe();
}

TEST_F(KaggleRoute, ADatasetXGoogHashMismatchInstallsNothing) {
    std::string owner = unique("owner");
    std::string slug = unique("data");
    publish_kaggle_dataset(owner, slug, {{"labels.csv", "a,b\n1,2\n"}}, {{"_goog_hash_wrong", ""}});
    auto account = key_account("", false);
    std::string id = add_kaggle_dataset_source(owner + "/" + slug);

    auto fetch = cxrcat({"fetch", id, "--accept-terms", "--retries", "0", "--include", "*"}, account);
    EXPECT_EQ(fetch.exit_code, 5) << fetch.describe();
    EXPECT_TRUE(has_text(fetch.err, "labels.csv: md5 mismatch")) << fetch.err;
    EXPECT_TRUE(has_text(fetch.err, "X-Goog-Hash of the download")) << fetch.err;
    EXPECT_TRUE(has_text(fetch.err, "nothing was installed")) << fetch.err;
    EXPECT_FALSE(std::filesystem::exists(dataset_dir(id) / "labels.csv"));
    EXPECT_FALSE(std::filesystem::exists(dataset_dir(id) / "labels.csv.part"));
}

TEST_F(KaggleRoute, AnUnknownDatasetIsNotFoundInKagglesWords) {
    std::string ref = unique("owner") + "/" + unique("nosuch");
    auto account = key_account("", false);
    std::string id = add_kaggle_dataset_source(ref);

    auto fetch = cxrcat({"fetch", id, "--accept-terms"}, account);
    EXPECT_EQ(fetch.exit_code, 3) << fetch.describe();
    EXPECT_TRUE(has_text(fetch.err, "Kaggle dataset '" + ref + "' not found")) << fetch.err;
    EXPECT_TRUE(has_text(fetch.err, "Kaggle answered HTTP 404: Not found")) << fetch.err;
    EXPECT_TRUE(has_text(fetch.err, "https://www.kaggle.com/datasets/" + ref)) << fetch.err;
    // No fallback to the legacy REST paths for a dataset.
    EXPECT_EQ(stats("kaggle", "/api/v1/datasets/list/" + ref).value("requests", 0), 0);

    auto check = cxrcat({"check", id}, account);
    EXPECT_NE(check.exit_code, 0) << check.describe();
    EXPECT_TRUE(has_text(check.out + check.err, "not found")) << check.describe();
}

} // namespace
} // namespace cxrcat::test
