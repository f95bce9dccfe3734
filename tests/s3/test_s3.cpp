// SPDX-License-Identifier: Apache-2.0
// S3-compatible object storage (issue 10 §4) with the real binary: `mirror export s3://BUCKET/PREFIX`
// into Ceph radosgw (tests/servers/s3_fixture.py, a real S3 that verifies SigV4 signatures), read back
// by an independent client (Debian's s3cmd, curl --aws-sigv4), then used as a mirror by a second home
// that may not contact the origin (the fault server, whose /__stats counts every request). nginx
// stands in for a requester-pays endpoint where the test must see a request header.
#include "s3_test_fixture.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <string>

namespace cxrcat::test {
namespace {

TEST_F(S3Test, ExportToRadosgwThenAFreshHomeSyncsFromTheBucketWithoutTheOrigin) {
    make_bucket();
    std::string small = s3_random_content(30'001, 1);
    std::string big = s3_random_content((9U << 20U) + 5, 2); // above the 8 MiB multipart threshold: 2 parts
    serve("small.bin", small);
    serve("big.bin", big);
    fs::path catalog = write_catalog(
        {http_dataset("s3-export", {{"small.bin", origin_url("small.bin")}, {"dir/big.bin", origin_url("big.bin")}})});
    Home a = home("a", catalog);
    fs::path manifest = fetch_on_a(a, "s3-export");
    std::string mirror = "s3://" + m_bucket + "/team/mirror";

    ProcessResult exported = cxrcat(a, {"mirror", "export", mirror, "s3-export"}, aws_env());
    ASSERT_EQ(exported.exit_code, 0) << exported.describe();
    EXPECT_TRUE(has_text(exported.out, "2 objects uploaded, 0 already there")) << exported.describe();
    EXPECT_FALSE(has_text(exported.out + exported.err, secret_key())) << "the secret was printed";
    EXPECT_FALSE(fs::exists("s3:")) << "an s3:// target must never become a local folder";

    // Read back with s3cmd: the bytes under the content address are the file's.
    fs::path got = m_dir / "got.bin";
    ProcessResult fetched = s3cmd({"get", "--force", mirror + "/sha256/" + sha256_hex(big), got.string()});
    ASSERT_EQ(fetched.exit_code, 0) << fetched.describe();
    EXPECT_EQ(read_text_file(got), big);
    ProcessResult listed = s3cmd({"ls", "--recursive", mirror + "/"});
    ASSERT_EQ(listed.exit_code, 0) << listed.describe();
    EXPECT_TRUE(has_text(listed.out, "team/mirror/index.json")) << listed.out;
    EXPECT_TRUE(has_text(listed.out, "team/mirror/sha256/" + sha256_hex(small))) << listed.out;
    // The large file went as a multipart upload: its ETag is "<md5 of the part md5s>-2" (curl's own signer).
    ProcessResult head = run_process({"curl", "-sI", "--noproxy", "*", "--aws-sigv4",
                                      "aws:amz:" + m_s3.at("region").get<std::string>() + ":s3", "--user",
                                      access_key() + ":" + secret_key(), "-H", "x-amz-content-sha256: UNSIGNED-PAYLOAD",
                                      endpoint() + "/" + m_bucket + "/team/mirror/sha256/" + sha256_hex(big)},
                                     {}, {});
    EXPECT_TRUE(has_text(head.out, "-2\"")) << head.out;

    // Again: every object is already there with the right size, nothing is uploaded.
    ProcessResult again = cxrcat(a, {"mirror", "export", mirror, "s3-export"}, aws_env());
    ASSERT_EQ(again.exit_code, 0) << again.describe();
    EXPECT_TRUE(has_text(again.out, "0 objects uploaded, 2 already there")) << again.describe();

    // A fresh home: frozen to the shared lock, no origin, the bucket as its only mirror.
    int before = origin_requests();
    Home b = home("b", catalog);
    ProcessResult synced = cxrcat(
        b, {"sync", "--frozen", "--no-origin", "--accept-terms", "--manifest", manifest.string(), "--mirror", mirror},
        aws_env());
    ASSERT_EQ(synced.exit_code, 0) << synced.describe();
    EXPECT_EQ(read_text_file(b.dataset("s3-export") / "small.bin"), small);
    EXPECT_EQ(read_text_file(b.dataset("s3-export") / "dir/big.bin"), big);
    EXPECT_EQ(origin_requests(), before) << "the origin was contacted";
    EXPECT_FALSE(has_text(synced.out + synced.err, secret_key())) << "the secret was printed";
}

TEST_F(S3Test, WrongSecretIsExit4NamingTheVariableNeverTheSecret) {
    make_bucket();
    serve("a.bin", s3_random_content(1000, 3));
    fs::path catalog = write_catalog({http_dataset("s3-wrong", {{"a.bin", origin_url("a.bin")}})});
    Home a = home("a", catalog);
    fetch_on_a(a, "s3-wrong");
    std::string wrong = "wrong-" + secret_key();
    ProcessResult result = cxrcat(a, {"mirror", "export", "s3://" + m_bucket + "/m", "s3-wrong"}, aws_env(wrong));
    EXPECT_EQ(result.exit_code, 4) << result.describe();
    EXPECT_TRUE(has_text(result.err, "SignatureDoesNotMatch")) << result.describe();
    EXPECT_TRUE(has_text(result.err, "AWS_SECRET_ACCESS_KEY")) << "which variable was used\n" << result.describe();
    EXPECT_FALSE(has_text(result.out + result.err, wrong)) << "the secret was printed";
    EXPECT_FALSE(has_text(result.out + result.err, access_key())) << "the key id is shown masked only";
    // Nothing was written.
    ProcessResult listed = s3cmd({"ls", "--recursive", "s3://" + m_bucket + "/"});
    EXPECT_EQ(listed.out, "") << listed.describe();
}

TEST_F(S3Test, MissingBucketIsExit3) {
    serve("a.bin", s3_random_content(1000, 4));
    fs::path catalog = write_catalog({http_dataset("s3-nobucket", {{"a.bin", origin_url("a.bin")}})});
    Home a = home("a", catalog);
    fetch_on_a(a, "s3-nobucket");
    ProcessResult result = cxrcat(a, {"mirror", "export", "s3://" + m_bucket + "/m", "s3-nobucket"}, aws_env());
    EXPECT_EQ(result.exit_code, 3) << result.describe();
    EXPECT_TRUE(has_text(result.err, "no such bucket: " + m_bucket)) << result.describe();
}

TEST_F(S3Test, ExportKeepsTheRedistributionPolicy) {
    make_bucket();
    serve("a.bin", s3_random_content(1000, 5));
    fs::path catalog = write_catalog({http_dataset("s3-nodist", {{"a.bin", origin_url("a.bin")}}, "forbidden")});
    Home a = home("a", catalog);
    fetch_on_a(a, "s3-nodist");
    ProcessResult refused = cxrcat(a, {"mirror", "export", "s3://" + m_bucket + "/m", "s3-nodist"}, aws_env());
    EXPECT_EQ(refused.exit_code, 4) << refused.describe();
    EXPECT_TRUE(has_text(refused.err, "forbid redistribution")) << refused.describe();
    ProcessResult internal =
        cxrcat(a, {"mirror", "export", "--internal", "s3://" + m_bucket + "/m", "s3-nodist"}, aws_env());
    ASSERT_EQ(internal.exit_code, 0) << internal.describe();
    ProcessResult listed = s3cmd({"ls", "--recursive", "s3://" + m_bucket + "/m/"});
    EXPECT_TRUE(has_text(listed.out, "m/NOTICE.txt")) << listed.describe();
}

TEST_F(S3Test, RequesterPaysHeaderIsSentToAnS3Mirror) {
    // nginx as the S3 endpoint (path-style: ENDPOINT/BUCKET/KEY), where its access log shows the header.
    std::string bytes = s3_random_content(2048, 6);
    serve("a.bin", bytes);
    fs::path catalog = write_catalog({http_dataset("s3-payer", {{"a.bin", origin_url("a.bin")}})});
    Home a = home("a", catalog);
    fs::path manifest = fetch_on_a(a, "s3-payer");
    ProcessResult exported = cxrcat(a, {"mirror", "export", (m_www / m_name / "pays" / "m").string()});
    ASSERT_EQ(exported.exit_code, 0) << exported.describe();
    Home b = home("b", catalog);
    auto env = aws_env();
    env["AWS_ENDPOINT_URL"] = m_http + "/files/" + m_name;
    ProcessResult synced = cxrcat(b,
                                  {"sync", "--frozen", "--no-origin", "--accept-terms", "--manifest", manifest.string(),
                                   "--mirror", "s3://pays/m", "--request-payer"},
                                  env);
    ASSERT_EQ(synced.exit_code, 0) << synced.describe();
    EXPECT_EQ(read_text_file(b.dataset("s3-payer") / "a.bin"), bytes);
    std::ifstream log(m_access_log);
    std::string line;
    int seen = 0;
    while (std::getline(log, line)) {
        json entry = json::parse(line, nullptr, false);
        if (!entry.is_discarded() &&
            entry.value("path", "") == "/files/" + m_name + "/pays/m/sha256/" + sha256_hex(bytes)) {
            EXPECT_EQ(entry.value("x_amz_request_payer", ""), "requester") << line;
            ++seen;
        }
    }
    EXPECT_GT(seen, 0) << "the mirror was never asked";
}

} // namespace
} // namespace cxrcat::test
