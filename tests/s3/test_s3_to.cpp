// SPDX-License-Identifier: Apache-2.0
// `fetch`/`sync --to s3://BUCKET/PREFIX` (issue 10 §4) with the real binary against Ceph radosgw:
// files stream from the loopback origin (the fault server: /ok/, /wrong/ with one inverted byte,
// /dropfirst/ that cuts the first answers short) through verification into the bucket, with no
// local copy; what was stored is read back with s3cmd and checked; ListMultipartUploads (s3cmd
// multipart) proves that a failed file leaves no upload behind.
#include "s3_test_fixture.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <string>

namespace cxrcat::test {
namespace {

class S3ToTest : public S3Test {
  protected:
    // A file served by the fault server's `route` ("ok", "wrong", "dropfirst/1", ...).
    [[nodiscard]] std::string route_url(const std::string& route, const std::string& name) const {
        return m_fault + "/" + route + "/" + m_name + "/" + name;
    }

    // A dataset whose files carry their size and SHA-256, as a catalog publishes them.
    static json checked_dataset(const std::string& id,
                                const std::vector<std::tuple<std::string, std::string, std::string>>& files) {
        json list = json::array();
        for (const auto& [path, url, content] : files) {
            list.push_back({{"path", path}, {"url", url}, {"size", content.size()}, {"sha256", sha256_hex(content)}});
        }
        json entry = http_dataset(id, {});
        entry["sources"] = json::array({{{"provider", "http"}, {"files", list}}});
        return entry;
    }

    // The keys s3cmd lists under s3://bucket/prefix/.
    [[nodiscard]] std::string listing(const std::string& prefix) const {
        ProcessResult listed = s3cmd({"ls", "--recursive", "s3://" + m_bucket + "/" + prefix});
        EXPECT_EQ(listed.exit_code, 0) << listed.describe();
        return listed.out;
    }

    // The bucket's unfinished multipart uploads (ListMultipartUploads), one line each after the header.
    [[nodiscard]] int multipart_uploads() const {
        ProcessResult listed = s3cmd({"multipart", "s3://" + m_bucket});
        EXPECT_EQ(listed.exit_code, 0) << listed.describe();
        int uploads = 0;
        std::size_t at = 0;
        while ((at = listed.out.find("s3://" + m_bucket + "/", at)) != std::string::npos) {
            ++uploads;
            ++at;
        }
        // The first line names the bucket itself ("s3://bucket/").
        return std::max(0, uploads - 1);
    }

    [[nodiscard]] std::string read_back(const std::string& key) const {
        fs::path got = m_dir / ("got-" + std::to_string(++m_reads));
        ProcessResult fetched = s3cmd({"get", "--force", "s3://" + m_bucket + "/" + key, got.string()});
        EXPECT_EQ(fetched.exit_code, 0) << fetched.describe();
        return fs::exists(got) ? read_text_file(got) : std::string{};
    }

