// SPDX-License-Identifier: Apache-2.0
// The IDC API page parser and the S3 ListObjectsV2 parser.
#include "providers/bucket_listing.hpp"
#include "providers/idc_api.hpp"

#include <gtest/gtest.h>

namespace cxrcat::providers {
namespace {

// The third-party live capture of POST /v3/cohort/manifest (provider-facts.md §1.2), as JSON.
constexpr std::string_view k_live_page = R"({"counts": {"patients": 1, "studies": 1, "series": 1, "instances": 4,
    "size_TB": 0.0, "filters_applied": {"terms": {"SeriesInstanceUID": ["1.2.3"]}, "ranges": {}}, "warnings": []},
  "page": 0, "page_size": 3, "returned": 1, "total_series": 1,
  "series": [{"collection_id": "ccdi_mci", "PatientID": "PBCFZC", "StudyInstanceUID": "1.2", "SeriesInstanceUID": "1.2.3",
              "Modality": "SM", "SeriesDescription": "OCT HE T", "instanceCount": 4, "series_size_MB": 373.46427,
              "aws_bucket": "idc-open-data", "crdc_series_uuid": "129578c4-7a00-4b4d-804f-f58228123df8",
              "series_aws_url": "s3://idc-open-data/129578c4-7a00-4b4d-804f-f58228123df8/*"}]})";

TEST(IdcManifestPage, ReadsTheLiveCaptureShape) {
    auto page = parse_idc_manifest_page(k_live_page);
    ASSERT_TRUE(page) << page.error().message();
    EXPECT_EQ(page->total_series, 1U);
    EXPECT_EQ(page->page_size, 3U);
    ASSERT_EQ(page->rows.size(), 1U);
    const IdcSeriesRow& row = page->rows[0];
    EXPECT_EQ(row.series_uuid, "129578c4-7a00-4b4d-804f-f58228123df8");
    EXPECT_EQ(row.bucket, "idc-open-data");
    EXPECT_EQ(row.instance_count, 4U);
    EXPECT_EQ(row.size_bytes, 373'464'270U); // decimal MB
    EXPECT_EQ(row.metadata().at("PatientID"), "PBCFZC");
    EXPECT_EQ(row.metadata().at("SeriesInstanceUID"), "1.2.3");
    EXPECT_EQ(row.metadata().at("Modality"), "SM");
    EXPECT_TRUE(page->warnings.empty());
}

TEST(IdcManifestPage, KeepsWarningsAndTheBucketOfTheUrlWhenAwsBucketIsAbsent) {
    auto page = parse_idc_manifest_page(R"({"counts": {"warnings": ["Modality: did you mean 'MR'?"]},
        "warnings": ["top"], "truncated": true, "page": 0, "page_size": 5000, "returned": 1, "total_series": 9,
        "series": [{"crdc_series_uuid": "u1", "series_aws_url": "s3://idc-open-data-two/u1/*"}]})");
    ASSERT_TRUE(page) << page.error().message();
    EXPECT_TRUE(page->truncated);
    EXPECT_EQ(page->warnings, (std::vector<std::string>{"top", "Modality: did you mean 'MR'?"}));
    EXPECT_EQ(page->rows[0].bucket, "idc-open-data-two");
}

TEST(IdcManifestPage, AnotherShapeIsAnErrorNotAnEmptyCohort) {
    EXPECT_FALSE(parse_idc_manifest_page(R"({"items": [], "total": 0})"));
    EXPECT_FALSE(parse_idc_manifest_page(R"([1, 2])"));
    EXPECT_FALSE(parse_idc_manifest_page(R"({"total_series": 1, "series": [{"PatientID": "x"}]})"));
    auto unsafe = parse_idc_manifest_page(R"({"total_series": 1, "series": [{"crdc_series_uuid": "..",
        "aws_bucket": "b"}]})");
    ASSERT_FALSE(unsafe);
    EXPECT_EQ(unsafe.error().code(), ErrorCode::integrity);
}

