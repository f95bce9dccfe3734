// SPDX-License-Identifier: Apache-2.0
// The tcia route: the series list from the NBIA API stub (GET getSeries), one streamed zip per series
// (GET getImageWithMD5Hash: no Content-Length, md5hashes.csv inside), every member checked before the
// series is installed; lidc-idri through `--source tcia`, selection flags over series, the dry run.
#include "tcia_route_test.hpp"

namespace cxrcat::test {
namespace {

using nlohmann::json;

TEST_F(TciaRoute, LidcIdriFromTciaInstallsEverySeriesAfterCheckingEveryMember) {
    json rows = json::array();
    std::string first = series_uid();
    std::string second = series_uid();
    auto expected = add_series(rows, "LIDC-IDRI", "LIDC-IDRI-0001", first, {dicom(3000), dicom(10), dicom(70000)});
    auto more = add_series(rows, "LIDC-IDRI", "LIDC-IDRI-0002", second, {dicom(500), dicom(600)});
    expected.insert(more.begin(), more.end());
    add_series(rows, "NLST", "100001", series_uid(), {dicom(5)}); // another collection: left out
    write_rows(rows);

    auto fetch = cxrcat({"fetch", "lidc-idri", "--accept-terms", "--source", "tcia"});
    ASSERT_EQ(fetch.exit_code, 0) << fetch.describe();
    std::filesystem::path dir = dataset_dir("lidc-idri");
    EXPECT_EQ(files_under(dir / first).size() + files_under(dir / second).size(), expected.size());
    for (const auto& [path, content] : expected) {
        EXPECT_EQ(read_text_file(dir / path), content) << path;
    }
    // The checksum list was used and dropped; no zip stays behind.
    EXPECT_FALSE(std::filesystem::exists(dir / first / "md5hashes.csv"));
    EXPECT_FALSE(std::filesystem::exists(dir / (first + ".zip")));
    EXPECT_FALSE(has_text(fetch.err, "instead")); // chosen, not fallen back to
    EXPECT_TRUE(has_text(fetch.out, "every member matched md5hashes.csv (3 files)")) << fetch.out;

    auto listing = stats("tcia", endpoint("getSeries"));
    ASSERT_EQ(listing.value("log", json::array()).size(), 1U);
    EXPECT_TRUE(has_text(listing["log"][0].value("target", ""), "Collection=LIDC-IDRI"));
    EXPECT_EQ(stats("tcia", endpoint("getImageWithMD5Hash")).value("requests", 0), 2);

    // Installed series are known: a rerun downloads nothing, and verify finds every file intact.
    auto again = cxrcat({"fetch", "lidc-idri", "--source", "tcia"});
    ASSERT_EQ(again.exit_code, 0) << again.describe();
    EXPECT_EQ(stats("tcia", endpoint("getImageWithMD5Hash")).value("requests", 0), 2);
    auto verified = cxrcat({"verify", "lidc-idri"});
    EXPECT_EQ(verified.exit_code, 0) << verified.describe();
}

TEST_F(TciaRoute, OneWrongMemberInstallsNothingOfItsSeriesAndTheOtherSeriesStillInstall) {
    json rows = json::array();
    std::string bad = series_uid();
    std::string good = series_uid();
    add_series(rows, "LIDC-IDRI", "LIDC-IDRI-0003", bad, {dicom(100), dicom(200), dicom(300)});
    auto expected = add_series(rows, "LIDC-IDRI", "LIDC-IDRI-0004", good, {dicom(400), dicom(500)});
    write_rows(rows);
    // The second stored file of `bad` no longer matches the MD5 NBIA's database recorded for it.
    write_control("_corrupt", bad + "/stored-11.dcm\n");

    auto fetch = cxrcat({"fetch", "lidc-idri", "--accept-terms", "--source", "tcia"});
    EXPECT_EQ(fetch.exit_code, 5) << fetch.describe();
    EXPECT_TRUE(has_text(fetch.err, bad + ": member 00000002.dcm: md5 mismatch")) << fetch.err;
    EXPECT_TRUE(has_text(fetch.err, "(md5hashes.csv in the series zip)"));
    EXPECT_TRUE(has_text(fetch.err, "nothing of this series was installed"));
    std::filesystem::path dir = dataset_dir("lidc-idri");
    EXPECT_FALSE(std::filesystem::exists(dir / bad)) << "a refused series left files behind";
    EXPECT_FALSE(std::filesystem::exists(dir / (bad + ".zip")));
    EXPECT_FALSE(std::filesystem::exists(dir / (bad + ".zip.part")));
    for (const auto& [path, content] : expected) {
        EXPECT_EQ(read_text_file(dir / path), content) << path;
    }
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        std::string name = entry.path().filename().string();
        EXPECT_TRUE(name == good || name == ".cxrcat") << "unexpected " << name;
    }

