// SPDX-License-Identifier: Apache-2.0
// Issue 10: `cxrcat plan` hands the selection to an external engine. Real aria2c (Debian package
// aria2) consumes an aria2 plan against the loopback nginx, and `fetch --from` adopts its downloads.
#include "cxrcat/base/digest.hpp"
#include "integration_test.hpp"

namespace cxrcat::test {
namespace {

class PlanExport : public IntegrationTest {
  protected:
    void serve_three() {
        std::vector<CatalogFile> files;
        for (int i = 0; i < 3; ++i) {
            std::string name = "d/f" + std::to_string(i) + ".bin";
            std::string bytes = random_bytes(20'000 + 1000 * static_cast<std::size_t>(i));
            serve(name, bytes);
            m_names.push_back(name);
            m_bytes.push_back(bytes);
            files.push_back({name, nginx_url("files", name), bytes.size(), sha256_hex(bytes)});
        }
        write_catalog(files);
    }
    std::vector<std::string> m_names;
    std::vector<std::string> m_bytes;
};

TEST_F(PlanExport, Aria2cDownloadsThePlanAndFetchFromAdoptsIt) {
    if (!fs::exists("/usr/bin/aria2c")) {
        GTEST_SKIP() << "aria2c is not installed (Debian package aria2; scripts/install-deps --test)";
    }
    serve_three();
    auto plan = cxrcat({"plan", "t1", "--format", "aria2"});
    ASSERT_EQ(plan.exit_code, 0) << plan.describe();
    EXPECT_THAT(plan.out, HasSubstr("  out=d/f0.bin\n")) << plan.out;
    EXPECT_THAT(plan.out, HasSubstr("  checksum=sha-256=" + sha256_hex(m_bytes[0]))) << plan.out;
    write_text_file(m_dir / "plan.aria2", plan.out);

    fs::path downloads = m_dir / "aria2-downloads";
    auto aria2 = run_process({"/usr/bin/aria2c", "--input-file", (m_dir / "plan.aria2").string(), "--dir",
                              downloads.string(), "--no-conf", "--quiet", "--file-allocation=none",
                              "--allow-overwrite=true", "--auto-file-renaming=false", "--all-proxy="},
                             {}, {"http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "all_proxy"});
    ASSERT_EQ(aria2.exit_code, 0) << aria2.describe();
    for (std::size_t i = 0; i < m_names.size(); ++i) {
        ASSERT_EQ(read_text_file(downloads / m_names[i]), m_bytes[i]) << m_names[i];
    }

    auto adopted = cxrcat({"fetch", "t1", "--accept-terms", "--from", downloads.string(), "--format", "json"});
    ASSERT_EQ(adopted.exit_code, 0) << adopted.describe();
    for (std::size_t i = 0; i < m_names.size(); ++i) {
        EXPECT_EQ(read_text_file(installed(m_names[i])), m_bytes[i]);
        // aria2c's request only: cxrcat adopted the file without asking the server again.
        EXPECT_EQ(access_log("/files/" + served_path(m_names[i])).size(), 1U) << m_names[i];
    }
    auto verify = cxrcat({"verify", "t1"});
    EXPECT_EQ(verify.exit_code, 0) << verify.describe();
    // Installed now: the next plan has nothing left to download.
    auto empty = cxrcat({"plan", "t1", "--format", "urls"});
    ASSERT_EQ(empty.exit_code, 0) << empty.describe();
    EXPECT_EQ(empty.out, "");
}

TEST_F(PlanExport, AdoptingACorruptDownloadInstallsNothing) {
    serve_three();
    fs::path downloads = m_dir / "external";
    write_text_file(downloads / m_names[0], "not the right bytes");
    auto adopted = cxrcat({"fetch", "t1", "--accept-terms", "--from", downloads.string(), "--include", "f0.bin"});
    EXPECT_EQ(adopted.exit_code, 5) << adopted.describe();
    EXPECT_FALSE(fs::exists(installed(m_names[0])));
}

TEST_F(PlanExport, UrlsTsvJsonAndShardsHonourTheSelection) {
    serve_three();
    auto urls = cxrcat({"plan", "t1", "--format", "urls", "--include", "f1.bin"});
    ASSERT_EQ(urls.exit_code, 0) << urls.describe();
    EXPECT_EQ(urls.out, nginx_url("files", "d/f1.bin") + "\n");

    auto tsv = cxrcat({"plan", "t1", "--format", "tsv", "--sample", "1"});
    ASSERT_EQ(tsv.exit_code, 0) << tsv.describe();
    EXPECT_EQ(tsv.out.rfind("TsvHttpData-1.0\n", 0), 0U) << tsv.out;
    EXPECT_EQ(std::count(tsv.out.begin(), tsv.out.end(), '\n'), 2) << tsv.out;

    std::size_t total = 0;
    for (int k = 1; k <= 2; ++k) {
        auto shard = cxrcat({"plan", "t1", "--format", "json", "--shard", std::to_string(k) + "/2"});
        ASSERT_EQ(shard.exit_code, 0) << shard.describe();
        total += stdout_json(shard)["plans"][0]["files"].size();
    }
    EXPECT_EQ(total, 3U);

    auto s5cmd = cxrcat({"plan", "t1", "--format", "s5cmd"});
    EXPECT_EQ(s5cmd.exit_code, 2) << s5cmd.describe();
    EXPECT_THAT(s5cmd.err, HasSubstr("bucket")) << s5cmd.describe();
}

TEST_F(PlanExport, APlanNeverCarriesASecret) {
    std::string bytes = random_bytes(1000);
    serve("secret.bin", bytes);
    std::string url = nginx_url("files", "secret.bin");
    url.insert(url.find("://") + 3, "someone:hunter2-secret@");
    write_catalog({{"secret.bin", url, bytes.size(), sha256_hex(bytes)}});
    for (const char* format : {"aria2", "urls", "tsv"}) {
        auto refused = cxrcat({"plan", "t1", "--format", format});
        EXPECT_EQ(refused.exit_code, 4) << format << ": " << refused.describe();
        EXPECT_THAT(refused.err, HasSubstr("cannot carry")) << refused.describe();
        EXPECT_EQ(refused.out.find("hunter2"), std::string::npos) << refused.out;
        EXPECT_EQ(refused.err.find("hunter2"), std::string::npos) << refused.err;
    }
    auto json = cxrcat({"plan", "t1", "--format", "json"});
    ASSERT_EQ(json.exit_code, 0) << json.describe();
    EXPECT_EQ(json.out.find("hunter2"), std::string::npos) << json.out;
    EXPECT_EQ(stdout_json(json)["plans"][0]["files"][0]["needs_credentials"], "credentials in its URL");
}

} // namespace
} // namespace cxrcat::test