    mutable int m_reads = 0;
};

TEST_F(S3ToTest, FetchToBucketStoresVerifiedObjectsWithNoLocalCopyAndARerunMakesNoRequest) {
    make_bucket();
    std::string small = s3_random_content(30'001, 11);
    std::string big = s3_random_content((17U << 20U) + 7, 12); // three 8 MiB parts: a multipart upload
    serve("small.bin", small);
    serve("big.bin", big);
    fs::path catalog = write_catalog({checked_dataset(
        "s3-to", {{"small.bin", origin_url("small.bin"), small}, {"dir/big.bin", origin_url("big.bin"), big}})});
    Home a = home("a", catalog);
    std::string to = "s3://" + m_bucket + "/team/data";

    ProcessResult fetched = cxrcat(a, {"fetch", "s3-to", "--accept-terms", "--to", to}, aws_env());
    ASSERT_EQ(fetched.exit_code, 0) << fetched.describe();
    EXPECT_FALSE(has_text(fetched.out + fetched.err, secret_key())) << "the secret was printed";
    EXPECT_FALSE(fs::exists(a.dataset("s3-to"))) << "no local copy of the dataset";

    // Read back with s3cmd, the independent client: the bytes are the origin's.
    EXPECT_EQ(sha256_hex(read_back("team/data/s3-to/dir/big.bin")), sha256_hex(big));
    EXPECT_EQ(read_back("team/data/s3-to/small.bin"), small);
    std::string keys = listing("team/data/s3-to/");
    for (const char* name : {"state.json", "SOURCE.json", "TERMS.txt", "CITATION.bib"}) {
        EXPECT_TRUE(has_text(keys, name)) << name << " missing beside the data\n" << keys;
    }
    EXPECT_TRUE(has_text(keys, "team/data/s3-to/.cxrcat/state.json")) << keys;
    EXPECT_FALSE(has_text(keys, ".cxrcat/uploads/")) << "an upload record was left\n" << keys;
    EXPECT_EQ(multipart_uploads(), 0);
    json state = json::parse(read_back("team/data/s3-to/.cxrcat/state.json"));
    EXPECT_EQ(state["files"]["dir/big.bin"]["digests"]["sha256"], sha256_hex(big)) << state.dump(1);

    // Again: the objects are there with the recorded sizes; the origin is not asked.
    int before = origin_requests();
    ProcessResult again = cxrcat(a, {"fetch", "s3-to", "--to", to, "--format", "json"}, aws_env());
    ASSERT_EQ(again.exit_code, 0) << again.describe();
    json report = json::parse(again.out);
    EXPECT_EQ(report["summary"]["skipped"], 2) << again.out;
    EXPECT_EQ(origin_requests(), before) << "the origin was contacted on a rerun";
}

TEST_F(S3ToTest, FourShardsOnFourMachinesIntoOneBucketPrefixFetchEachFileOnceAndMerge) {
    make_bucket();
    std::vector<std::tuple<std::string, std::string, std::string>> files;
    for (std::size_t i = 0; i < 8; ++i) {
        // One directory a file, so the fault server's counts tell the files apart.
        std::string name = "part" + std::to_string(i) + "/f.bin";
        std::string content = s3_random_content(40'000 + 9'973 * i, 30 + i);
        serve(name, content);
        files.emplace_back(name, origin_url(name), content);
    }
    fs::path catalog = write_catalog({checked_dataset("s3-shards", files)});
    std::string to = "s3://" + m_bucket + "/lab";
    // Four homes stand for four machines of a Slurm array: no local lock is shared between them.
    std::vector<SpawnedProcess> running;
    for (int k = 1; k <= 4; ++k) {
        running.push_back(start_cxrcat(
            home("node" + std::to_string(k), catalog),
            {"fetch", "s3-shards", "--accept-terms", "--to", to, "--shard", std::to_string(k) + "/4"}, aws_env()));
    }
    for (auto& process : running) {
        ProcessResult result = process.wait();
        ASSERT_EQ(result.exit_code, 0) << result.describe();
    }
    for (std::size_t i = 0; i < 8; ++i) {
        EXPECT_EQ(fault_requests_under(m_fault, "part" + std::to_string(i)), 1) << "part" << i;
        EXPECT_EQ(read_back("lab/s3-shards/" + std::get<0>(files[i])), std::get<2>(files[i])) << "part" << i;
    }
    std::string keys = listing("lab/s3-shards/");
    EXPECT_TRUE(has_text(keys, "lab/s3-shards/.cxrcat/journal/shard-1-of-4.json")) << keys;
    ProcessResult status =
        cxrcat(home("login", catalog), {"status", "s3-shards", "--to", to, "--format", "json"}, aws_env());
    ASSERT_EQ(status.exit_code, 0) << status.describe();
    json entry = json::parse(status.out)["datasets"][0];
    EXPECT_EQ(entry["files_installed"], 8) << status.out;
    EXPECT_EQ(entry["destination"], to + "/s3-shards") << status.out;

    // An unsharded run on a fifth machine sees every shard's files: no origin request. It folds the
    // journals into state.json.
    int before = origin_requests();
    ProcessResult whole = cxrcat(home("login", catalog),
                                 {"fetch", "s3-shards", "--accept-terms", "--to", to, "--format", "json"}, aws_env());
    ASSERT_EQ(whole.exit_code, 0) << whole.describe();
    EXPECT_EQ(json::parse(whole.out)["summary"]["skipped"], 8) << whole.out;
    EXPECT_EQ(origin_requests(), before) << "an unsharded rerun asked the origin";
    keys = listing("lab/s3-shards/");
    EXPECT_FALSE(has_text(keys, ".cxrcat/journal/")) << "journals were not folded\n" << keys;
    json state = json::parse(read_back("lab/s3-shards/.cxrcat/state.json"));
    EXPECT_EQ(state["files"].size(), 8U) << state.dump(1);
}

TEST_F(S3ToTest, LimitRateCapsEveryStreamIntoTheBucketTogether) {
    make_bucket();
    std::vector<std::tuple<std::string, std::string, std::string>> files;
    std::size_t total = 0;
    for (std::size_t i = 0; i < 4; ++i) {
        std::string name = "rate" + std::to_string(i) + ".bin";
        std::string content = s3_random_content(768U << 10U, 50 + i);
        serve(name, content);
        files.emplace_back(name, origin_url(name), content);
        total += content.size();
    }
    fs::path catalog = write_catalog({checked_dataset("s3-rate", files)});
    auto start = std::chrono::steady_clock::now();
    ProcessResult result = cxrcat(
        home("a", catalog),
        {"fetch", "s3-rate", "--accept-terms", "--to", "s3://" + m_bucket + "/rate", "-j", "4", "--limit-rate", "1M"},
        aws_env());
    std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
    ASSERT_EQ(result.exit_code, 0) << result.describe();
    // The cap is the process's total over its four streams (the bound that slowness cannot break).
    EXPECT_LE(static_cast<double>(total) / took.count(), 1024.0 * 1024.0 * 1.10) << "faster than the cap";
    EXPECT_EQ(read_back("rate/s3-rate/rate3.bin"), std::get<2>(files[3]));
}

TEST_F(S3ToTest, ObjectsInPlaceWithoutAStateAreReadBackAndAdoptedOnlyWhenTheyMatch) {
    make_bucket();
    std::string good = s3_random_content(70'001, 61);
    std::string other = s3_random_content(70'002, 62);
    serve("good.bin", good);
    serve("other.bin", other);
    fs::path catalog = write_catalog({checked_dataset(
        "s3-adopt", {{"good.bin", origin_url("good.bin"), good}, {"other.bin", origin_url("other.bin"), other}})});
    std::string to = "s3://" + m_bucket + "/adopt";
    ASSERT_EQ(cxrcat(home("a", catalog), {"fetch", "s3-adopt", "--accept-terms", "--to", to}, aws_env()).exit_code, 0);
    // The state is lost (a run stopped before it saved), and other.bin was replaced by bytes of the
    // same size that are not the dataset's.
    ASSERT_EQ(s3cmd({"del", "s3://" + m_bucket + "/adopt/s3-adopt/.cxrcat/state.json"}).exit_code, 0);
    std::string tampered = other;
    tampered[100] = static_cast<char>(tampered[100] ^ 0x5a);
    fs::path local = m_dir / "tampered.bin";
    write_text_file(local, tampered);
    ASSERT_EQ(s3cmd({"put", local.string(), "s3://" + m_bucket + "/adopt/s3-adopt/other.bin"}).exit_code, 0);

    int good_before = origin_requests();
    ProcessResult again =
        cxrcat(home("b", catalog), {"fetch", "s3-adopt", "--accept-terms", "--to", to, "--format", "json"}, aws_env());
    ASSERT_EQ(again.exit_code, 0) << again.describe();
    json report = json::parse(again.out);
    EXPECT_EQ(report["summary"]["skipped"], 1) << again.out;    // good.bin, read back and adopted
    EXPECT_EQ(report["summary"]["downloaded"], 1) << again.out; // other.bin, from the origin again
    EXPECT_EQ(origin_requests() - good_before, 1) << "only the mismatching object is fetched again";
    EXPECT_EQ(read_back("adopt/s3-adopt/other.bin"), other) << "the wrong bytes were kept";
    json state = json::parse(read_back("adopt/s3-adopt/.cxrcat/state.json"));
    EXPECT_EQ(state["files"]["good.bin"]["digests"]["sha256"], sha256_hex(good)) << state.dump(1);
}

TEST_F(S3ToTest, CorruptOriginByteIsExit5WithNothingUnderTheKeyAndNoUploadLeft) {
    make_bucket();
    std::string big = s3_random_content((9U << 20U) + 3, 13); // multipart (2 parts); the byte at size/2 is flipped
    std::string small = s3_random_content(5000, 14);          // one PUT, only after it verified
    serve("big.bin", big);
    serve("small.bin", small);
    fs::path catalog =
        write_catalog({checked_dataset("s3-corrupt", {{"big.bin", route_url("wrong", "big.bin"), big},
                                                      {"small.bin", route_url("wrong", "small.bin"), small}})});
    Home a = home("a", catalog);
    ProcessResult result = cxrcat(
        a, {"fetch", "s3-corrupt", "--accept-terms", "--retries", "0", "--to", "s3://" + m_bucket + "/p"}, aws_env());
    EXPECT_EQ(result.exit_code, 5) << result.describe();
    EXPECT_TRUE(has_text(result.err, "sha256 mismatch")) << result.describe();
    EXPECT_TRUE(has_text(result.err, "nothing was stored under s3://" + m_bucket + "/p/s3-corrupt/")) << result.err;
    std::string keys = listing("p/");
    EXPECT_FALSE(has_text(keys, "p/s3-corrupt/big.bin")) << keys;
    EXPECT_FALSE(has_text(keys, "p/s3-corrupt/small.bin")) << keys;
    EXPECT_FALSE(has_text(keys, ".cxrcat/uploads/")) << keys;
    EXPECT_EQ(multipart_uploads(), 0) << "a failed upload was left behind";
}

TEST_F(S3ToTest, ACutTransferResumesAndAKeptUploadIsResumedByTheNextRun) {
    make_bucket();
    std::string big = s3_random_content((20U << 20U) + 1, 15);
    serve("big.bin", big);
    fs::path catalog =
        write_catalog({checked_dataset("s3-resume", {{"big.bin", route_url("dropfirst/1", "big.bin"), big}})});
    Home a = home("a", catalog);
    std::string to = "s3://" + m_bucket + "/r";
    // The first answer stops halfway (one 8 MiB part is up); with no retry the run fails (network),
    // the upload and its record stay for the next run.
    ProcessResult first = cxrcat(a, {"fetch", "s3-resume", "--accept-terms", "--retries", "0", "--to", to}, aws_env());
    EXPECT_EQ(first.exit_code, 6) << first.describe();
    EXPECT_TRUE(has_text(listing("r/"), "r/s3-resume/.cxrcat/uploads/")) << listing("r/");
    EXPECT_EQ(multipart_uploads(), 1);
    // The next run continues that upload (reading the first part's bytes again only to hash them).
    ProcessResult second = cxrcat(a, {"fetch", "s3-resume", "--to", to}, aws_env());
    ASSERT_EQ(second.exit_code, 0) << second.describe();
    EXPECT_TRUE(has_text(second.err, "resuming the multipart upload an earlier run left (1 part(s)"))
        << second.describe();
    EXPECT_EQ(sha256_hex(read_back("r/s3-resume/big.bin")), sha256_hex(big));
    EXPECT_EQ(multipart_uploads(), 0);
    EXPECT_FALSE(has_text(listing("r/"), ".cxrcat/uploads/")) << listing("r/");
}

TEST_F(S3ToTest, SyncToBucketThenUpToDateWithoutRequests) {
    make_bucket();
    std::string bytes = s3_random_content(70'000, 16);
    serve("a.bin", bytes);
    fs::path catalog = write_catalog({checked_dataset("s3-sync", {{"a.bin", origin_url("a.bin"), bytes}})});
    Home a = home("a", catalog);
    fs::path manifest = m_dir / "project" / "cxrcat.json";
    write_text_file(manifest, json{{"datasets", {{{"id", "s3-sync"}}}}}.dump(2));
    std::string to = "s3://" + m_bucket + "/s";
    ProcessResult synced =
        cxrcat(a, {"sync", "--accept-terms", "--manifest", manifest.string(), "--to", to}, aws_env());
    ASSERT_EQ(synced.exit_code, 0) << synced.describe();
    EXPECT_EQ(read_back("s/s3-sync/a.bin"), bytes);
    int before = origin_requests();
    ProcessResult again = cxrcat(a, {"sync", "--frozen", "--manifest", manifest.string(), "--to", to}, aws_env());
    ASSERT_EQ(again.exit_code, 0) << again.describe();
    EXPECT_TRUE(has_text(again.out, "up to date  s3-sync")) << again.describe();
    EXPECT_EQ(origin_requests(), before);
}

TEST_F(S3ToTest, WrongSecretIsExit4MissingBucketExit3OtherSchemesExit2) {
    std::string bytes = s3_random_content(1000, 17);
    serve("a.bin", bytes);
    fs::path catalog = write_catalog({checked_dataset("s3-errors", {{"a.bin", origin_url("a.bin"), bytes}})});
    Home a = home("a", catalog);
    std::string to = "s3://" + m_bucket + "/e";

    ProcessResult missing = cxrcat(a, {"fetch", "s3-errors", "--accept-terms", "--to", to}, aws_env());
    EXPECT_EQ(missing.exit_code, 3) << missing.describe();
    EXPECT_TRUE(has_text(missing.err, "no such bucket: " + m_bucket)) << missing.describe();

    make_bucket();
    std::string wrong = "wrong-" + secret_key();
    ProcessResult denied = cxrcat(a, {"fetch", "s3-errors", "--to", to}, aws_env(wrong));
    EXPECT_EQ(denied.exit_code, 4) << denied.describe();
    EXPECT_TRUE(has_text(denied.err, "AWS_SECRET_ACCESS_KEY")) << denied.describe();
    EXPECT_FALSE(has_text(denied.out + denied.err, wrong)) << "the secret was printed";
    EXPECT_FALSE(has_text(denied.out + denied.err, access_key())) << "the key id is shown masked only";
    EXPECT_EQ(listing("e/"), "");

    for (const char* target : {"gs://bucket/p", "https://example.org/x", "file:///tmp/x"}) {
        ProcessResult refused = cxrcat(a, {"fetch", "s3-errors", "--to", target}, aws_env());
        EXPECT_EQ(refused.exit_code, 2) << refused.describe();
        EXPECT_TRUE(has_text(refused.err, "s3://")) << refused.describe();
    }
    EXPECT_EQ(origin_requests(), 0) << "nothing may be downloaded before the store is known to work";
}

TEST_F(S3ToTest, MirrorExportContinuesAnUnfinishedMultipartUploadOfItsKey) {
    make_bucket();
    std::string big = s3_random_content((17U << 20U) + 9, 18); // three 8 MiB parts
    serve("big.bin", big);
    fs::path catalog = write_catalog({checked_dataset("s3-export-resume", {{"big.bin", origin_url("big.bin"), big}})});
    Home a = home("a", catalog);
    fetch_on_a(a, "s3-export-resume");
    // An export killed mid-upload, made by hand with curl's own signer: part 1 holds the file's first
    // 8 MiB, part 2 bytes that are not the file's.
    std::string object = endpoint() + "/" + m_bucket + "/m/sha256/" + sha256_hex(big);
    auto curl = [&](std::vector<std::string> args) {
        std::vector<std::string> argv{"curl",        "-s",
                                      "--noproxy",   "*",
                                      "--aws-sigv4", "aws:amz:" + m_s3.at("region").get<std::string>() + ":s3",
                                      "--user",      access_key() + ":" + secret_key(),
                                      "-H",          "x-amz-content-sha256: UNSIGNED-PAYLOAD"};
        argv.insert(argv.end(), args.begin(), args.end());
        return run_process(argv, {}, {});
    };
    ProcessResult created = curl({"-X", "POST", object + "?uploads="});
    std::size_t from = created.out.find("<UploadId>");
    std::size_t to = created.out.find("</UploadId>");
    ASSERT_TRUE(from != std::string::npos && to != std::string::npos) << created.describe();
    std::string upload_id = created.out.substr(from + 10, to - from - 10);
    fs::path part1 = m_dir / "part1";
    fs::path part2 = m_dir / "part2";
    write_text_file(part1, big.substr(0, 8U << 20U));
    write_text_file(part2, s3_random_content(8U << 20U, 19));
    for (const auto& [number, file] : {std::pair<std::string, fs::path>{"1", part1}, {"2", part2}}) {
        ProcessResult put =
            curl({"-f", "-T", file.string(), object + "?partNumber=" + number + "&uploadId=" + upload_id});
        ASSERT_EQ(put.exit_code, 0) << put.describe();
    }
    ASSERT_EQ(multipart_uploads(), 1);

    ProcessResult exported = cxrcat(a, {"mirror", "export", "s3://" + m_bucket + "/m", "s3-export-resume"}, aws_env());
    ASSERT_EQ(exported.exit_code, 0) << exported.describe();
    EXPECT_EQ(multipart_uploads(), 0) << "the unfinished upload was not continued";
    EXPECT_EQ(sha256_hex(read_back("m/sha256/" + sha256_hex(big))), sha256_hex(big));
}

} // namespace
} // namespace cxrcat::test
