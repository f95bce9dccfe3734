// SPDX-License-Identifier: Apache-2.0
// The idc route with no manifest: the series list from the IDC REST API v3 stub (POST
// /cohort/manifest, paged), each series listed in the bucket stub's S3 ListObjectsV2 XML form
// (continuation tokens, a directory marker key, a multipart ETag), for the built-in lidc-idri and
// nlst entries.
#include "idc_bucket_test.hpp"

namespace cxrcat::test {
namespace {

using nlohmann::json;

class IdcApiRoute : public IdcBucketTest {
  protected:
    void set_up_route() override {
        m_unit = unique("api");
        std::filesystem::create_directories(world("idc_api") / m_unit);
        m_env["CXRCAT_IDC_API_URL"] = base("idc_api") + "/" + m_unit + "/v3";
    }

    // A row of the API's index, in the shape of the live capture (provider-facts.md §1.2).
    static json row(const std::string& collection, const std::string& patient, const std::string& bucket,
                    const std::string& uuid, const std::string& modality, std::uint64_t instances, double megabytes) {
        return {{"collection_id", collection},
                {"PatientID", patient},
                {"StudyInstanceUID", "1.2.3." + patient},
                {"SeriesInstanceUID", "1.2.3." + patient + ".1"},
                {"Modality", modality},
                {"SeriesDescription", "stub series"},
                {"instanceCount", instances},
                {"series_size_MB", megabytes},
                {"aws_bucket", bucket},
                {"crdc_series_uuid", uuid},
                {"series_aws_url", "s3://" + bucket + "/" + uuid + "/*"}};
    }

    void write_rows(const json& rows) { write_text_file(world("idc_api") / m_unit / "series.json", rows.dump()); }
    void write_unit_file(const std::string& name, const std::string& text) {
        write_text_file(world("idc_api") / m_unit / name, text);
    }

    // Requests the stub logged for one raw path.
    [[nodiscard]] std::vector<std::string> targets(const std::string& provider, const std::string& path) const {
        std::vector<std::string> out;
        for (const auto& request : stats(provider, path).value("log", json::array())) {
            out.push_back(request.value("target", ""));
        }
        return out;
    }

