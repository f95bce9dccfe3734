// SPDX-License-Identifier: Apache-2.0
// The physionet route against the PhysioNet stub: SHA256SUMS.txt as the file list, HTTP Basic auth
// behind the User-Agent gate, and a diagnosis that names the fix for every refusal.
#include "cxrcat/base/digest.hpp"
#include "stub_route_test.hpp"

#include <fstream>
#include <iostream>
#include <set>

namespace cxrcat::test {
namespace {

constexpr const char* k_version = "1.0.0";

class PhysioNetRoute : public StubRouteTest {
  protected:
    void set_up_route() override {
        m_slug = unique("pn");
        m_user = unique("user");
        m_password = "pw-" + random_hex(16);
        m_files = {{"LICENSE.txt", "Test licence\n"},
                   {"files/p10/p10000032/report.txt", "FINDINGS: none\n"},
                   {"files/p10/p10000032/image.bin", random_bytes(70'000)}};
    }

    // Publishes m_slug/version with m_files plus controls (name → content).
    void publish_project(const std::string& version = k_version,
                         const std::map<std::string, std::string>& controls = {}) {
        std::filesystem::path staging = world("physionet") / ("_staging-" + m_slug + "-" + version);
        for (const auto& [path, content] : m_files) {
            write_text_file(staging / path, content);
        }
        for (const auto& [name, content] : controls) {
            write_text_file(staging / name, content);
        }
        std::filesystem::create_directories(world("physionet") / m_slug);
        std::filesystem::rename(staging, world("physionet") / m_slug / version);
    }

    // An account of this test (a drop-in of its own, as the stub README asks).
    void add_account(bool credentialed, const std::vector<std::string>& duas) {
        nlohmann::json users = {{m_user, {{"password", m_password}, {"credentialed", credentialed}, {"dua", duas}}}};
        write_text_file(world("physionet") / "_users.d" / (m_user + ".json"), users.dump());
    }

    std::string add_physionet_dataset(const std::string& version = k_version) {
        std::string id = unique("mimic");
        add_dataset(
            dataset_entry(id, "credentialed", {{"provider", "physionet"}, {"project", m_slug}, {"version", version}}));
        return id;
    }

    [[nodiscard]] std::map<std::string, std::string> with_credentials(const std::string& password = "") const {
        return {{"CXRCAT_PHYSIONET_USER", m_user},
                {"CXRCAT_PHYSIONET_PASSWORD", password.empty() ? m_password : password}};
    }

    [[nodiscard]] std::string dua_fix() const {
        return "sign the data use agreement for " + m_slug + " " + k_version + " at https://physionet.org" +
               "/content/" + m_slug + "/" + k_version + "/ (and complete credentialing/training if not yet done)";
    }

    void expect_installed(const std::string& id) const {
        for (const auto& [path, content] : m_files) {
            EXPECT_EQ(read_text_file(dataset_dir(id) / path), content) << path;
        }
    }

    std::string m_slug;
    std::string m_user;
    std::string m_password;
    std::map<std::string, std::string> m_files;
};

const std::string k_no_credentials_fix =
    "no PhysioNet credentials: set CXRCAT_PHYSIONET_USER and CXRCAT_PHYSIONET_PASSWORD or add `machine 127.0.0.1 "
    "login USER password PASS` to ~/.netrc (chmod 600)";

TEST_F(PhysioNetRoute, ACredentialedUserWithTheDuaChecksAndFetchesEveryListedFile) {
    publish_project();
    add_account(true, {m_slug + "/" + k_version});
    std::string id = add_physionet_dataset();
    ASSERT_EQ(cxrcat({"accept", id}).exit_code, 0);

    auto check = cxrcat({"check", id}, with_credentials());
    EXPECT_EQ(check.exit_code, 0) << check.describe();
    EXPECT_TRUE(has_text(check.out, "physionet: ok — HTTP 206 for SHA256SUMS.txt of " + m_slug));
    EXPECT_TRUE(has_text(check.out, "credential: PhysioNet account for " + m_user +
                                        " from environment CXRCAT_PHYSIONET_USER/CXRCAT_PHYSIONET_PASSWORD (****"));

    auto plan = cxrcat({"fetch", id, "--dry-run", "--format", "json"}, with_credentials());
    ASSERT_EQ(plan.exit_code, 0) << plan.describe();
    auto planned = nlohmann::json::parse(plan.out)["plans"][0]["files"];
    ASSERT_EQ(planned.size(), 3U) << plan.out;
    EXPECT_EQ(planned[0]["digest_origin"], "from PhysioNet SHA256SUMS.txt of " + m_slug + " " + k_version);
    EXPECT_EQ(planned[0]["digests"]["sha256"].get<std::string>().size(), 64U);
    EXPECT_TRUE(planned[0]["size"].is_null()); // SHA256SUMS.txt gives no sizes

    auto fetch = cxrcat({"fetch", id}, with_credentials());
    ASSERT_EQ(fetch.exit_code, 0) << fetch.describe();
    expect_installed(id);
}

// Regression for the User-Agent gate: PhysioNet ignores Basic credentials unless the User-Agent
// starts with Wget/ or libwfdb/, and the stub answers 403 to anything else even with valid
// credentials. If cxrcat sent its own UA anywhere (listing, probe or download), this test fails.
TEST_F(PhysioNetRoute, EveryRequestCarriesAWgetUserAgentAndTheCredentials) {
    publish_project();
    add_account(true, {m_slug + "/" + k_version});
    std::string id = add_physionet_dataset();
    ASSERT_EQ(cxrcat({"check", id}, with_credentials()).exit_code, 4); // terms not accepted yet: exit 4, probe ran
    auto fetch = cxrcat({"fetch", id, "--accept-terms"}, with_credentials());
    ASSERT_EQ(fetch.exit_code, 0) << fetch.describe();

    std::string prefix = "/files/" + m_slug + "/" + k_version + "/";
    std::vector<std::string> paths{prefix + "SHA256SUMS.txt"};
    for (const auto& [path, content] : m_files) {
        paths.push_back(prefix + path);
    }
    for (const auto& path : paths) {
        auto seen = stats("physionet", path);
        ASSERT_GE(seen.value("requests", 0), 1) << path;
        for (const auto& request : seen["log"]) {
            EXPECT_EQ(request["user_agent"].get<std::string>().rfind("Wget/", 0), 0U) << request.dump();
            EXPECT_EQ(request["auth_scheme"], "Basic") << request.dump();
            EXPECT_EQ(request["status"].get<int>() / 100, 2) << request.dump();
        }
    }
    // The probe and the listing both asked for SHA256SUMS.txt; the probe asked for one byte.
    EXPECT_EQ(stats("physionet", prefix + "SHA256SUMS.txt")["ranges"], nlohmann::json::array({"bytes=0-0"}));
}

TEST_F(PhysioNetRoute, WithoutCredentialsTheMessageSaysWhereToPutThem) {
    publish_project();
    std::string id = add_physionet_dataset();
    ASSERT_EQ(cxrcat({"accept", id}).exit_code, 0);

    auto fetch = cxrcat({"fetch", id});
    EXPECT_EQ(fetch.exit_code, 4) << fetch.describe();
    EXPECT_TRUE(has_text(fetch.err, "PhysioNet wants credentials for " + m_slug + " " + k_version + " (HTTP 401)"));
    EXPECT_TRUE(has_text(fetch.err, k_no_credentials_fix));

    auto check = cxrcat({"check", id});
    EXPECT_EQ(check.exit_code, 4) << check.describe();
    EXPECT_TRUE(has_text(check.out, "physionet: no-credentials"));
    EXPECT_TRUE(has_text(check.out, "fix: " + k_no_credentials_fix));
}

TEST_F(PhysioNetRoute, AWrongPasswordIsReportedWithWhereItCameFrom) {
    publish_project();
    add_account(true, {m_slug + "/" + k_version});
    std::string id = add_physionet_dataset();
    ASSERT_EQ(cxrcat({"accept", id}).exit_code, 0);
    std::string refused = "PhysioNet refused the username or password (from environment "
                          "CXRCAT_PHYSIONET_USER/CXRCAT_PHYSIONET_PASSWORD)";

    auto fetch = cxrcat({"fetch", id}, with_credentials("not-" + m_password));
    EXPECT_EQ(fetch.exit_code, 4) << fetch.describe();
    EXPECT_TRUE(has_text(fetch.err, refused));

    auto check = cxrcat({"check", id}, with_credentials("not-" + m_password));
    EXPECT_EQ(check.exit_code, 4) << check.describe();
    EXPECT_TRUE(has_text(check.out, "physionet: credentials-refused — " + refused));
}

TEST_F(PhysioNetRoute, CredentialsFromNetrcAreUsed) {
    publish_project();
    add_account(true, {m_slug + "/" + k_version});
    std::string id = add_physionet_dataset();
    std::filesystem::path netrc = m_dir / "home" / ".netrc";
    write_text_file(netrc, "machine example.org login other password other\nmachine 127.0.0.1 login " + m_user +
                               " password " + m_password + "\n");
    std::filesystem::permissions(netrc, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);

    auto fetch = cxrcat({"fetch", id, "--accept-terms"});
    ASSERT_EQ(fetch.exit_code, 0) << fetch.describe();
    expect_installed(id);
    auto check = cxrcat({"check", id});
    EXPECT_EQ(check.exit_code, 0) << check.describe();
    EXPECT_TRUE(has_text(check.out, "credential: PhysioNet account for " + m_user + " from file " + netrc.string() +
                                        " (machine 127.0.0.1)"));
}

TEST_F(PhysioNetRoute, WithoutTheSignedDuaTheMessageNamesTheProjectPage) {
    publish_project();
    add_account(true, {m_slug + "/0.9.0"}); // signed for another version only
    std::string id = add_physionet_dataset();
    ASSERT_EQ(cxrcat({"accept", id}).exit_code, 0);

    auto fetch = cxrcat({"fetch", id}, with_credentials());
    EXPECT_EQ(fetch.exit_code, 4) << fetch.describe();
    EXPECT_TRUE(
        has_text(fetch.err, "PhysioNet denied " + m_user + " access to " + m_slug + " " + k_version + " (HTTP 403)"));
    EXPECT_TRUE(has_text(fetch.err, dua_fix()));

    auto check = cxrcat({"check", id}, with_credentials());
    EXPECT_EQ(check.exit_code, 4) << check.describe();
    EXPECT_TRUE(has_text(check.out, "physionet: not-accepted"));
    EXPECT_TRUE(has_text(check.out, "fix: " + dua_fix()));
}

TEST_F(PhysioNetRoute, ALoginPageInsteadOfDataMeansTheDua) {
    // The listing is served, the data files come back as a 200 HTML login page.
    publish_project(k_version, {{"_html_login", "files/*\n"}});
    add_account(true, {m_slug + "/" + k_version});
    std::string id = add_physionet_dataset();

    auto fetch = cxrcat({"fetch", id, "--accept-terms", "--include", "files/*"}, with_credentials());
    EXPECT_EQ(fetch.exit_code, 4) << fetch.describe();
    EXPECT_TRUE(has_text(fetch.err, "the server sent a web page"));
    EXPECT_TRUE(has_text(fetch.err, "PhysioNet denied " + m_user + " access to " + m_slug + " " + k_version +
                                        " (a login page instead of data)"));
    EXPECT_TRUE(has_text(fetch.err, dua_fix()));
    EXPECT_FALSE(std::filesystem::exists(dataset_dir(id) / "files/p10/p10000032/report.txt"));

    // The same page for the listing itself.
    write_text_file(world("physionet") / m_slug / k_version / "_html_login", "");
    auto check = cxrcat({"check", id}, with_credentials());
    EXPECT_EQ(check.exit_code, 4) << check.describe();
    EXPECT_TRUE(has_text(check.out, "fix: " + dua_fix()));
}

TEST_F(PhysioNetRoute, AnUnknownVersionIsNotFound) {
    publish_project();
    add_account(true, {m_slug + "/" + k_version});
    std::string id = add_physionet_dataset("9.9.9");

    auto fetch = cxrcat({"fetch", id, "--accept-terms"}, with_credentials());
    EXPECT_EQ(fetch.exit_code, 3) << fetch.describe();
    EXPECT_TRUE(has_text(fetch.err, "PhysioNet project " + m_slug + " version 9.9.9 not found"));
    // A link for a person: the public site, though the API endpoint is the stub.
    EXPECT_TRUE(has_text(fetch.err, "https://physionet.org/content/" + m_slug + "/"));
    EXPECT_FALSE(has_text(fetch.err, base("physionet") + "/content/")) << fetch.describe();
}

TEST_F(PhysioNetRoute, AFileThatDoesNotMatchSha256sumsIsNotInstalled) {
    std::string wrong(64, '0');
    publish_project(k_version);
    // A published SHA256SUMS.txt replaces the generated one; one of its digests is wrong.
    std::string sums;
    auto generated = run_process(
        {"/usr/bin/python3", "-c",
         "import hashlib, sys\n"
         "for p in sys.argv[2:]:\n"
         "    print(hashlib.sha256(open(sys.argv[1] + '/' + p, 'rb').read()).hexdigest(), p)\n",
         (world("physionet") / m_slug / k_version).string(), "LICENSE.txt", "files/p10/p10000032/image.bin"},
        {});
    ASSERT_EQ(generated.exit_code, 0) << generated.describe();
    sums = generated.out + wrong + " files/p10/p10000032/report.txt\n";
    write_text_file(world("physionet") / m_slug / k_version / "SHA256SUMS.txt", sums);
    add_account(true, {m_slug + "/" + k_version});
    std::string id = add_physionet_dataset();

    auto fetch = cxrcat({"fetch", id, "--accept-terms", "--retries", "0"}, with_credentials());
    EXPECT_EQ(fetch.exit_code, 5) << fetch.describe();
    EXPECT_TRUE(has_text(fetch.err, "files/p10/p10000032/report.txt: sha256 mismatch"));
    EXPECT_TRUE(has_text(fetch.err, "expected " + wrong + " (from PhysioNet SHA256SUMS.txt of " + m_slug));
    EXPECT_FALSE(std::filesystem::exists(dataset_dir(id) / "files/p10/p10000032/report.txt"));
    EXPECT_EQ(read_text_file(dataset_dir(id) / "LICENSE.txt"), m_files["LICENSE.txt"]); // the others verified
}

TEST_F(PhysioNetRoute, APathLeavingTheProjectInSha256sumsIsRefused) {
    publish_project(k_version, {});
    write_text_file(world("physionet") / m_slug / k_version / "SHA256SUMS.txt",
                    std::string(64, 'a') + " LICENSE.txt\n" + std::string(64, 'b') + " ../../escape.txt\n");
    add_account(true, {m_slug + "/" + k_version});
    std::string id = add_physionet_dataset();

    auto fetch = cxrcat({"fetch", id, "--accept-terms"}, with_credentials());
    EXPECT_EQ(fetch.exit_code, 5) << fetch.describe();
    EXPECT_TRUE(has_text(fetch.err, "SHA256SUMS.txt of PhysioNet " + m_slug + " " + k_version +
                                        ", line 2: refusing the path '../../escape.txt'"));
    EXPECT_FALSE(std::filesystem::exists(dataset_dir(id) / "LICENSE.txt"));
}

TEST_F(PhysioNetRoute, AnOpenProjectNeedsNoCredentials) {
    publish_project(k_version, {{"_open", ""}});
    std::string id = add_physionet_dataset();
    ASSERT_EQ(cxrcat({"accept", id}).exit_code, 0);

    auto check = cxrcat({"check", id});
    EXPECT_EQ(check.exit_code, 0) << check.describe();
    EXPECT_TRUE(has_text(check.out, "(open access: no credentials needed)"));
    auto fetch = cxrcat({"fetch", id, "--include", "*.txt"});
    ASSERT_EQ(fetch.exit_code, 0) << fetch.describe();
    EXPECT_TRUE(std::filesystem::exists(dataset_dir(id) / "files/p10/p10000032/report.txt"));
    EXPECT_FALSE(std::filesystem::exists(dataset_dir(id) / "files/p10/p10000032/image.bin")); // --include
    auto listing = stats("physionet", "/files/" + m_slug + "/" + k_version + "/SHA256SUMS.txt");
    EXPECT_EQ(listing.value("authorization", -1), 0) << listing.dump();
}

// The secret test: authenticated runs with --verbose, successful and failing, and the
// password appears nowhere: not on stdout or stderr, not in any file cxrcat wrote.
TEST_F(PhysioNetRoute, AVerboseAuthenticatedRunNeverShowsThePassword) {
    publish_project();
    add_account(true, {m_slug + "/" + k_version});
    std::string id = add_physionet_dataset();
    std::string unsigned_id = unique("vindr");
    std::string other_slug = unique("pn");
    std::swap(m_slug, other_slug);
    publish_project(); // a project this account has no DUA for
    std::swap(m_slug, other_slug);
    add_dataset(dataset_entry(unsigned_id, "credentialed",
                              {{"provider", "physionet"}, {"project", other_slug}, {"version", k_version}}));

    std::vector<ProcessResult> runs;
    runs.push_back(cxrcat({"--verbose", "check", id, unsigned_id}, with_credentials()));
    runs.push_back(cxrcat({"--verbose", "check", id, "--format", "json"}, with_credentials()));
    runs.push_back(cxrcat({"--verbose", "fetch", id, "--accept-terms"}, with_credentials()));
    runs.push_back(cxrcat({"--verbose", "fetch", id, "--format", "json"}, with_credentials()));
    runs.push_back(cxrcat({"--verbose", "fetch", unsigned_id, "--accept-terms"}, with_credentials()));
    runs.push_back(cxrcat({"--verbose", "fetch", id, "--dry-run", "--format", "json"}, with_credentials()));
    runs.push_back(cxrcat({"--verbose", "fetch", id, "--accept-terms"}, with_credentials("not-" + m_password)));
    runs.push_back(cxrcat({"--verbose", "doctor"}, with_credentials()));
    ASSERT_EQ(runs[2].exit_code, 0) << runs[2].describe();
    ASSERT_EQ(runs[4].exit_code, 4) << runs[4].describe();
    for (const auto& run : runs) {
        EXPECT_EQ(run.out.find(m_password), std::string::npos) << run.out;
        EXPECT_EQ(run.err.find(m_password), std::string::npos) << run.err;
    }
    auto written = files_under(m_dir.path());
    EXPECT_GT(written.count("cxrcat-home/datasets/" + id + "/LICENSE.txt"), 0U);
    for (const auto& [path, content] : written) {
        EXPECT_EQ(content.find(m_password), std::string::npos) << path;
    }
}

TEST_F(PhysioNetRoute, TheRootListingNamesEveryFileRecursivelyInNoParticularOrder) {
    // MIMIC-CXR-JPG 2.1.0 ships IMAGE_FILENAMES beside the listing; the stub's SHA256SUMS.txt comes
    // in reverse byte order and never lists itself.
    m_files["IMAGE_FILENAMES"] = "files/p10/p10000032/image.bin\n";
    publish_project();
    add_account(true, {m_slug + "/" + k_version});
    std::string id = add_physionet_dataset();

    auto plan = cxrcat({"fetch", id, "--dry-run", "--format", "json"}, with_credentials());
    ASSERT_EQ(plan.exit_code, 0) << plan.describe();
    std::set<std::string> planned;
    auto document = nlohmann::json::parse(plan.out); // outlives the loop below
    for (const auto& file : document["plans"][0]["files"]) {
        planned.insert(file["path"].get<std::string>());
    }
    std::set<std::string> expected;
    for (const auto& [path, content] : m_files) {
        expected.insert(path);
    }
    EXPECT_EQ(planned, expected); // files/p10/... included, SHA256SUMS.txt not

    auto fetch = cxrcat({"fetch", id, "--accept-terms", "--include", "files/p10/*"}, with_credentials());
    ASSERT_EQ(fetch.exit_code, 0) << fetch.describe();
    EXPECT_EQ(read_text_file(dataset_dir(id) / "files/p10/p10000032/image.bin"),
              m_files["files/p10/p10000032/image.bin"]);
    EXPECT_FALSE(std::filesystem::exists(dataset_dir(id) / "IMAGE_FILENAMES"));
    EXPECT_FALSE(std::filesystem::exists(dataset_dir(id) / "LICENSE.txt"));
}

TEST_F(PhysioNetRoute, AListedFileMissingFromTheListingFailsAloneWithThePublicLink) {
    publish_project();
    add_account(true, {m_slug + "/" + k_version});
    std::string id = unique("mimic");
    add_dataset(
        dataset_entry(id, "credentialed",
                      {{"provider", "physionet"},
                       {"project", m_slug},
                       {"version", k_version},
                       {"files", nlohmann::json::array({{{"path", "LICENSE.txt"}}, {{"path", "gone.csv.gz"}}})}}));

    auto fetch = cxrcat({"fetch", id, "--accept-terms"}, with_credentials());
    EXPECT_EQ(fetch.exit_code, 3) << fetch.describe();
    EXPECT_TRUE(has_text(fetch.err, "lacks files the catalog lists: gone.csv.gz"));
    EXPECT_TRUE(has_text(fetch.err, "see https://physionet.org/content/" + m_slug + "/" + k_version + "/"));
    EXPECT_TRUE(has_text(fetch.err, "the catalog entry needs updating"));
    expect_installed(id); // every file the listing has
}

// Peak RSS of a fetch of three files of a MIMIC-CXR-JPG-sized listing (377,110 lines, ~54 MB): the
// listing streams through the parser, so memory must not follow its size. A memory bound, measured
// by the kernel (getrusage of the child), not a timing: what the fetch adds to the peak of the same
// binary that only loads the catalog.
TEST_F(PhysioNetRoute, ThreeFilesOfAHugeListingFetchWithinABoundedMemory) {
    constexpr std::size_t k_lines = 377'110;
    constexpr long k_max_growth_kib = 32L * 1024;
    // Payloads of the kind their names say (fetch sniffs them): JPEG and gzip magic bytes first.
    m_files = {{"files/p10/p10000032/s50414267/a.jpg", "\xFF\xD8\xFF" + random_bytes(5000)},
               {"files/p15/p15000001/s50000001/b.jpg", "\xFF\xD8\xFF" + random_bytes(6000)},
               {"mimic-cxr-2.0.0-metadata.csv.gz", "\x1f\x8b" + random_bytes(7000)}};
    publish_project();
    std::filesystem::path root = world("physionet") / m_slug / k_version;
    {
        // Written in place of the stub's generated listing: real files for the three, made-up
        // lines (never fetched) for the rest, in no sorted order.
        std::ofstream out(root / "SHA256SUMS.txt", std::ios::binary);
        std::mt19937_64 random(42);
        auto hex64 = [&random] {
            static constexpr std::string_view k_digits = "0123456789abcdef";
            std::string text(64, '0');
            for (auto& c : text) {
                c = k_digits[random() % 16];
            }
            return text;
        };
        std::size_t written = 0;
        for (const auto& [path, content] : m_files) {
            for (std::size_t i = 0; i < (k_lines - m_files.size()) / m_files.size(); ++i, ++written) {
                out << hex64() << " files/p1" << (written % 10) << "/p1" << (9'000'000 - written) << "/s5"
                    << (10'000'000 + written) << "/" << hex64().substr(0, 36) << ".jpg\n";
            }
            Hasher hasher(DigestAlgorithm::sha256);
            hasher.update(content);
            out << hasher.finish_hex() << " " << path << "\n";
            ++written;
        }
        for (; written < k_lines; ++written) {
            out << hex64() << " IMAGE_FILENAMES_" << written << "\n";
        }
    }
    add_account(true, {m_slug + "/" + k_version});
    std::string id = add_physionet_dataset();
    ASSERT_EQ(cxrcat({"accept", id}).exit_code, 0);

    // The child's own peak, from the kernel. ASan's quarantine of freed blocks (256 MB by default) is
    // the sanitizer's memory, not cxrcat's: it is kept small for this measurement.
    m_launcher = {"/usr/bin/python3", "-c",
                  "import resource, subprocess, sys\n"
                  "code = subprocess.run(sys.argv[1:]).returncode\n"
                  "print('maxrss_kib=%d' % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)\n"
                  "sys.exit(code)\n"};
    std::map<std::string, std::string> env = with_credentials();
    const char* asan = std::getenv("ASAN_OPTIONS"); // NOLINT(concurrency-mt-unsafe): read before threads start
    env["ASAN_OPTIONS"] =
        std::string(asan != nullptr ? asan : "") + (asan != nullptr && *asan ? ":" : "") + "quarantine_size_mb=8";
    auto peak_kib = [&](const std::vector<std::string>& args, ProcessResult& result) {
        result = cxrcat(args, env);
        std::size_t at = result.err.rfind("maxrss_kib=");
        return at == std::string::npos ? -1L : std::stol(result.err.substr(at + 11));
    };
    // The same binary's peak when it loads the catalog and fetches nothing: in this sanitizer build
    // that alone is ~120 MiB (shadow memory, the instrumented binary), so the bound is on what the
    // fetch adds to it. The release binary's absolute peak is measured by bench/run_benchmarks.sh.
    ProcessResult baseline;
    long baseline_kib = peak_kib({"list", "--format", "ids"}, baseline);
    ASSERT_EQ(baseline.exit_code, 0) << baseline.describe();
    std::vector<std::string> args{"fetch", id};
    for (const auto& [path, content] : m_files) {
        args.insert(args.end(), {"--include", path});
    }
    ProcessResult fetch;
    long rss_kib = peak_kib(args, fetch);
    m_launcher.clear();
    ASSERT_EQ(fetch.exit_code, 0) << fetch.describe();
    expect_installed(id);
    ASSERT_GT(rss_kib, 0) << fetch.describe();
    ASSERT_GT(baseline_kib, 0) << baseline.describe();
    std::cerr << "peak RSS of the fetch: " << rss_kib / 1024 << " MiB (catalog only: " << baseline_kib / 1024
              << " MiB)\n";
    // Holding the 54 MB listing once, or its parsed lines, would add far more than this.
    EXPECT_LE(rss_kib - baseline_kib, k_max_growth_kib) << "peak RSS " << rss_kib << " KiB";
}

} // namespace
} // namespace cxrcat::test

namespace cxrcat::test {
namespace {

// MIMIC-CXR-JPG's label tables in their distributed shape (labels-facts.md §1.4: metadata, split and
// chexpert columns; values 1.0 / 0.0 / -1.0 / empty), gzip-compressed by gzip itself as PhysioNet
// serves them.
std::string gzipped(const std::string& text) {
    ProcessResult gzip = start_process({"gzip", "-c", "-n"}, {}, {}, text).wait();
    EXPECT_EQ(gzip.exit_code, 0) << gzip.describe();
    return gzip.out;
}

std::string mimic_image(const std::string& subject, const std::string& study, const std::string& dicom) {
    return "files/p" + subject.substr(0, 2) + "/p" + subject + "/s" + study + "/" + dicom + ".jpg";
}

TEST_F(PhysioNetRoute, LabelSelectionFetchesTheLabelFilesThenOnlyThePaImagesWithAPneumothorax) {
    const std::string metadata_header = "dicom_id,subject_id,study_id,PerformedProcedureStepDescription,ViewPosition,"
                                        "Rows,Columns,StudyDate,StudyTime,ProcedureCodeSequence_CodeMeaning,"
                                        "ViewCodeSequence_CodeMeaning,PatientOrientationCodeSequence_CodeMeaning\n";
    struct Image {
        std::string dicom, subject, study, view;
    };
    // a: PA + pneumothorax; b: its study's lateral; c: PA, negative; d: PA, uncertain; e: a pneumothorax
    // whose ViewPosition is empty.
    const std::vector<Image> images{{"aaaaaaaa-00000001", "10000032", "50414267", "PA"},
                                    {"bbbbbbbb-00000002", "10000032", "50414267", "LATERAL"},
                                    {"cccccccc-00000003", "10000032", "53189527", "PA"},
                                    {"dddddddd-00000004", "10000764", "57375967", "PA"},
                                    {"eeeeeeee-00000005", "10000898", "50771383", ""}};
    std::string metadata = metadata_header;
    std::string split = "dicom_id,study_id,subject_id,split\n";
    for (const Image& image : images) {
        metadata += image.dicom + "," + image.subject + "," + image.study + ",CHEST (PA AND LAT)," + image.view +
                    ",3056,2544,21800506,213014.531,CHEST (PA AND LAT),,\n";
        split += image.dicom + "," + image.study + "," + image.subject + ",train\n";
        // Bytes that start as a JPEG does (SOI + APP0), which the payload check looks for.
        m_files[mimic_image(image.subject, image.study, image.dicom)] = "\xFF\xD8\xFF\xE0" + random_bytes(4000);
    }
    // e's ViewPosition is empty (MIMIC has 15,769 such rows): `view=PA` must not select it.
    const std::string chexpert =
        "subject_id,study_id,Atelectasis,Cardiomegaly,Consolidation,Edema,Enlarged Cardiomediastinum,Fracture,"
        "Lung Lesion,Lung Opacity,No Finding,Pleural Effusion,Pleural Other,Pneumonia,Pneumothorax,Support Devices\n"
        "10000032,50414267,,,,,,,,,,,,,1.0,\n"
        "10000032,53189527,,,,,,,,,1.0,,,,0.0,\n"
        "10000764,57375967,,,,,,,,1.0,,,,,-1.0,\n"
        "10000898,50771383,,,,,,,,,,,,,1.0,\n";
    m_files["mimic-cxr-2.0.0-metadata.csv.gz"] = gzipped(metadata);
    m_files["mimic-cxr-2.0.0-split.csv.gz"] = gzipped(split);
    m_files["mimic-cxr-2.0.0-chexpert.csv.gz"] = gzipped(chexpert);
    publish_project();
    add_account(true, {m_slug + "/" + k_version});
    std::string id = unique("mimic");
    nlohmann::json entry =
        dataset_entry(id, "credentialed", {{"provider", "physionet"}, {"project", m_slug}, {"version", k_version}});
    std::ifstream builtin(std::filesystem::path(CXRCAT_SOURCE_DIR) / "catalog/datasets/mimic-cxr-jpg.json");
    entry["label_table"] = nlohmann::json::parse(builtin)["label_table"];
    add_dataset(entry);

    auto fetch = cxrcat({"fetch", id, "--accept-terms", "--where", "finding.Pneumothorax=1", "--where", "view=PA"},
                        with_credentials());
    ASSERT_EQ(fetch.exit_code, 0) << fetch.describe();
    EXPECT_TRUE(has_text(fetch.err, "the labels select 1 image(s)")) << fetch.err;
    std::string prefix = "/files/" + m_slug + "/" + k_version + "/";
    for (const Image& image : images) {
        std::string path = mimic_image(image.subject, image.study, image.dicom);
        bool wanted = image.dicom == "aaaaaaaa-00000001";
        EXPECT_EQ(std::filesystem::exists(dataset_dir(id) / path), wanted) << path;
        EXPECT_EQ(stats("physionet", prefix + path).value("requests", 0) > 0, wanted) << path;
    }
    EXPECT_EQ(read_text_file(dataset_dir(id) / mimic_image("10000032", "50414267", "aaaaaaaa-00000001")),
              m_files[mimic_image("10000032", "50414267", "aaaaaaaa-00000001")]);
    EXPECT_FALSE(std::filesystem::exists(dataset_dir(id) / "LICENSE.txt"));
    EXPECT_TRUE(std::filesystem::exists(dataset_dir(id) / "mimic-cxr-2.0.0-chexpert.csv.gz"));

    // The same selection again downloads nothing.
    auto again = cxrcat(
        {"fetch", id, "--accept-terms", "--where", "finding.Pneumothorax=1", "--where", "view=PA", "--format", "json"},
        with_credentials());
    ASSERT_EQ(again.exit_code, 0) << again.describe();
    EXPECT_EQ(nlohmann::json::parse(again.out)["summary"]["downloaded"], 0) << again.out;

    // An unknown finding stops before any request, naming the valid ones.
    auto unknown = cxrcat({"fetch", id, "--accept-terms", "--where", "finding.Pneumothoraxx=1"}, with_credentials());
    EXPECT_EQ(unknown.exit_code, 2) << unknown.describe();
    EXPECT_TRUE(has_text(unknown.err, "findings: No Finding, Enlarged Cardiomediastinum")) << unknown.err;
}

} // namespace
} // namespace cxrcat::test
