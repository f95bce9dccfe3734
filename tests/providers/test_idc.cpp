// SPDX-License-Identifier: Apache-2.0
// The idc route with --manifest against the IDC bucket stub: an s5cmd series manifest, paged
// ListObjectsV2 listings, MD5 from single-part ETags, one directory per series.
#include "idc_bucket_test.hpp"

namespace cxrcat::test {
namespace {

class IdcRoute : public IdcBucketTest {
  protected:
    std::string add_idc_dataset() {
        std::string id = unique("nlst");
        add_dataset(dataset_entry(id, "open", {{"provider", "idc"}, {"collection", "nlst"}}));
        return id;
    }

    std::string write_manifest(const std::string& text) {
        std::filesystem::path file = m_dir / (unique("manifest") + ".s5cmd");
        write_text_file(file, text);
        return file.string();
    }
};

TEST_F(IdcRoute, FetchesEverySeriesOfTheManifestFollowingTheListingPages) {
    std::string bucket = unique("idc-bucket");
    std::string first = series_uuid();
    std::string second = series_uuid();
    // Three instances per series and the stub's page size of 2: every series needs two pages.
    std::map<std::string, std::string> first_instances{
        {"a1.dcm", dicom(3000)}, {"a2.dcm", dicom(10)}, {"a3.dcm", dicom(70'000)}};
    std::map<std::string, std::string> second_instances{
        {"b1.dcm", dicom(5)}, {"b2.dcm", dicom(6)}, {"b3.dcm", dicom(7)}, {"b4.dcm", dicom(8)}};
    publish_series(bucket, first, first_instances);
    publish_series(bucket, second, second_instances);
    write_text_file(world("idc") / bucket / "_composite", second + "/b4.dcm\n"); // no md5Hash for this one
    std::string id = add_idc_dataset();
    std::string manifest = write_manifest(
        "# To download the files in this manifest, first install s5cmd (https://github.com/peak/s5cmd),\n"
        "# s5cmd --no-sign-request --endpoint-url https://s3.amazonaws.com run manifest.s5cmd\n"
        "cp s3://" +
        bucket + "/" + first +
        "/* .\n"
        "\n"
        "cp 's3://" +
        bucket + "/" + second + "/*' \"/some/where else\"\n");
    ASSERT_EQ(cxrcat({"accept", id}).exit_code, 0);

    auto check = cxrcat({"check", id, "--manifest", manifest});
    EXPECT_EQ(check.exit_code, 0) << check.describe();
    EXPECT_TRUE(has_text(check.out, "idc: ok — bucket " + bucket + " lists series " + first + " (the first of 2"));

    auto plan = cxrcat({"fetch", id, "--manifest", manifest, "--dry-run", "--format", "json"});
    ASSERT_EQ(plan.exit_code, 0) << plan.describe();
    auto planned = nlohmann::json::parse(plan.out)["plans"][0]["files"];
    ASSERT_EQ(planned.size(), 7U) << plan.out;
    EXPECT_EQ(planned[0]["path"], first + "/a1.dcm");
    EXPECT_EQ(planned[0]["size"], 3132);
    EXPECT_EQ(planned[0]["digest_origin"], "from the IDC bucket listing");
    EXPECT_EQ(planned[0]["digests"]["md5"].get<std::string>().size(), 32U);
    EXPECT_EQ(planned[6]["path"], second + "/b4.dcm");
    EXPECT_EQ(planned[6]["digests"], nlohmann::json::object()); // composite: no MD5 published

    auto fetch = cxrcat({"fetch", id, "--manifest", manifest});
    ASSERT_EQ(fetch.exit_code, 0) << fetch.describe();
    std::filesystem::path dir = dataset_dir(id);
    for (const auto& [name, content] : first_instances) {
        EXPECT_EQ(read_text_file(dir / first / name), content) << name;
    }
    for (const auto& [name, content] : second_instances) {
        EXPECT_EQ(read_text_file(dir / second / name), content) << name;
    }
    EXPECT_TRUE(has_text(fetch.out, "no published checksum: recorded SHA-256")); // only b4.dcm

    auto listing = stats("idc", "/" + bucket);
    std::size_t paged = 0;
    for (const auto& request : listing["log"]) {
        paged += request["target"].get<std::string>().find("continuation-token=") != std::string::npos ? 1U : 0U;
    }
    EXPECT_GE(paged, 4U) << listing.dump(); // dry run and fetch: the second page of each series
    EXPECT_EQ(stats("idc", "/" + bucket + "/" + first + "/a3.dcm")["statuses"], nlohmann::json::array({200}));
}

TEST_F(IdcRoute, ABadManifestLineIsNamedByItsNumber) {
    std::string id = add_idc_dataset();
    std::string manifest = write_manifest("# header\ncp s3://idc-open-data/" + series_uuid() +
                                          "/* .\ncp s3://idc-open-data/x/y/z.dcm .\n");

    auto fetch = cxrcat({"fetch", id, "--accept-terms", "--manifest", manifest});
    EXPECT_EQ(fetch.exit_code, 2) << fetch.describe();
    EXPECT_TRUE(has_text(fetch.err, manifest + ", line 3: expected a series `s3://BUCKET/SERIES_UUID/*` or a file"));
    EXPECT_TRUE(has_text(fetch.err, "'s3://idc-open-data/x/y/z.dcm'"));

    auto check = cxrcat({"check", id, "--manifest", manifest});
    EXPECT_TRUE(has_text(check.out, "line 3: expected")) << check.describe();
}

TEST_F(IdcRoute, HeadersCommentsBlankLinesAndSingleFileLinesAreRead) {
    std::string bucket = unique("idc-bucket");
    std::string series = series_uuid();
    std::string whole = series_uuid();
    std::map<std::string, std::string> instances{{"f1.dcm", dicom(30)}, {"f2.dcm", dicom(40)}, {"f3.dcm", dicom(50)}};
    publish_series(bucket, series, instances);
    publish_series(bucket, whole, {{"w.dcm", dicom(60)}});
    std::string id = add_idc_dataset();
    // A `bq query --format=csv` column header, another tool's command, comments and blank lines
    // around s5cmd lines, two of them naming single files (IDC's documentation, 2022-2024).
    std::string manifest = write_manifest("s5cmd_manifest\n# exported from the portal\n\ncp s3://" + bucket + "/" +
                                          series + "/f1.dcm .\naws s3 ls s3://" + bucket + "/\ncp s3://" + bucket +
                                          "/" + series + "/f3.dcm .\ncp s3://" + bucket + "/" + whole + "/* .\n");

    auto fetch = cxrcat({"fetch", id, "--accept-terms", "--manifest", manifest});
    ASSERT_EQ(fetch.exit_code, 0) << fetch.describe();
    EXPECT_EQ(read_text_file(dataset_dir(id) / series / "f1.dcm"), instances["f1.dcm"]);
    EXPECT_EQ(read_text_file(dataset_dir(id) / series / "f3.dcm"), instances["f3.dcm"]);
    EXPECT_FALSE(std::filesystem::exists(dataset_dir(id) / series / "f2.dcm")); // not named
    EXPECT_TRUE(std::filesystem::exists(dataset_dir(id) / whole / "w.dcm"));
    // One warning with the count, not one per line.
    EXPECT_TRUE(
        has_text(fetch.err, "warning: " + manifest + ": skipped 2 lines that are not a `cp` or `sync` command"));
    EXPECT_EQ(fetch.err.find("skipped", fetch.err.find("skipped") + 1), std::string::npos) << fetch.err;

    // A named file the bucket does not have is not found, naming its line.
    std::string missing = write_manifest("cp s3://" + bucket + "/" + series + "/nope.dcm .\n");
    auto absent = cxrcat({"fetch", id, "--manifest", missing});
    EXPECT_EQ(absent.exit_code, 3) << absent.describe();
    EXPECT_TRUE(has_text(absent.err, "manifest line 1: the bucket has no object " + series + "/nope.dcm"));
}

TEST_F(IdcRoute, AnInstanceThatDoesNotMatchTheListedMd5IsNotInstalled) {
    std::string bucket = unique("idc-bucket");
    std::string series = series_uuid();
    publish_series(bucket, series, {{"x1.dcm", dicom(20'000)}, {"x2.dcm", dicom(100)}});
    std::string id = add_idc_dataset();
    std::string manifest = write_manifest("cp s3://" + bucket + "/" + series + "/* .\n");
    // The listing publishes the md5 of the original bytes; then the served bytes change.
    ASSERT_EQ(cxrcat({"fetch", id, "--manifest", manifest, "--dry-run"}).exit_code, 0);
    corrupt_keeping_metadata(world("idc") / bucket / series / "x1.dcm");

    auto fetch = cxrcat({"fetch", id, "--accept-terms", "--manifest", manifest, "--retries", "0"});
    EXPECT_EQ(fetch.exit_code, 5) << fetch.describe();
    EXPECT_TRUE(has_text(fetch.err, series + "/x1.dcm: md5 mismatch"));
    EXPECT_TRUE(has_text(fetch.err, "(from the IDC bucket listing)"));
    EXPECT_FALSE(std::filesystem::exists(dataset_dir(id) / series / "x1.dcm"));
    EXPECT_TRUE(std::filesystem::exists(dataset_dir(id) / series / "x2.dcm"));
}

TEST_F(IdcRoute, ASeriesOrBucketThatIsNotThereIsNotFound) {
    std::string bucket = unique("idc-bucket");
    std::string present = series_uuid();
    std::string absent = series_uuid();
    publish_series(bucket, present, {{"p.dcm", dicom(10)}});
    std::string id = add_idc_dataset();
    ASSERT_EQ(cxrcat({"accept", id}).exit_code, 0);

    auto fetch = cxrcat(
        {"fetch", id, "--manifest",
         write_manifest("cp s3://" + bucket + "/" + present + "/* .\nsync s3://" + bucket + "/" + absent + "/* .\n")});
    EXPECT_EQ(fetch.exit_code, 3) << fetch.describe();
    EXPECT_TRUE(has_text(fetch.err, "manifest line 2: series " + absent + " has no objects in bucket " + bucket));
    EXPECT_TRUE(has_text(fetch.err, "export the manifest again"));

    std::string missing_bucket = unique("no-such-bucket");
    std::string manifest = write_manifest("cp s3://" + missing_bucket + "/" + present + "/* .\n");
    auto no_bucket = cxrcat({"fetch", id, "--manifest", manifest});
    EXPECT_EQ(no_bucket.exit_code, 3) << no_bucket.describe();
    EXPECT_TRUE(has_text(no_bucket.err, "manifest line 1: bucket " + missing_bucket + " does not exist"));
    auto check = cxrcat({"check", id, "--manifest", manifest});
    EXPECT_EQ(check.exit_code, 3) << check.describe();
    EXPECT_TRUE(has_text(check.out, "idc: not-found — manifest line 1: bucket " + missing_bucket));
}

TEST_F(IdcRoute, AwsBucketNamesAreMappedToTheirGcsNames) {
    // idc-open-data-two is served as idc-open-idc1 on the GCS endpoint (idc-index does the same).
    std::string series = series_uuid();
    std::string content = dicom(42);
    publish_series("idc-open-idc1", series, {{"i.dcm", content}});
    std::string id = add_idc_dataset();

    auto fetch = cxrcat({"fetch", id, "--accept-terms", "--manifest",
                         write_manifest("cp s3://idc-open-data-two/" + series + "/* .\n")});
    ASSERT_EQ(fetch.exit_code, 0) << fetch.describe();
    EXPECT_EQ(read_text_file(dataset_dir(id) / series / "i.dcm"), content);
    EXPECT_EQ(stats("idc", "/idc-open-idc1/" + series + "/i.dcm")["statuses"], nlohmann::json::array({200}));
}

} // namespace
} // namespace cxrcat::test