    std::string m_unit;
};

TEST_F(IdcApiRoute, FetchLidcIdriPagesTheApiAndTheXmlListing) {
    std::string bucket = unique("idc-open");
    std::string first = series_uuid();
    std::string second = series_uuid();
    std::map<std::string, std::string> first_files{
        {"a1.dcm", dicom(3000)}, {"a2.dcm", dicom(20)}, {"a3.dcm", dicom(7)}};
    std::map<std::string, std::string> second_files{{"b1.dcm", dicom(50)}, {"b2.dcm", dicom(60)}};
    publish_series(bucket, first, first_files);
    publish_series(bucket, second, second_files);
    write_text_file(world("idc") / bucket / "_markers", first + "/\n"); // a zero-byte "<uuid>/" key
    write_text_file(world("idc") / bucket / "_multipart", second + "/b2.dcm\n");
    // One row per page (the echoed page_size wins over the 5000 asked for), and a row of another
    // collection the filter must leave out.
    write_rows(json::array({row("lidc_idri", "LIDC-IDRI-0001", bucket, first, "CT", 3, 0.003),
                            row("lidc_idri", "LIDC-IDRI-0002", bucket, second, "CT", 2, 0.0002),
                            row("nlst", "100001", bucket, series_uuid(), "CT", 1, 1.0)}));
    write_unit_file("_page_size", "1\n");

    auto fetch = cxrcat({"fetch", "lidc-idri", "--accept-terms"});
    ASSERT_EQ(fetch.exit_code, 0) << fetch.describe();
    std::filesystem::path dir = dataset_dir("lidc-idri");
    for (const auto& [name, content] : first_files) {
        EXPECT_EQ(read_text_file(dir / first / name), content) << name;
    }
    for (const auto& [name, content] : second_files) {
        EXPECT_EQ(read_text_file(dir / second / name), content) << name;
    }
    EXPECT_EQ(files_under(dir / first).size(), 3U); // the marker key installed nothing
    // The multipart ETag is no MD5: only b2.dcm has its SHA-256 recorded.
    EXPECT_TRUE(has_text(fetch.out, "lidc-idri/" + second + "/b2.dcm"));
    std::size_t recorded = 0;
    for (std::size_t at = fetch.out.find("recorded SHA-256"); at != std::string::npos;
         at = fetch.out.find("recorded SHA-256", at + 1)) {
        ++recorded;
    }
    EXPECT_EQ(recorded, 1U) << fetch.out;

    EXPECT_EQ(targets("idc_api", "/" + m_unit + "/v3/cohort/manifest").size(), 2U); // two pages of one row
    std::vector<std::string> listing = targets("idc", "/" + bucket);
    std::size_t continued = 0;
    for (const auto& target : listing) {
        EXPECT_TRUE(has_text(target, "list-type=2"));
        continued += target.find("continuation-token=") != std::string::npos ? 1U : 0U;
        // The token holds '+', '/' and '=': they must arrive percent-encoded.
        if (target.find("continuation-token=") != std::string::npos) {
            EXPECT_EQ(target.find('+'), std::string::npos) << target;
        }
    }
    EXPECT_EQ(continued, 1U) << json(listing).dump(); // first series: 4 keys (marker included), pages of 2

    auto again = cxrcat({"fetch", "lidc-idri"});
    ASSERT_EQ(again.exit_code, 0) << again.describe();
    EXPECT_TRUE(has_text(again.out, "skipped  lidc-idri/" + first + "/a1.dcm"));
}

TEST_F(IdcApiRoute, NlstDryRunCountsSeriesAndSizeFromTheApiAloneAndFetchListsOnlyWhatIsSelected) {
    std::string bucket = unique("idc-open");
    std::string wanted = series_uuid();
    std::string other = series_uuid();
    publish_series(bucket, wanted, {{"w.dcm", dicom(100)}});
    publish_series(bucket, other, {{"o.dcm", dicom(100)}});
    // The catalog asks for Modality CT: the pathology slide row (SM) is not part of the dataset.
    write_rows(json::array({row("nlst", "100002", bucket, wanted, "CT", 1, 1.5),
                            row("nlst", "100003", bucket, other, "CT", 1, 2.25),
                            row("nlst", "100004", bucket, series_uuid(), "SM", 9, 900.0)}));

    auto plan = cxrcat({"fetch", "nlst", "--dry-run", "--format", "json"});
    ASSERT_EQ(plan.exit_code, 0) << plan.describe();
    json parsed = json::parse(plan.out)["plans"][0];
    ASSERT_EQ(parsed["files"].size(), 2U) << plan.out;
    EXPECT_EQ(parsed["files"][0]["path"], wanted);
    EXPECT_EQ(parsed["files"][0]["series_files"], 1);
    EXPECT_EQ(parsed["files"][0]["metadata"]["PatientID"], "100002");
    EXPECT_EQ(parsed["files"][0]["metadata"]["Modality"], "CT");
    EXPECT_EQ(parsed["files"][0]["metadata"]["SeriesInstanceUID"], "1.2.3.100002.1");
    EXPECT_EQ(parsed["bytes_to_download"], 3'750'000); // (1.5 + 2.25) MB as the API gives them
    EXPECT_EQ(parsed["series"], 2);
    EXPECT_TRUE(targets("idc", "/" + bucket).empty()); // no bucket listing for a dry run

    auto text = cxrcat({"fetch", "nlst", "--dry-run"});
    ASSERT_EQ(text.exit_code, 0) << text.describe();
    EXPECT_TRUE(has_text(text.out, "2 series (2 files), 3.8 MB from the IDC API")) << text.out;

    auto fetch = cxrcat({"fetch", "nlst", "--accept-terms", "--include", wanted + "/*"});
    ASSERT_EQ(fetch.exit_code, 0) << fetch.describe();
    EXPECT_TRUE(std::filesystem::exists(dataset_dir("nlst") / wanted / "w.dcm"));
    EXPECT_FALSE(std::filesystem::exists(dataset_dir("nlst") / other));
    for (const auto& target : targets("idc", "/" + bucket)) {
        EXPECT_TRUE(has_text(target, "prefix=" + wanted)) << "listed a series nobody asked for: " << target;
    }
}

TEST_F(IdcApiRoute, AnAnswerInAnUnexpectedShapeIsAnErrorNamingTheApiVersion) {
    write_unit_file("_version.json",
                    R"({"idc_version":"v26","idc_index_data_version":"26.0.1","api_version":"3.2.0","build":"abc"})");
    // A later API that renamed the list: never taken for an empty dataset.
    write_unit_file("_manifest_answer.json", R"({"page":0,"page_size":5000,"items":[],"total":0})");
    auto fetch = cxrcat({"fetch", "nlst", "--accept-terms"});
    EXPECT_EQ(fetch.exit_code, 6) << fetch.describe();
    EXPECT_TRUE(has_text(fetch.err, "nlst: the IDC API answered in an unexpected shape (no `series` list or "
                                    "`total_series` count); it reports API version 3.2.0 (IDC data version v26)"));
    EXPECT_TRUE(has_text(fetch.err, "--manifest FILE"));
    EXPECT_FALSE(std::filesystem::exists(dataset_dir("nlst") / ".cxrcat" / "state.json"));

    // The request shape refused (as b3 refuses a bare filter): the status and the API's words.
    write_unit_file("_manifest_status", "422\n");
    write_unit_file("_manifest_answer.json", R"({"detail":"filters go under `filters`"})");
    auto refused = cxrcat({"fetch", "nlst", "--dry-run"});
    EXPECT_EQ(refused.exit_code, 6) << refused.describe();
    EXPECT_TRUE(has_text(refused.err, "unexpected shape (HTTP 422: filters go under `filters`); it reports API "
                                      "version 3.2.0"));
}

TEST_F(IdcApiRoute, AnEmptyCohortIsNotAnEmptyDataset) {
    write_rows(json::array({row("nlst", "1", "idc-open-data", series_uuid(), "CT", 1, 1.0)}));
    std::string id = unique("lidc");
    add_dataset(dataset_entry(id, "open", {{"provider", "idc"}, {"collection", "LIDC_IDRI"}}));
    auto fetch = cxrcat({"fetch", id, "--accept-terms"});
    EXPECT_EQ(fetch.exit_code, 3) << fetch.describe();
    EXPECT_TRUE(has_text(fetch.err, id + ": the IDC API (version 3.0.0b2 (IDC data version v24)) lists no series "
                                         "for collection 'LIDC_IDRI'"));
}

TEST_F(IdcApiRoute, CheckTellsARateLimitFromTheAnswersStatusAtTheApiAndAtTheBucket) {
    std::string bucket = unique("idc-open");
    std::string series = series_uuid();
    publish_series(bucket, series, {{"a.dcm", dicom(10)}});
    write_rows(json::array({row("lidc_idri", "LIDC-IDRI-0001", bucket, series, "CT", 1, 0.0001)}));
    std::string id = unique("lidc");
    add_dataset(dataset_entry(id, "open", {{"provider", "idc"}, {"collection", "lidc_idri"}}));
    ASSERT_EQ(cxrcat({"accept", id}).exit_code, 0);

    // The API's 429 says "Service Unavailable" in its body: only the status may decide.
    write_unit_file("_ratelimit", "1 0\n");
    auto api = cxrcat({"check", id});
    EXPECT_EQ(api.exit_code, 6) << api.describe();
    EXPECT_TRUE(has_text(api.out, "rate-limited")) << api.describe();

    // The bucket's 429 at the listing step (the API answers again).
    write_text_file(world("idc") / bucket / "_ratelimit", "1 0\n");
    auto listing = cxrcat({"check", id});
    EXPECT_EQ(listing.exit_code, 6) << listing.describe();
    EXPECT_TRUE(has_text(listing.out, "rate-limited")) << listing.describe();

    auto ok = cxrcat({"check", id});
    EXPECT_EQ(ok.exit_code, 0) << ok.describe();

    // A 503 is no rate limit, whatever its text says.
    write_unit_file("_manifest_status", "503\n");
    write_unit_file("_manifest_answer.json",
                    R"({"error":{"code":"unavailable","message":"the index backend answered HTTP 429"}})");
    auto unavailable = cxrcat({"check", id});
    EXPECT_EQ(unavailable.exit_code, 6) << unavailable.describe();
    EXPECT_TRUE(has_text(unavailable.out, "unreachable")) << unavailable.describe();
    EXPECT_TRUE(has_text(unavailable.out, "HTTP 429")) << unavailable.describe(); // the text is kept as said
    EXPECT_FALSE(has_text(unavailable.out, "rate-limited")) << unavailable.describe();
}

// idc-index documents series_aws_url as "will be phased out in favor of constructing URL from
// bucket+UUID" (api-drift-2026.md §2.2): rows without it still fetch, from aws_bucket + crdc_series_uuid.
TEST_F(IdcApiRoute, RowsWithoutSeriesAwsUrlAreFetchedFromBucketAndUuid) {
    std::string bucket = unique("idc-open");
    std::string uuid = series_uuid();
    std::map<std::string, std::string> files{{"c1.dcm", dicom(40)}};
    publish_series(bucket, uuid, files);
    json only = row("lidc_idri", "LIDC-IDRI-0009", bucket, uuid, "CT", 1, 0.00004);
    only.erase("series_aws_url");
    write_rows(json::array({only}));

    auto fetch = cxrcat({"fetch", "lidc-idri", "--accept-terms"});
    ASSERT_EQ(fetch.exit_code, 0) << fetch.describe();
    EXPECT_EQ(read_text_file(dataset_dir("lidc-idri") / uuid / "c1.dcm"), files["c1.dcm"]);
}

} // namespace
} // namespace cxrcat::test
