// SPDX-License-Identifier: Apache-2.0
// The NBIA getSeries parser and the md5hashes.csv parser of TCIA series zips.
#include "fetch/series_archive.hpp"
#include "providers/tcia_api.hpp"

#include <gtest/gtest.h>

namespace cxrcat {
namespace {

// The live getSeries capture of provider-facts.md §4 (one row, trimmed there as here).
constexpr std::string_view k_live_series =
    R"([{"SeriesInstanceUID":"1.3.6.1.4.1.14519.5.2.1.6279.6001.141365756818074696859567662357",
  "StudyInstanceUID":"1.3.6.1.4.1.14519.5.2.1.6279.6001.175012972118199124641098335511",
  "Modality":"DX","SeriesDate":"2000-01-01 00:00:00.0","BodyPartExamined":"CHEST","SeriesNumber":3000923,
  "AnnotationsFlag":true,"Collection":"LIDC-IDRI","PatientID":"LIDC-IDRI-0001","Manufacturer":"GE MEDICAL SYSTEMS",
  "ManufacturerModelName":"Revolution XQi ADS_28.2","ImageCount":2,"FileSize":16357620,
  "LicenseName":"Creative Commons Attribution 3.0 Unported License","LicenseURI":"http://creativecommons.org/licenses/by/3.0/",
  "CollectionURI":"https://doi.org/10.7937/K9/TCIA.2015.LO9QL9SX"}])";

TEST(NbiaSeries, ReadsTheLiveCaptureShape) {
    auto rows = providers::parse_nbia_series(k_live_series);
    ASSERT_TRUE(rows) << rows.error().message();
    ASSERT_EQ(rows->size(), 1U);
    const auto& row = rows->front();
    EXPECT_EQ(row.series_instance_uid, "1.3.6.1.4.1.14519.5.2.1.6279.6001.141365756818074696859567662357");
    EXPECT_EQ(row.patient_id, "LIDC-IDRI-0001");
    EXPECT_EQ(row.modality, "DX");
    EXPECT_EQ(row.collection, "LIDC-IDRI");
    EXPECT_EQ(row.image_count, 2U);
    EXPECT_EQ(row.file_size, 16'357'620U);
    auto metadata = row.metadata();
    EXPECT_EQ(metadata.at("StudyInstanceUID"), "1.3.6.1.4.1.14519.5.2.1.6279.6001.175012972118199124641098335511");
    EXPECT_EQ(metadata.at("Collection"), "LIDC-IDRI");
    EXPECT_EQ(metadata.size(), 5U);
}

TEST(NbiaSeries, AnEmptyBodyIsNoResultsAndOtherShapesAreErrors) {
    auto none = providers::parse_nbia_series("");
    ASSERT_TRUE(none);
    EXPECT_TRUE(none->empty());
    EXPECT_TRUE(providers::parse_nbia_series(" \r\n")->empty());

    auto object = providers::parse_nbia_series(R"({"series": []})");
    ASSERT_FALSE(object);
    EXPECT_EQ(object.error().code(), ErrorCode::network);
    EXPECT_EQ(object.error().message(), "the answer is not a JSON list of series");

    auto no_uid = providers::parse_nbia_series(R"([{"PatientID": "P"}])");
    ASSERT_FALSE(no_uid);
    EXPECT_EQ(no_uid.error().message(), "series[0] has no SeriesInstanceUID");

    auto escape = providers::parse_nbia_series(R"([{"SeriesInstanceUID": "../etc"}])");
    ASSERT_FALSE(escape);
    EXPECT_EQ(escape.error().code(), ErrorCode::integrity);

    // Counts given as digit strings (getSeriesMetaData style) are read; junk counts are unknown.
    auto counts = providers::parse_nbia_series(R"([{"SeriesInstanceUID": "1.2", "ImageCount": "7", "FileSize": "x"}])");
    ASSERT_TRUE(counts);
    EXPECT_EQ(counts->front().image_count, 7U);
    EXPECT_FALSE(counts->front().file_size.has_value());
}

TEST(MemberChecksums, ReadsNbiasListInAnyOrderQuotedOrNot) {
    auto parsed = parse_member_checksums("Filename,MD5Hash\r\n00000002.dcm,0CC175B9C0F1B6A831C399E269772661\r\n"
                                         "\"00000001.dcm\",\"92eb5ffee6ae2fec3ad71c777531578f\"\r\n\r\n");
    ASSERT_TRUE(parsed) << parsed.error().message();
    EXPECT_EQ(parsed->size(), 2U);
    EXPECT_EQ(parsed->at("00000001.dcm"), "92eb5ffee6ae2fec3ad71c777531578f");
    EXPECT_EQ(parsed->at("00000002.dcm"), "0cc175b9c0f1b6a831c399e269772661"); // lower case

    auto header_only = parse_member_checksums("Filename,MD5Hash\n");
    ASSERT_TRUE(header_only);
    EXPECT_TRUE(header_only->empty());
}

TEST(MemberChecksums, MalformedListsAreIntegrityErrors) {
    for (const auto* text :
         {"", "a.dcm,0cc175b9c0f1b6a831c399e269772661\n", "Filename,MD5Hash\na.dcm,xyz\n", "Filename,MD5Hash\na.dcm\n",
          "Filename,MD5Hash\na.dcm,0cc175b9c0f1b6a831c399e269772661,extra\n",
          "Filename,MD5Hash\na.dcm,0cc175b9c0f1b6a831c399e269772661\n"
          "a.dcm,0cc175b9c0f1b6a831c399e269772661\n"}) {
        auto parsed = parse_member_checksums(text);
        ASSERT_FALSE(parsed) << text;
        EXPECT_EQ(parsed.error().code(), ErrorCode::integrity) << text;
    }
}

} // namespace
} // namespace cxrcat
