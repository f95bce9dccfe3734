// SPDX-License-Identifier: Apache-2.0
// Zenodo's record shapes since 2023 (api-drift-2026.md §4.1): the pre-2023 bucket links, concept
// ids that only answer through /versions/latest, restricted records that list no files, and the
// User-Agent every request carries.
#include "cxrcat/base/version.hpp"
#include "zenodo_route_test.hpp"

namespace cxrcat::test {
namespace {

TEST_F(ZenodoRoute, ThePre2023BucketShapeIsFetchedThroughItsOwnLink) {
    std::string record = unique_digits();
    std::string data = random_bytes(7000);
    publish_record(record, {{"scans/a b.bin", data}}, {{"_bucket.json", "{}"}});
    std::string id = add_zenodo_dataset(record);

    auto plan = cxrcat({"fetch", id, "--dry-run", "--format", "json"});
    ASSERT_EQ(plan.exit_code, 0) << plan.describe();
    auto file = nlohmann::json::parse(plan.out)["plans"][0]["files"][0];
    EXPECT_EQ(file["path"], "scans/a b.bin");
    EXPECT_EQ(file["digests"]["md5"], md5_of(data)); // "md5:" stripped
    EXPECT_TRUE(has_text(file["url"].get<std::string>(), "/api/files/")) << file;

    auto fetch = cxrcat({"fetch", id, "--accept-terms"});
    ASSERT_EQ(fetch.exit_code, 0) << fetch.describe();
    EXPECT_EQ(read_text_file(dataset_dir(id) / "scans" / "a b.bin"), data);
    // The stub has no /content route for a pre-2023 record: it was never asked.
    EXPECT_EQ(stats("zenodo", "/api/records/" + record + "/files/scans/a%20b.bin/content").value("requests", 0), 0);
}

TEST_F(ZenodoRoute, AConceptIdResolvesToItsLatestVersionAndSaysSo) {
    std::string concept_id = unique_digits();
    std::string older = std::to_string(std::stoull(concept_id) + 1);
    std::string latest = std::to_string(std::stoull(concept_id) + 2);
    std::string meta = R"({"conceptrecid": ")" + concept_id + R"("})";
    publish_record(older, {{"v1.bin", random_bytes(100)}}, {{"_meta.json", meta}});
    std::string data = random_bytes(300);
    publish_record(latest, {{"v2.bin", data}}, {{"_meta.json", meta}});
    std::string id = add_zenodo_dataset(concept_id);

    auto check = cxrcat({"check", id, "--format", "json"});
    auto checked = nlohmann::json::parse(check.out);
    EXPECT_EQ(checked[0]["sources"][0]["status"], "ok") << check.out;
    EXPECT_TRUE(has_text(checked[0]["sources"][0]["detail"].get<std::string>(),
                         "a concept id: its latest version " + latest + " is used"))
        << check.out;

    std::string latest_route = "/api/records/" + concept_id + "/versions/latest";
    reset_stats("zenodo", latest_route);
    auto fetch = cxrcat({"fetch", id, "--accept-terms"});
    ASSERT_EQ(fetch.exit_code, 0) << fetch.describe();
    EXPECT_TRUE(has_text(fetch.err, "Zenodo record " + concept_id + " is a concept id; its latest version " + latest +
                                        " is used"));
    EXPECT_EQ(read_text_file(dataset_dir(id) / "v2.bin"), data);
    EXPECT_FALSE(std::filesystem::exists(dataset_dir(id) / "v1.bin"));
    EXPECT_EQ(stats("zenodo", latest_route).value("requests", 0), 1);
}

TEST_F(ZenodoRoute, ARestrictedRecordListingNoFilesIsAnAccessRefusalNamingItsPage) {
    std::string record = unique_digits();
    publish_record(record, {{"hidden.bin", random_bytes(10)}}, {{"_restricted", ""}});
    std::string id = add_zenodo_dataset(record);

    auto fetch = cxrcat({"fetch", id, "--accept-terms"});
    EXPECT_EQ(fetch.exit_code, 4) << fetch.describe();
    EXPECT_TRUE(has_text(fetch.err, "Zenodo record " + record + " is restricted and lists no files"));
    EXPECT_TRUE(has_text(fetch.err, "/records/" + record + " to request access"));

    auto check = cxrcat({"check", id});
    EXPECT_EQ(check.exit_code, 4) << check.describe();
    EXPECT_TRUE(has_text(check.out, "restricted"));
}

TEST_F(ZenodoRoute, EveryRequestCarriesCxrcatsOwnUserAgent) {
    std::string record = unique_digits();
    publish_record(record, {{"a.bin", random_bytes(1000)}});
    std::string id = add_zenodo_dataset(record);
    ASSERT_EQ(cxrcat({"fetch", id, "--accept-terms"}).exit_code, 0);

    for (const std::string& path : {"/api/records/" + record, "/api/records/" + record + "/files/a.bin/content"}) {
        auto log = stats("zenodo", path)["log"];
        ASSERT_FALSE(log.empty()) << path;
        for (const auto& entry : log) {
            EXPECT_EQ(entry["user_agent"], user_agent()) << path << ": " << entry;
            EXPECT_TRUE(entry["user_agent"].get<std::string>().starts_with("cxrcat/" + version() + " (")) << entry;
        }
    }
}

} // namespace
} // namespace cxrcat::test