    // Once the server is repaired, a rerun fetches the refused series only.
    std::filesystem::remove(world("tcia") / m_unit / "_corrupt");
    reset_stats("tcia", endpoint("getImageWithMD5Hash"));
    auto repaired = cxrcat({"fetch", "lidc-idri", "--source", "tcia"});
    ASSERT_EQ(repaired.exit_code, 0) << repaired.describe();
    EXPECT_EQ(files_under(dir / bad).size(), 3U);
    EXPECT_EQ(stats("tcia", endpoint("getImageWithMD5Hash")).value("requests", 0), 1);
}

TEST_F(TciaRoute, DryRunAndSelectionTreatSeriesAsUnits) {
    json rows = json::array();
    std::vector<std::string> uids;
    for (int i = 0; i < 4; ++i) {
        uids.push_back(series_uid());
        add_series(rows, "LIDC-IDRI", "LIDC-IDRI-000" + std::to_string(i % 2), uids.back(),
                   {dicom(100 + static_cast<std::size_t>(i)), dicom(10)}, i == 3 ? "DX" : "CT");
    }
    write_rows(rows);

    auto plan = cxrcat({"fetch", "lidc-idri", "--source", "tcia", "--dry-run", "--format", "json"});
    ASSERT_EQ(plan.exit_code, 0) << plan.describe();
    json document = json::parse(plan.out)["plans"][0];
    ASSERT_EQ(document.at("files").size(), 4U) << plan.out;
    std::uint64_t total = 0;
    for (const auto& file : document["files"]) {
        EXPECT_EQ(file.value("series_files", 0), 2) << file.dump();
        total += file.value("size", std::uint64_t{0});
    }
    EXPECT_EQ(total, 2 * (128 + 4) * 4 + 100 + 101 + 102 + 103 + 4 * 10U);
    EXPECT_EQ(document["series"], 4);
    EXPECT_EQ(document["files"][0]["metadata"]["Collection"], "LIDC-IDRI");
    EXPECT_EQ(stats("tcia", endpoint("getImageWithMD5Hash")).value("requests", 0), 0); // nothing downloaded
    auto text = cxrcat({"fetch", "lidc-idri", "--source", "tcia", "--dry-run"});
    ASSERT_EQ(text.exit_code, 0) << text.describe();
    EXPECT_TRUE(has_text(text.out, "4 series (8 files), ")) << text.out;
    EXPECT_TRUE(has_text(text.out, " from the NBIA API; each comes as one zip")) << text.out;

    // --where on the NBIA fields, --include on a series directory, --sample by series, --files-from
    // naming a file inside a series: each selects whole series.
    auto where =
        cxrcat({"fetch", "lidc-idri", "--source", "tcia", "--dry-run", "--format", "json", "--where", "Modality=DX"});
    ASSERT_EQ(where.exit_code, 0) << where.describe();
    json chosen = json::parse(where.out)["plans"][0]["files"];
    ASSERT_EQ(chosen.size(), 1U) << where.out;
    EXPECT_EQ(chosen[0].value("path", ""), uids[3]);

    auto patient = cxrcat({"fetch", "lidc-idri", "--source", "tcia", "--dry-run", "--format", "json", "--where",
                           "PatientID=LIDC-IDRI-0001"});
    ASSERT_EQ(patient.exit_code, 0) << patient.describe();
    EXPECT_EQ(json::parse(patient.out)["plans"][0]["files"].size(), 2U) << patient.out;

    auto sample = cxrcat({"fetch", "lidc-idri", "--source", "tcia", "--dry-run", "--format", "json", "--sample", "3"});
    ASSERT_EQ(sample.exit_code, 0) << sample.describe();
    EXPECT_EQ(json::parse(sample.out)["plans"][0]["files"].size(), 3U) << sample.out;

    std::filesystem::path list = m_dir / "wanted.txt";
    write_text_file(list, uids[1] + "/00000002.dcm\n");
    auto fetch = cxrcat({"fetch", "lidc-idri", "--accept-terms", "--source", "tcia", "--files-from", list.string()});
    ASSERT_EQ(fetch.exit_code, 0) << fetch.describe();
    for (std::size_t i = 0; i < uids.size(); ++i) {
        EXPECT_EQ(std::filesystem::exists(dataset_dir("lidc-idri") / uids[i]), i == 1) << uids[i];
    }
    EXPECT_EQ(files_under(dataset_dir("lidc-idri") / uids[1]).size(), 2U);
    EXPECT_TRUE(std::filesystem::exists(dataset_dir("lidc-idri") / uids[1] / "00000001.dcm"));

    auto include = cxrcat({"fetch", "lidc-idri", "--source", "tcia", "--include", uids[2]});
    ASSERT_EQ(include.exit_code, 0) << include.describe();
    EXPECT_TRUE(std::filesystem::exists(dataset_dir("lidc-idri") / uids[2] / "00000002.dcm"));
    EXPECT_FALSE(std::filesystem::exists(dataset_dir("lidc-idri") / uids[0]));
    EXPECT_EQ(stats("tcia", endpoint("getImageWithMD5Hash")).value("requests", 0), 2);
}

TEST_F(TciaRoute, AnUnknownCollectionIsNotFoundAndARestrictedSeriesIsExplained) {
    // getSeries of a collection NBIA does not know answers an empty body: never an empty dataset.
    write_rows(json::array());
    auto none = cxrcat({"fetch", "lidc-idri", "--accept-terms", "--source", "tcia"});
    EXPECT_EQ(none.exit_code, 3) << none.describe();
    EXPECT_TRUE(has_text(none.err, "lidc-idri: the NBIA API lists no series for collection 'LIDC-IDRI'"));

    json rows = json::array();
    std::string closed = series_uid();
    add_series(rows, "LIDC-IDRI", "LIDC-IDRI-0009", closed, {dicom(10)});
    write_rows(rows);
    write_control("_restricted", closed + "\n");
    auto refused = cxrcat({"fetch", "lidc-idri", "--source", "tcia"});
    EXPECT_EQ(refused.exit_code, 4) << refused.describe();
    EXPECT_TRUE(has_text(refused.err, "NBIA refuses this series (HTTP 400): it is not public on this host"))
        << refused.err;
    EXPECT_FALSE(std::filesystem::exists(dataset_dir("lidc-idri") / closed));

    // check probes the API without downloading; IDC (no stub unit here) is unreachable, but fetch
    // falls back to TCIA, so the dataset can be fetched.
    ASSERT_EQ(cxrcat({"accept", "lidc-idri"}).exit_code, 0);
    auto check = cxrcat({"check", "lidc-idri", "--format", "json"});
    EXPECT_EQ(check.exit_code, 0) << check.describe();
    json report = json::parse(check.out, nullptr, false);
    ASSERT_TRUE(report.is_array() && report.size() == 1U) << check.describe();
    EXPECT_TRUE(report[0].value("fetch_allowed", false)) << check.out;
    EXPECT_TRUE(has_text(check.out, "the NBIA API lists 1 series of collection 'LIDC-IDRI'")) << check.describe();
}

} // namespace
} // namespace cxrcat::test
