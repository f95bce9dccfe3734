// SPDX-License-Identifier: Apache-2.0
// Open datasets end to end over plain HTTP and HTTPS: install, terms, recorded digests for files
// without a published checksum, reruns without network I/O, --dry-run and progress output.
#include "archive_builder.hpp"
#include "cxrcat/base/digest.hpp"
#include "integration_test.hpp"

namespace cxrcat::test {
namespace {

class FetchHttp : public IntegrationTest {
  protected:
    // Serves 3 MiB as name at 2 MB/s (about a second, so that periodic progress events appear too) and
    // fetches t1 with --progress `progress`; the bytes served go to data.
    ProcessResult fetch_slowly(const std::string& name, const std::string& progress, std::string& data) {
        data = random_bytes(3 * k_mib);
        serve(name, data);
        write_catalog({{name, nginx_url("slow", name, "rate=2m"), data.size(), sha256_hex(data)}});
        return cxrcat({"fetch", "t1", "--accept-terms", "--progress", progress});
    }
};

TEST_F(FetchHttp, InstallsOpenDatasetOverHttp) {
    std::string a = random_bytes(300'003);
    std::string b = random_bytes(1'500'000);
    serve("a.bin", a);
    serve("sub/b.bin", b);
    write_catalog({{"a.bin", nginx_url("files", "a.bin"), a.size(), sha256_hex(a)},
                   {"sub/b.bin", nginx_url("files", "sub/b.bin"), b.size(), sha256_hex(b)}});

    auto result = cxrcat({"fetch", "t1", "--accept-terms", "--format", "json"});
    ASSERT_EQ(result.exit_code, 0) << result.describe();
    EXPECT_EQ(read_text_file(installed("a.bin")), a);
    EXPECT_EQ(read_text_file(installed("sub/b.bin")), b);
    EXPECT_FALSE(fs::exists(part_of("a.bin")));
    EXPECT_FALSE(fs::exists(part_of("sub/b.bin")));

    auto json = stdout_json(result);
    ASSERT_EQ(json["files"].size(), 2U) << result.out;
    for (const auto& file : json["files"]) {
        EXPECT_EQ(file["status"], "downloaded") << file.dump();
        EXPECT_EQ(file["error"], nullptr);
    }
    EXPECT_EQ(json["summary"]["downloaded"], 2);
    EXPECT_EQ(json["exit_code"], 0);
    auto state = state_json();
    EXPECT_EQ(state["files"]["a.bin"]["digests"]["sha256"], sha256_hex(a));
    EXPECT_EQ(state["files"]["sub/b.bin"]["size"], b.size());
}

TEST_F(FetchHttp, HttpsIsRefusedWithoutTheCaAndAcceptedWithIt) {
    std::string data = random_bytes(200'000);
    serve("tls.bin", data);
    write_catalog({{"tls.bin", nginx_https_url("tls.bin"), data.size(), sha256_hex(data)}});

    auto refused = cxrcat({"fetch", "t1", "--accept-terms"});
    EXPECT_EQ(refused.exit_code, 6) << refused.describe();
    EXPECT_THAT(refused.err, HasSubstr("certificate")) << refused.describe();
    EXPECT_THAT(refused.err, HasSubstr("--cacert")) << refused.describe();
    EXPECT_FALSE(fs::exists(installed("tls.bin")));
    EXPECT_FALSE(fs::exists(part_of("tls.bin")));

    auto with_option = cxrcat({"fetch", "t1", "--cacert", servers().ca_cert.string()});
    ASSERT_EQ(with_option.exit_code, 0) << with_option.describe();
    EXPECT_EQ(read_text_file(installed("tls.bin")), data);

    // Same again through CURL_CA_BUNDLE, into a fresh home.
    set_cxrcat_home(m_dir / "second-home");
    auto with_env = cxrcat({"fetch", "t1", "--format", "json"}, {{"CURL_CA_BUNDLE", servers().ca_cert.string()}});
    ASSERT_EQ(with_env.exit_code, 0) << with_env.describe();
    EXPECT_EQ(read_text_file(installed("tls.bin")), data);
    EXPECT_EQ(stdout_json(with_env)["files"][0]["status"], "downloaded");
}

// Like Montgomery: one zip, no published checksum, unpacked in place.
TEST_F(FetchHttp, ArchiveWithoutPublishedDigestIsRecordedThenEnforced) {
    std::string left = random_bytes(50'000);
    std::string right = random_bytes(70'000);
    std::string notes = "id,finding\n1,normal\n";
    fs::path zip = m_dir / "montgomery.zip";
    build_archive(zip, ArchiveFormat::zip_stored,
                  {entry_file("MontgomerySet/CXR_png/MCUCXR_0001_0.png", left),
                   entry_file("MontgomerySet/CXR_png/MCUCXR_0002_1.png", right),
                   entry_file("MontgomerySet/NLM-MontgomeryCXRSet-ReadMe.csv", notes)});
    std::string bytes = read_text_file(zip);
    serve("NLM-MontgomeryCXRSet.zip", bytes);
    CatalogFile file{"NLM-MontgomeryCXRSet.zip", nginx_url("files", "NLM-MontgomeryCXRSet.zip"), std::nullopt,
                     std::nullopt, true};
    write_catalog({file});

    auto first = cxrcat({"fetch", "t1", "--accept-terms"});
    ASSERT_EQ(first.exit_code, 0) << first.describe();
    EXPECT_EQ(read_text_file(installed("MontgomerySet/CXR_png/MCUCXR_0001_0.png")), left);
    EXPECT_EQ(read_text_file(installed("MontgomerySet/CXR_png/MCUCXR_0002_1.png")), right);
    EXPECT_EQ(read_text_file(installed("MontgomerySet/NLM-MontgomeryCXRSet-ReadMe.csv")), notes);
    EXPECT_FALSE(fs::exists(installed("NLM-MontgomeryCXRSet.zip"))) << "the archive is removed after unpacking";
    std::string digest = sha256_hex(bytes);
    EXPECT_THAT(first.out, HasSubstr("no published checksum")) << first.describe();
    EXPECT_THAT(first.out, HasSubstr(digest)) << first.describe();
    EXPECT_THAT(first.out, HasSubstr("extracted 3 files")) << first.describe();
    auto state = state_json();
    EXPECT_EQ(state["recorded_digests"]["NLM-MontgomeryCXRSet.zip"]["sha256"], digest) << state.dump(1);
    EXPECT_TRUE(state["archives"].contains("NLM-MontgomeryCXRSet.zip")) << state.dump(1);

    // The server now sends other bytes of the same size, and one unpacked file was lost locally:
    // the re-download must match the digest recorded the first time.
    std::string changed = bytes;
    changed[changed.size() / 2] = static_cast<char>(~changed[changed.size() / 2]);
    serve("NLM-MontgomeryCXRSet.zip", changed);
    fs::remove(installed("MontgomerySet/CXR_png/MCUCXR_0001_0.png"));
    auto second = cxrcat({"fetch", "t1"});
    EXPECT_EQ(second.exit_code, 5) << second.describe();
    EXPECT_THAT(second.err, HasSubstr("sha256 mismatch")) << second.describe();
    EXPECT_THAT(second.err, HasSubstr(digest)) << second.describe();
    EXPECT_THAT(second.err, HasSubstr("recorded at first download")) << second.describe();
    EXPECT_THAT(second.err, HasSubstr(sha256_hex(changed))) << second.describe();
    // The old install is untouched and nothing of the bad copy is left.
    EXPECT_EQ(read_text_file(installed("MontgomerySet/CXR_png/MCUCXR_0002_1.png")), right);
    EXPECT_EQ(read_text_file(installed("MontgomerySet/NLM-MontgomeryCXRSet-ReadMe.csv")), notes);
    EXPECT_FALSE(fs::exists(installed("MontgomerySet/CXR_png/MCUCXR_0001_0.png")));
    EXPECT_FALSE(fs::exists(installed("NLM-MontgomeryCXRSet.zip")));
    EXPECT_FALSE(fs::exists(part_of("NLM-MontgomeryCXRSet.zip")));
    EXPECT_EQ(state_json()["recorded_digests"]["NLM-MontgomeryCXRSet.zip"]["sha256"], digest);
}

TEST_F(FetchHttp, TermsMustBeAcceptedWithoutATerminal) {
    std::string data = random_bytes(10'000);
    serve("t.bin", data);
    write_catalog({{"t.bin", fault_url("ok", "t.bin"), data.size(), sha256_hex(data)}});

    auto refused = cxrcat({"fetch", "t1"});
    EXPECT_EQ(refused.exit_code, 4) << refused.describe();
    EXPECT_THAT(refused.err, HasSubstr("cxrcat accept t1")) << refused.describe();
    EXPECT_THAT(refused.err, HasSubstr("--accept-terms")) << refused.describe();
    EXPECT_FALSE(fs::exists(installed("t.bin")));
    EXPECT_EQ(fault_requests(fault_path("ok", "t.bin")), 0) << "nothing is downloaded before the terms are accepted";

    auto accepted = cxrcat({"fetch", "t1", "--accept-terms"});
    ASSERT_EQ(accepted.exit_code, 0) << accepted.describe();
    EXPECT_EQ(read_text_file(installed("t.bin")), data);

    // Recorded in the ledger: later runs need no flag.
    auto later = cxrcat({"fetch", "t1"});
    EXPECT_EQ(later.exit_code, 0) << later.describe();
}

TEST_F(FetchHttp, RerunOfInstalledDatasetDoesNoNetworkIo) {
    std::string a = random_bytes(123'457);
    std::string b = random_bytes(2'000);
    serve("a.bin", a);
    serve("b.bin", b);
    write_catalog({{"a.bin", fault_url("ok", "a.bin"), a.size(), sha256_hex(a)},
                   {"b.bin", fault_url("ok", "b.bin"), std::nullopt, std::nullopt}});
    auto first = cxrcat({"fetch", "t1", "--accept-terms", "--format", "json"});
    ASSERT_EQ(first.exit_code, 0) << first.describe();
    int before_a = fault_requests(fault_path("ok", "a.bin"));
    int before_b = fault_requests(fault_path("ok", "b.bin"));
    EXPECT_EQ(before_a, 1);
    EXPECT_EQ(before_b, 1);

    auto started = std::chrono::steady_clock::now();
    auto rerun = cxrcat({"fetch", "t1", "--format", "json"});
    auto elapsed = std::chrono::steady_clock::now() - started;
    ASSERT_EQ(rerun.exit_code, 0) << rerun.describe();
    auto json = stdout_json(rerun);
    ASSERT_EQ(json["files"].size(), 2U);
    for (const auto& file : json["files"]) {
        EXPECT_EQ(file["status"], "skipped") << file.dump();
        EXPECT_EQ(file["bytes_received"], 0) << file.dump();
    }
    EXPECT_EQ(json["summary"]["skipped"], 2);
    EXPECT_EQ(fault_requests(fault_path("ok", "a.bin")), before_a);
    EXPECT_EQ(fault_requests(fault_path("ok", "b.bin")), before_b);
    // Generous bound: it proves nothing was hashed or transferred, not the 50 ms benchmark target.
    EXPECT_LT(elapsed, std::chrono::seconds(5));
}

TEST_F(FetchHttp, DryRunShowsThePlanAndDownloadsNothing) {
    std::string a = random_bytes(4'321);
    serve("a.bin", a);
    serve("b.bin", "b");
    write_catalog({{"a.bin", fault_url("ok", "a.bin"), a.size(), sha256_hex(a)},
                   {"b.bin", fault_url("ok", "b.bin"), std::nullopt, std::nullopt}});

    auto text = cxrcat({"fetch", "t1", "--dry-run"});
    ASSERT_EQ(text.exit_code, 0) << text.describe();
    EXPECT_THAT(text.out, HasSubstr("a.bin")) << text.describe();
    EXPECT_THAT(text.out, HasSubstr("b.bin")) << text.describe();
    EXPECT_THAT(text.out, HasSubstr("4.3 KB")) << text.describe();
    EXPECT_THAT(text.out, HasSubstr("size unknown")) << text.describe();
    EXPECT_THAT(text.out, HasSubstr(dataset_dir().string())) << text.describe();
    EXPECT_THAT(text.out, HasSubstr("free space")) << text.describe();

    auto json_run = cxrcat({"fetch", "t1", "--dry-run", "--format", "json"});
    ASSERT_EQ(json_run.exit_code, 0) << json_run.describe();
    auto json = stdout_json(json_run);
    ASSERT_EQ(json["plans"].size(), 1U) << json_run.out;
    const auto& plan = json["plans"][0];
    EXPECT_EQ(plan["destination"], dataset_dir().string());
    EXPECT_EQ(plan["bytes_to_download"], a.size());
    EXPECT_EQ(plan["unknown_sizes"], 1);
    ASSERT_EQ(plan["files"].size(), 2U);
    EXPECT_EQ(plan["files"][0]["path"], "a.bin");
    EXPECT_EQ(plan["files"][0]["size"], a.size());
    EXPECT_EQ(plan["files"][0]["status"], "to-download");
    EXPECT_TRUE(plan["free_bytes"].is_number()) << plan.dump();

    EXPECT_EQ(fault_requests(fault_path("ok", "a.bin")), 0);
    EXPECT_EQ(fault_requests(fault_path("ok", "b.bin")), 0);
    EXPECT_FALSE(fs::exists(installed("a.bin")));
    EXPECT_FALSE(fs::exists(part_of("a.bin")));
}

TEST_F(FetchHttp, ProgressJsonEmitsOneEventPerLine) {
    std::string data;
    auto result = fetch_slowly("p.bin", "json", data);
    ASSERT_EQ(result.exit_code, 0) << result.describe();
    auto lines = split_lines(result.err);
    ASSERT_FALSE(lines.empty()) << result.describe();
    std::vector<std::string> events;
    for (const auto& line : lines) {
        auto event = nlohmann::json::parse(line, nullptr, false);
        ASSERT_FALSE(event.is_discarded()) << "not JSON: " << line;
        ASSERT_TRUE(event.contains("event")) << line;
        events.push_back(event["event"].get<std::string>());
        if (event["event"] == "finish") {
            EXPECT_EQ(event["status"], "downloaded") << line;
            EXPECT_EQ(event["bytes"], data.size()) << line;
            EXPECT_EQ(event["path"], "p.bin") << line;
        }
    }
    EXPECT_EQ(events.front(), "start");
    EXPECT_EQ(events.back(), "finish");
    EXPECT_THAT(events, ::testing::Contains("progress"));
}

TEST_F(FetchHttp, ProgressAutoIsQuietWhenStderrIsNotATerminal) {
    std::string data;
    auto result = fetch_slowly("q.bin", "auto", data);
    ASSERT_EQ(result.exit_code, 0) << result.describe();
    EXPECT_EQ(result.err.find('\r'), std::string::npos) << result.describe();
    EXPECT_EQ(result.err.find('\x1b'), std::string::npos) << result.describe();
    EXPECT_THAT(result.out, HasSubstr("q.bin"));
    EXPECT_EQ(read_text_file(installed("q.bin")), data);
}

} // namespace
} // namespace cxrcat::test
