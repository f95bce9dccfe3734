// SPDX-License-Identifier: Apache-2.0
// Alternative sources: sources sharing an `alternative` name serve the same data; fetch uses the
// first reachable one and says so on stderr when it falls back; --source PROVIDER picks one; a
// provider the dataset does not have is a usage error listing its sources.
#include "stub_route_test.hpp"

namespace cxrcat::test {
namespace {

using nlohmann::json;

class AlternativeSources : public StubRouteTest {
  protected:
    // A dataset whose images come from IDC (through the API unit `api_unit`) or, failing that,
    // from a Zenodo record holding the same file.
    std::string add_two_source_dataset(const std::string& record) {
        std::string id = unique("alt");
        json entry =
            dataset_entry(id, "open", {{"provider", "idc"}, {"collection", "alt_coll"}, {"alternative", "images"}});
        entry["sources"].push_back({{"provider", "zenodo"}, {"record", record}, {"alternative", "images"}});
        add_dataset(entry);
        return id;
    }
};

TEST_F(AlternativeSources, TheFirstReachableSourceIsUsedAndTheFallbackAnnounced) {
    std::string record = unique_digits();
    std::string content = random_bytes(500);
    write_text_file(world("zenodo") / record / "images.bin", content);
    std::string id = add_two_source_dataset(record);
    // The IDC API unit does not exist (the fixture's default): IDC is not usable, Zenodo is.
    auto fetch = cxrcat({"fetch", id, "--accept-terms"});
    ASSERT_EQ(fetch.exit_code, 0) << fetch.describe();
    EXPECT_EQ(read_text_file(dataset_dir(id) / "images.bin"), content);
    EXPECT_TRUE(has_text(fetch.err, "warning: " + id + ": source 1 (idc) is not usable ("));
    EXPECT_TRUE(has_text(fetch.err, "); using source 2 (zenodo) instead"));

    auto plan = cxrcat({"fetch", id, "--dry-run"});
    ASSERT_EQ(plan.exit_code, 0) << plan.describe();
    EXPECT_TRUE(has_text(plan.err, "using source 2 (zenodo) instead"));
}

TEST_F(AlternativeSources, SourcePicksOneAndAnUnknownProviderIsAUsageError) {
    std::string record = unique_digits();
    write_text_file(world("zenodo") / record / "images.bin", random_bytes(100));
    std::string id = add_two_source_dataset(record);

    // --source idc: no fallback, the IDC failure is the answer.
    auto idc = cxrcat({"fetch", id, "--accept-terms", "--source", "idc"});
    EXPECT_EQ(idc.exit_code, 6) << idc.describe();
    EXPECT_TRUE(has_text(idc.err, "IDC API"));
    EXPECT_FALSE(has_text(idc.err, "zenodo"));
    EXPECT_FALSE(std::filesystem::exists(dataset_dir(id) / "images.bin"));

    auto zenodo = cxrcat({"fetch", id, "--accept-terms", "--source", "zenodo"});
    ASSERT_EQ(zenodo.exit_code, 0) << zenodo.describe();
    EXPECT_FALSE(has_text(zenodo.err, "instead")); // chosen, not fallen back to
    EXPECT_TRUE(std::filesystem::exists(dataset_dir(id) / "images.bin"));

    auto unknown = cxrcat({"fetch", id, "--accept-terms", "--source", "tcia"});
    EXPECT_EQ(unknown.exit_code, 2) << unknown.describe();
    EXPECT_TRUE(has_text(unknown.err, "cxrcat: error: " + id + ": no source of this dataset is 'tcia'"));
    EXPECT_TRUE(has_text(unknown.err, "note: its sources: idc, zenodo"));
}

} // namespace
} // namespace cxrcat::test
