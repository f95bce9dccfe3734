// SPDX-License-Identifier: Apache-2.0
// The zenodo route against the Zenodo stub: record API → files, md5, download URLs, failures.
#include "zenodo_route_test.hpp"

#include <sstream>

namespace cxrcat::test {
namespace {

TEST_F(ZenodoRoute, ChecksAndFetchesARecordThroughTheApiContentUrl) {
    std::string record = unique_digits();
    std::string csv = "seriesuid,coordX\n1.3.6,12.5\n";
    std::string blocks = random_bytes(200'003);
    std::filesystem::path staging = world("zenodo") / ("_staging-" + record);
    make_zip(staging / "subset0.zip", "subset0/scan.mhd", "ObjectType = Image\n");
    write_text_file(staging / "annotations.csv", csv);
    write_text_file(staging / "blocks" / "part 1.bin", blocks); // a key with '/' and a space
    std::filesystem::rename(staging, world("zenodo") / record);
    std::string id = add_zenodo_dataset(
        record, nlohmann::json::array({{{"path", "subset0.zip"}, {"extract", true}}, {{"path", "annotations.csv"}}}));

    ASSERT_EQ(cxrcat({"accept", id}).exit_code, 0);
    auto check = cxrcat({"check", id});
    EXPECT_EQ(check.exit_code, 0) << check.describe();
    EXPECT_TRUE(has_text(check.out, "zenodo: ok — Zenodo record " + record + ": 3 files"));
    EXPECT_TRUE(has_text(check.out, "fetch allowed: yes"));

    auto plan = cxrcat({"fetch", id, "--dry-run", "--format", "json"});
    ASSERT_EQ(plan.exit_code, 0) << plan.describe();
    auto planned = nlohmann::json::parse(plan.out)["plans"][0]["files"];
    ASSERT_EQ(planned.size(), 3U) << plan.out;
    for (const auto& file : planned) {
        EXPECT_EQ(file["digest_origin"], "from the Zenodo record API (record " + record + ")") << file;
        EXPECT_EQ(file["digests"]["md5"].get<std::string>().size(), 32U) << file;
    }

    auto fetch = cxrcat({"fetch", id});
    ASSERT_EQ(fetch.exit_code, 0) << fetch.describe();
    std::filesystem::path dir = dataset_dir(id);
    EXPECT_EQ(read_text_file(dir / "annotations.csv"), csv);
    EXPECT_EQ(read_text_file(dir / "blocks" / "part 1.bin"), blocks);
    EXPECT_EQ(read_text_file(dir / "subset0" / "scan.mhd"), "ObjectType = Image\n"); // the catalog said extract
    EXPECT_FALSE(std::filesystem::exists(dir / "subset0.zip"));

    // A fresh download goes to the API content URL, as the record's links.self does; the UI route
    // (which the engine keeps for Range requests) is never needed.
    auto api = stats("zenodo", "/api/records/" + record + "/files/annotations.csv/content");
    EXPECT_EQ(api.value("requests", 0), 1) << api.dump();
    EXPECT_EQ(api["statuses"], nlohmann::json::array({200})) << api.dump();
    EXPECT_EQ(api["ranges"], nlohmann::json::array()) << api.dump();
    EXPECT_EQ(stats("zenodo", "/records/" + record + "/files/annotations.csv").value("requests", 0), 0);
    EXPECT_EQ(stats("zenodo", "/api/records/" + record + "/files/blocks/part%201.bin/content").value("requests", 0), 1);

    auto again = cxrcat({"fetch", id});
    EXPECT_EQ(again.exit_code, 0) << again.describe();
    EXPECT_TRUE(has_text(again.out, "skipped  " + id + "/annotations.csv"));
}

TEST_F(ZenodoRoute, ReadsThePostMigrationRecordShape) {
    std::string record = unique_digits();
    std::string data = random_bytes(5000);
    publish_record(record, {{"candidates.bin", data}}, {{"_legacy.json", "{}"}});
    std::string id = add_zenodo_dataset(record);

    auto plan = cxrcat({"fetch", id, "--dry-run", "--format", "json"});
    ASSERT_EQ(plan.exit_code, 0) << plan.describe();
    auto file = nlohmann::json::parse(plan.out)["plans"][0]["files"][0];
    EXPECT_EQ(file["path"], "candidates.bin");
    EXPECT_EQ(file["size"], 5000);
    EXPECT_EQ(file["digests"]["md5"], md5_of(data));

    auto fetch = cxrcat({"fetch", id, "--accept-terms"});
    ASSERT_EQ(fetch.exit_code, 0) << fetch.describe();
    EXPECT_EQ(read_text_file(dataset_dir(id) / "candidates.bin"), data);
}

TEST_F(ZenodoRoute, AFileThatDoesNotMatchTheRecordsMd5IsNotInstalled) {
    std::string record = unique_digits();
    publish_record(record, {{"scan.bin", random_bytes(50'000)}});
    std::string id = add_zenodo_dataset(record);
    // The record API publishes the md5 of the original bytes; then the served bytes change.
    ASSERT_EQ(cxrcat({"fetch", id, "--dry-run"}).exit_code, 0);
    corrupt_keeping_metadata(world("zenodo") / record / "scan.bin");

    auto fetch = cxrcat({"fetch", id, "--accept-terms", "--retries", "0"});
    EXPECT_EQ(fetch.exit_code, 5) << fetch.describe();
    EXPECT_TRUE(has_text(fetch.err, "scan.bin: md5 mismatch"));
    EXPECT_TRUE(has_text(fetch.err, "from the Zenodo record API (record " + record + ")"));
    EXPECT_FALSE(std::filesystem::exists(dataset_dir(id) / "scan.bin"));
    EXPECT_FALSE(std::filesystem::exists(dataset_dir(id) / "scan.bin.part"));
}

TEST_F(ZenodoRoute, AnUnknownRecordIsNotFound) {
    std::string record = unique_digits(); // never published
    std::string id = add_zenodo_dataset(record);
    ASSERT_EQ(cxrcat({"accept", id}).exit_code, 0);

    auto fetch = cxrcat({"fetch", id});
    EXPECT_EQ(fetch.exit_code, 3) << fetch.describe();
    EXPECT_TRUE(has_text(fetch.err, "Zenodo record " + record + " does not exist"));
    EXPECT_TRUE(has_text(fetch.err, "check the record id in the catalog entry"));

    auto check = cxrcat({"check", id});
    EXPECT_EQ(check.exit_code, 3) << check.describe();
    EXPECT_TRUE(has_text(check.out, "not-found — Zenodo record " + record + " does not exist"));
    EXPECT_TRUE(has_text(check.out, "fix: check the record id"));
}

TEST_F(ZenodoRoute, ADeletedRecordIsWithdrawn) {
    std::string record = unique_digits();
    publish_record(record, {{"a.bin", random_bytes(10)}}, {{"_meta.json", R"({"deleted": true})"}});
    std::string id = add_zenodo_dataset(record);

    auto fetch = cxrcat({"fetch", id, "--accept-terms"});
    EXPECT_EQ(fetch.exit_code, 3) << fetch.describe();
    EXPECT_TRUE(has_text(fetch.err, "Zenodo record " + record + " was withdrawn (HTTP 410 Gone)"));
    EXPECT_TRUE(has_text(fetch.err, "https://example.org/" + id)); // where the dataset may have gone
}

TEST_F(ZenodoRoute, AListedFileTheRecordLacksFailsAloneAndTheOthersAreInstalled) {
    std::string record = unique_digits();
    std::string data = random_bytes(100);
    publish_record(record, {{"subset0.bin", data}, {"annotations.csv", "a,b\n1,2\n"}});
    std::string id = add_zenodo_dataset(record, nlohmann::json::array({{{"path", "subset0.bin"}},
                                                                       {{"path", "annotations.csv"}},
                                                                       {{"path", "subset9.zip"}, {"extract", true}}}));

    // The whole selection: the missing file fails alone (exit 3), every present one is installed.
    auto fetch = cxrcat({"fetch", id, "--accept-terms"});
    EXPECT_EQ(fetch.exit_code, 3) << fetch.describe();
    EXPECT_TRUE(has_text(fetch.err, "Zenodo record " + record + " lacks files the catalog lists: subset9.zip"));
    EXPECT_TRUE(has_text(fetch.err, base("zenodo") + "/records/" + record));
    EXPECT_TRUE(has_text(fetch.err, "the catalog entry needs updating"));
    EXPECT_FALSE(has_text(fetch.err, "subset0.bin")) << fetch.describe(); // only the missing file is an error
    EXPECT_EQ(read_text_file(dataset_dir(id) / "subset0.bin"), data);
    EXPECT_EQ(read_text_file(dataset_dir(id) / "annotations.csv"), "a,b\n1,2\n");
    EXPECT_FALSE(std::filesystem::exists(dataset_dir(id) / "subset9.zip"));

    // A selection of present files only succeeds.
    std::string other =
        add_zenodo_dataset(record, nlohmann::json::array({{{"path", "annotations.csv"}}, {{"path", "subset9.zip"}}}));
    auto only = cxrcat({"fetch", other, "--accept-terms", "--include", "annotations.csv"});
    EXPECT_EQ(only.exit_code, 0) << only.describe();
    EXPECT_EQ(read_text_file(dataset_dir(other) / "annotations.csv"), "a,b\n1,2\n");
    EXPECT_FALSE(std::filesystem::exists(dataset_dir(other) / "subset0.bin"));

    // --dry-run names it as unavailable and exits as fetch would.
    auto plan = cxrcat({"fetch", other, "--dry-run", "--format", "json"});
    EXPECT_EQ(plan.exit_code, 3) << plan.describe();
    auto document = nlohmann::json::parse(plan.out, nullptr, false);
    ASSERT_TRUE(document.is_object()) << plan.describe();
    bool named = false;
    for (const auto& file : document["plans"][0]["files"]) {
        if (file["path"] == "subset9.zip") {
            named = file["status"] == "unavailable" && file["error"]["exit_code"] == 3;
        }
    }
    EXPECT_TRUE(named) << plan.out;

    auto check = cxrcat({"check", id});
    EXPECT_TRUE(has_text(check.out, "not-found — Zenodo record " + record + " lacks files the catalog lists"));
}

TEST_F(ZenodoRoute, AChecksumThatContradictsTheCatalogFailsThatFileAlone) {
    std::string record = unique_digits();
    publish_record(record, {{"a.bin", random_bytes(50)}, {"b.bin", "bee"}});
    std::string id = add_zenodo_dataset(
        record, nlohmann::json::array({{{"path", "a.bin"}, {"md5", std::string(32, '0')}}, {{"path", "b.bin"}}}));

    auto fetch = cxrcat({"fetch", id, "--accept-terms"});
    EXPECT_EQ(fetch.exit_code, 5) << fetch.describe();
    EXPECT_TRUE(has_text(fetch.err,
                         "a.bin: Zenodo record " + record + " publishes a checksum that differs from the catalog's"));
    EXPECT_TRUE(has_text(fetch.err, "the catalog entry needs updating"));
    EXPECT_FALSE(std::filesystem::exists(dataset_dir(id) / "a.bin"));
    EXPECT_EQ(read_text_file(dataset_dir(id) / "b.bin"), "bee");
}

TEST_F(ZenodoRoute, RateLimitsAreWaitedOutAsRetryAfterSays) {
    std::string record = unique_digits();
    std::string data = random_bytes(1000);
    publish_record(record, {{"a.bin", data}}, {{"_ratelimit", "1 30"}});
    std::string id = add_zenodo_dataset(record);
    ASSERT_EQ(cxrcat({"accept", id}).exit_code, 0);

    // check makes one request and reports the wait instead of sleeping through it.
    auto check = cxrcat({"check", id});
    EXPECT_EQ(check.exit_code, 6) << check.describe();
    EXPECT_TRUE(has_text(check.out, "rate-limited — Zenodo is rate-limiting requests (HTTP 429)"));
    EXPECT_TRUE(has_text(check.out, "fix: wait 30 seconds and rerun"));

    // fetch waits Retry-After (1 s, far above the 50 ms backoff the fixture configures) twice.
    write_text_file(world("zenodo") / record / "_ratelimit", "2 1\n");
    reset_stats("zenodo", "/api/records/" + record);
    auto started = std::chrono::steady_clock::now();
    auto fetch = cxrcat({"fetch", id});
    auto elapsed = std::chrono::steady_clock::now() - started;
    ASSERT_EQ(fetch.exit_code, 0) << fetch.describe();
    EXPECT_EQ(read_text_file(dataset_dir(id) / "a.bin"), data);
    EXPECT_GE(elapsed, std::chrono::milliseconds(1900));
    auto api = stats("zenodo", "/api/records/" + record);
    EXPECT_EQ(api["statuses"], nlohmann::json::array({429, 429, 200})) << api.dump();
}

TEST_F(ZenodoRoute, AResumedDownloadGoesToTheRecordsRouteThatHonoursRange) {
    std::string record = unique_digits();
    std::string data = random_bytes(300'000);
    publish_record(record, {{"big.bin", data}});
    std::string id = add_zenodo_dataset(record);

    // A part left by an interrupted run of the API URL (what fetch downloads from first).
    std::filesystem::path dir = dataset_dir(id);
    std::string api_url = base("zenodo") + "/api/records/" + record + "/files/big.bin/content";
    write_text_file(dir / "big.bin.part", data.substr(0, 100'000));
    nlohmann::json meta = {{"url_sha256", sha256_hex(api_url)},
                           {"etag", "\"md5:" + md5_of(data) + "\""},
                           {"last_modified", ""},
                           {"total", data.size()}};
    write_text_file(dir / "big.bin.part.json", meta.dump());

    auto fetch = cxrcat({"fetch", id, "--accept-terms"});
    ASSERT_EQ(fetch.exit_code, 0) << fetch.describe();
    EXPECT_EQ(read_text_file(dir / "big.bin"), data);
    // The API content URL ignores Range (it would resend everything): the rest came as a 206 from
    // /records/{id}/files/{key}?download=1.
    auto ranged = stats("zenodo", "/records/" + record + "/files/big.bin");
    EXPECT_EQ(ranged["ranges"], nlohmann::json::array({"bytes=100000-"})) << ranged.dump();
    EXPECT_EQ(ranged["statuses"], nlohmann::json::array({206})) << ranged.dump();
    EXPECT_EQ(ranged["log"][0]["target"], "/records/" + record + "/files/big.bin?download=1") << ranged.dump();
    EXPECT_EQ(stats("zenodo", "/api/records/" + record + "/files/big.bin/content").value("requests", 0), 0);
}

// The retry events of a `--progress json` run (stderr, one JSON object per line).
std::vector<nlohmann::json> retry_events(const std::string& err) {
    std::vector<nlohmann::json> events;
    std::istringstream lines(err);
    for (std::string line; std::getline(lines, line);) {
        auto event = nlohmann::json::parse(line, nullptr, false);
        if (event.is_object() && event.value("event", "") == "retry") {
            events.push_back(event);
        }
    }
    return events;
}

TEST_F(ZenodoRoute, TheRetryAfterOfAnOrdinaryAnswerIsNoRequestToWait) {
    // Every Zenodo answer carries Retry-After (about 60 here); a 200 whose body is cut is retried on
    // the normal backoff (50 ms in the fixture), not after a minute.
    std::string record = unique_digits();
    std::string data = random_bytes(300'000);
    publish_record(record, {{"big.bin", data}}, {{"_drop", "1 100000"}});
    std::string id = add_zenodo_dataset(record);

    auto fetch = cxrcat({"fetch", id, "--accept-terms", "--progress", "json"});
    ASSERT_EQ(fetch.exit_code, 0) << fetch.describe();
    EXPECT_EQ(read_text_file(dataset_dir(id) / "big.bin"), data);
    auto retries = retry_events(fetch.err);
    ASSERT_EQ(retries.size(), 1U) << fetch.err;
    EXPECT_LT(retries[0]["delay_ms"].get<long>(), 10'000) << retries[0].dump(); // the backoff, not Retry-After
    // It resumed with Range guarded by the ETag.
    auto ranged = stats("zenodo", "/records/" + record + "/files/big.bin");
    EXPECT_EQ(ranged["ranges"], nlohmann::json::array({"bytes=100000-"})) << ranged.dump();
    EXPECT_EQ(ranged["log"][0]["if_range"], "\"md5:" + md5_of(data) + "\"") << ranged.dump();
}

TEST_F(ZenodoRoute, WithoutAnETagAResumeIsGuardedByLastModified) {
    std::string record = unique_digits();
    std::string data = random_bytes(300'000);
    publish_record(record, {{"big.bin", data}}, {{"_drop", "1 100000"}, {"_validators", "last-modified"}});
    std::string id = add_zenodo_dataset(record);

    auto fetch = cxrcat({"fetch", id, "--accept-terms"});
    ASSERT_EQ(fetch.exit_code, 0) << fetch.describe();
    EXPECT_EQ(read_text_file(dataset_dir(id) / "big.bin"), data);
    auto ranged = stats("zenodo", "/records/" + record + "/files/big.bin");
    EXPECT_EQ(ranged["ranges"], nlohmann::json::array({"bytes=100000-"})) << ranged.dump();
    EXPECT_EQ(ranged["statuses"], nlohmann::json::array({206})) << ranged.dump();
    std::string if_range = ranged["log"][0].value("if_range", "");
    EXPECT_TRUE(if_range.ends_with(" GMT")) << ranged.dump(); // an HTTP date, not an entity tag
}

TEST_F(ZenodoRoute, WithoutAnyValidatorACutDownloadStartsOver) {
    std::string record = unique_digits();
    std::string data = random_bytes(300'000);
    publish_record(record, {{"big.bin", data}}, {{"_drop", "1 100000"}, {"_validators", "none"}});
    std::string id = add_zenodo_dataset(record);

    auto fetch = cxrcat({"fetch", id, "--accept-terms"});
    ASSERT_EQ(fetch.exit_code, 0) << fetch.describe();
    EXPECT_EQ(read_text_file(dataset_dir(id) / "big.bin"), data);
    // Nothing proves the remote unchanged, so nothing is appended: the whole file again, no Range.
    EXPECT_EQ(stats("zenodo", "/records/" + record + "/files/big.bin").value("requests", 0), 0);
    auto api = stats("zenodo", "/api/records/" + record + "/files/big.bin/content");
    EXPECT_EQ(api["statuses"], nlohmann::json::array({200, 200})) << api.dump();
    EXPECT_EQ(api["ranges"], nlohmann::json::array()) << api.dump();
}

} // namespace
} // namespace cxrcat::test
