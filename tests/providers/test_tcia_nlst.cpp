// SPDX-License-Identifier: Apache-2.0
// NLST through its TCIA alternative on NLST's own NBIA host (api-drift-2026.md §1.4: NLST sits "on a
// separate system", tcia_utils#21; tcia_utils `api_url="nlst"`), overridden by CXRCAT_TCIA_NLST_URL,
// while the main NBIA host does not carry it. IDC stays the first source.
#include "tcia_route_test.hpp"

namespace cxrcat::test {
namespace {

using nlohmann::json;

class TciaNlstRoute : public TciaRoute {
  protected:
    void set_up_route() override {
        TciaRoute::set_up_route();
        // The main host (this test's unit) carries another collection, never NLST.
        json main_rows = json::array();
        add_series(main_rows, "LIDC-IDRI", "LIDC-IDRI-0001", series_uid(), {dicom(40)});
        write_rows(main_rows);
        m_env["CXRCAT_TCIA_URL"] = api_base("v4");
        m_host = "tcia_nlst";
        m_env["CXRCAT_TCIA_NLST_URL"] = api_base("v4");
    }
};

TEST_F(TciaNlstRoute, NlstIsFetchedFromItsOwnHostWhileTheMainHostDoesNotCarryIt) {
    json rows = json::array();
    std::string uid = series_uid();
    auto expected = add_series(rows, "NLST", "100012", uid, {dicom(300), dicom(30)});
    write_rows(rows);

    // The fixture's IDC API has no unit for NLST: IDC, the first source, is not usable, so the fetch
    // falls back to the TCIA alternative and says so.
    auto fetch = cxrcat({"fetch", "nlst", "--accept-terms"});
    ASSERT_EQ(fetch.exit_code, 0) << fetch.describe();
    EXPECT_TRUE(has_text(fetch.err, "nlst: source 1 (idc) is not usable (")) << fetch.err;
    EXPECT_TRUE(has_text(fetch.err, "); using source 2 (tcia) instead")) << fetch.err;
    for (const auto& [path, content] : expected) {
        EXPECT_EQ(read_text_file(dataset_dir("nlst") / path), content) << path;
    }
    // Both requests went to NLST's host, with the catalog's collection and modality.
    auto listed = stats("tcia_nlst", endpoint("getSeries", "v4"))["log"];
    ASSERT_EQ(listed.size(), 1U) << listed.dump();
    EXPECT_EQ(listed[0]["target"], endpoint("getSeries", "v4") + "?Collection=NLST&Modality=CT");
    EXPECT_EQ(stats("tcia_nlst", endpoint("getImageWithMD5Hash", "v4")).value("requests", 0), 1);
    EXPECT_EQ(stats("tcia", endpoint("getSeries", "v4")).value("requests", 0), 0) << "the main host was asked";
}

TEST_F(TciaNlstRoute, TheMainHostAnswersNlstWithNoSeries) {
    // CXRCAT_TCIA_NLST_URL pointed at the main host: NBIA's empty "no results" answer, not a download.
    m_env["CXRCAT_TCIA_NLST_URL"] = base("tcia") + "/" + m_unit + "/nbia-api/services/v4";
    auto fetch = cxrcat({"fetch", "nlst", "--accept-terms", "--source", "tcia"});
    EXPECT_EQ(fetch.exit_code, 3) << fetch.describe();
    EXPECT_TRUE(has_text(fetch.err, "the NBIA host asked is CXRCAT_TCIA_NLST_URL")) << fetch.err;
    EXPECT_TRUE(has_text(fetch.err, "the NBIA API lists no series for collection 'NLST'")) << fetch.err;
    EXPECT_EQ(stats("tcia", endpoint("getSeries", "v4")).value("requests", 0), 1);
    EXPECT_EQ(stats("tcia", endpoint("getImageWithMD5Hash", "v4")).value("requests", 0), 0);
}

TEST_F(TciaNlstRoute, ShowPutsIdcFirstAndNamesTheNlstHost) {
    auto show = cxrcat({"show", "nlst", "--format", "json"});
    ASSERT_EQ(show.exit_code, 0) << show.describe();
    auto sources = json::parse(show.out)["sources"];
    ASSERT_EQ(sources.size(), 2U) << show.out;
    EXPECT_EQ(sources[0]["provider"], "idc");
    EXPECT_EQ(sources[1]["provider"], "tcia");
    EXPECT_EQ(sources[0]["alternative"], sources[1]["alternative"]);
    EXPECT_EQ(sources[1]["host"], "nlst");

    auto text = cxrcat({"show", "nlst"});
    ASSERT_EQ(text.exit_code, 0) << text.describe();
    EXPECT_TRUE(has_text(text.out, "2. tcia collection=NLST host=nlst modality=CT")) << text.out;
    EXPECT_TRUE(has_text(text.out, "[alternative to source 1 ('images'): used when it cannot be reached, or with "
                                   "--source tcia]"))
        << text.out;
    EXPECT_TRUE(has_text(text.out, "nlst.cancerimagingarchive.net")) << text.out;
}

} // namespace
} // namespace cxrcat::test
