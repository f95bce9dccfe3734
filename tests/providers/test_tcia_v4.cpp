// SPDX-License-Identifier: Apache-2.0
// The tcia route on NBIA v4 (api-drift-2026.md §1): renamed getSeries fields, getImageWithMD5Hash
// with SeriesInstanceUID alone, the v4 wording of a refused series, and one fallback to v1 when v4
// lacks an endpoint (said, and both named when both fail).
#include "tcia_route_test.hpp"

namespace cxrcat::test {
namespace {

using nlohmann::json;

class TciaV4Route : public TciaRoute {
  protected:
    void set_up_route() override {
        TciaRoute::set_up_route();
        m_env["CXRCAT_TCIA_URL"] = api_base("v4");
    }
};

TEST_F(TciaV4Route, V4RowsWithRenamedFieldsInstallWhileV1IsGone) {
    json rows = json::array();
    std::string uid = series_uid();
    auto expected = add_series(rows, "LIDC-IDRI", "LIDC-IDRI-0001", uid, {dicom(300), dicom(20)});
    rows[0]["TimeStamp"] = "2011-03-04 00:00:00.0"; // served as MaxSubmissionTimestamp on v4
    rows[0]["CollectionURI"] = "https://doi.org/10.7937/K9/TCIA.2015.LO9QL9SX"; // as DataDescriptionURI
    write_rows(rows);
    write_control("_v1_gone", "");

    auto fetch = cxrcat({"fetch", "lidc-idri", "--accept-terms", "--source", "tcia"});
    ASSERT_EQ(fetch.exit_code, 0) << fetch.describe();
    for (const auto& [path, content] : expected) {
        EXPECT_EQ(read_text_file(dataset_dir("lidc-idri") / path), content) << path;
    }
    auto log = stats("tcia", endpoint("getImageWithMD5Hash", "v4"))["log"];
    ASSERT_EQ(log.size(), 1U) << log.dump();
    EXPECT_EQ(log[0]["target"], endpoint("getImageWithMD5Hash", "v4") + "?SeriesInstanceUID=" + uid);
    EXPECT_EQ(stats("tcia", endpoint("getSeries", "v1")).value("requests", 0), 0);
}

TEST_F(TciaV4Route, WhenV4LacksGetSeriesV1IsAskedOnceAndTheFetchSaysSo) {
    json rows = json::array();
    std::string uid = series_uid();
    auto expected = add_series(rows, "LIDC-IDRI", "LIDC-IDRI-0002", uid, {dicom(50)});
    write_rows(rows);
    write_control("_v4_gone", "");

    auto fetch = cxrcat({"fetch", "lidc-idri", "--accept-terms", "--source", "tcia"});
    ASSERT_EQ(fetch.exit_code, 0) << fetch.describe();
    EXPECT_TRUE(has_text(fetch.err, "the NBIA v4 API answered HTTP 404 from GET " + api_base("v4") + "/getSeries"))
        << fetch.err;
    EXPECT_TRUE(has_text(fetch.err, "the series list came from v1 instead")) << fetch.err;
    EXPECT_EQ(read_text_file(dataset_dir("lidc-idri") / expected.begin()->first), expected.begin()->second);
    EXPECT_EQ(stats("tcia", endpoint("getSeries", "v1")).value("requests", 0), 1);
    EXPECT_EQ(stats("tcia", endpoint("getImageWithMD5Hash", "v1")).value("requests", 0), 1);
}

TEST_F(TciaV4Route, WhenBothVersionsAreGoneBothAreNamed) {
    write_rows(json::array());
    write_control("_v4_gone", "");
    write_control("_v1_gone", "");

    auto fetch = cxrcat({"fetch", "lidc-idri", "--accept-terms", "--source", "tcia"});
    EXPECT_EQ(fetch.exit_code, 3) << fetch.describe();
    EXPECT_TRUE(has_text(fetch.err, "the NBIA API has no getSeries (HTTP 404)")) << fetch.err;
    EXPECT_TRUE(has_text(fetch.err, "first: HTTP 404 from GET " + api_base("v4") + "/getSeries")) << fetch.err;
    EXPECT_TRUE(has_text(fetch.err, "then request: GET " + api_base("v1") + "/getSeries")) << fetch.err;
}

TEST_F(TciaV4Route, ASeriesNotGrantedOnV4IsAnAccessRefusal) {
    json rows = json::array();
    std::string closed = series_uid();
    add_series(rows, "LIDC-IDRI", "LIDC-IDRI-0003", closed, {dicom(10)});
    write_rows(rows);
    write_control("_restricted", closed + "\n");

    auto fetch = cxrcat({"fetch", "lidc-idri", "--accept-terms", "--source", "tcia"});
    EXPECT_EQ(fetch.exit_code, 4) << fetch.describe();
    EXPECT_TRUE(has_text(fetch.err, "NBIA refuses this series (HTTP 400)")) << fetch.err;
    EXPECT_FALSE(std::filesystem::exists(dataset_dir("lidc-idri") / closed));
}

} // namespace
} // namespace cxrcat::test