TEST(S3Listing, ReadsKeysSizesEtagsAndTheContinuationToken) {
    // The ListObjectsV2 shape of the AWS API reference, ETag quotes as &quot; (a real S3 body).
    auto page = parse_s3_listing(R"(<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>idc-open-data</Name><Prefix>u1/</Prefix>
<NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken><KeyCount>3</KeyCount>
<MaxKeys>3</MaxKeys><IsTruncated>true</IsTruncated>
<Contents><Key>u1/</Key><LastModified>2024-03-29T16:12:02.000Z</LastModified><ETag>&quot;d41d8cd98f00b204e9800998ecf8427e&quot;</ETag><Size>0</Size><StorageClass>STANDARD</StorageClass></Contents>
<Contents><Key>u1/a&amp;b.dcm</Key><ETag>&quot;9F86D081884C7D659A2FEAA0C55AD015&quot;</ETag><Size>526340</Size></Contents>
<Contents><Key>u1/c.dcm</Key><ETag>"3858f62230ac3c915f300c664312c11f-9"</ETag><Size>99</Size></Contents>
</ListBucketResult>)");
    ASSERT_TRUE(page) << page.error().message();
    EXPECT_TRUE(page->truncated);
    EXPECT_EQ(page->next_continuation_token, "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=");
    ASSERT_EQ(page->objects.size(), 3U);
    EXPECT_EQ(page->objects[0].name, "u1/");
    EXPECT_EQ(page->objects[0].size, 0U);
    EXPECT_EQ(page->objects[1].name, "u1/a&b.dcm");
    EXPECT_EQ(page->objects[1].size, 526340U);
    EXPECT_EQ(page->objects[1].md5, "9f86d081884c7d659a2feaa0c55ad015");
    EXPECT_EQ(page->objects[2].md5, ""); // multipart: no MD5 of the object
}

TEST(S3Listing, TheLastPageAndWhatIsNoListing) {
    auto last = parse_s3_listing("<ListBucketResult><IsTruncated>false</IsTruncated></ListBucketResult>");
    ASSERT_TRUE(last);
    EXPECT_FALSE(last->truncated);
    EXPECT_TRUE(last->objects.empty());
    EXPECT_FALSE(parse_s3_listing("<Error><Code>NoSuchBucket</Code></Error>"));
    EXPECT_FALSE(parse_s3_listing("<ListBucketResult><Contents><Size>1</Size></Contents></ListBucketResult>"));
}

TEST(S3Listing, ATokenOnAFinalPageIsIgnoredAndAGarbledIsTruncatedIsAnError) {
    // Found by fuzz_s3_listing: a token beside <IsTruncated>false</IsTruncated> would restart the listing.
    auto last = parse_s3_listing(
        "<ListBucketResult><NextContinuationToken>abc=</NextContinuationToken><IsTruncated>false</IsTruncated>"
        "</ListBucketResult>");
    ASSERT_TRUE(last) << last.error().message();
    EXPECT_FALSE(last->truncated);
    EXPECT_EQ(last->next_continuation_token, "");
    auto garbled =
        parse_s3_listing("<ListBucketResult><IsTruncated>x<IsTruncated>true</IsTruncated></ListBucketResult>");
    ASSERT_FALSE(garbled);
    EXPECT_NE(garbled.error().message().find("IsTruncated"), std::string::npos);
}

TEST(S3Listing, AnEtagIsAnMd5OnlyWhenItIsThirtyTwoHexDigits) {
    EXPECT_EQ(md5_from_etag("\"d41d8cd98f00b204e9800998ecf8427e\""), "d41d8cd98f00b204e9800998ecf8427e");
    EXPECT_EQ(md5_from_etag("d41d8cd98f00b204e9800998ecf8427e"), "d41d8cd98f00b204e9800998ecf8427e");
    EXPECT_EQ(md5_from_etag("\"d41d8cd98f00b204e9800998ecf8427e-2\""), "");
    EXPECT_EQ(md5_from_etag("\"d41d8cd98f00b204e9800998ecf8427\""), "");
    EXPECT_EQ(md5_from_etag("\"z41d8cd98f00b204e9800998ecf8427e\""), "");
}

TEST(S3Listing, BucketNamesFollowTheEndpoint) {
    EXPECT_EQ(bucket_on_endpoint("https://storage.googleapis.com", "idc-open-data-two"), "idc-open-idc1");
    EXPECT_EQ(bucket_on_endpoint("https://s3.amazonaws.com", "idc-open-data-two"), "idc-open-data-two");
    EXPECT_EQ(bucket_on_endpoint("http://127.0.0.1:9", "idc-open-data"), "idc-open-data");
}

} // namespace
} // namespace cxrcat::providers
