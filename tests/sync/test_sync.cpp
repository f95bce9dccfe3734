// SPDX-License-Identifier: Apache-2.0
// `cxrcat sync`, cxrcat.lock, --frozen, --offline, mirrors, --no-origin, `mirror export` and the
// provenance bundle (issue 5), with the real binary against the loopback servers of tests/servers:
// the origin is the fault server (`/ok/<file>`, whose /__stats counts every request per path), a
// mirror is a directory below `www` served by nginx (`/files/<dir>`), and an origin that is "down" is a
// loopback port where nothing listens. Each test serves its own directory below www and runs cxrcat
// with HOME, the XDG directories and CXRCAT_HOME in fresh temporary directories ("machines").
#include "cxrcat/base/digest.hpp"
#include "cxrcat/base/version.hpp"
#include "cxrcat/net/http_get.hpp"
#include "support/fault_stats.hpp"
#include "support/files.hpp"
#include "support/fixture_servers.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <arpa/inet.h>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <netinet/in.h>
#include <numeric>
#include <optional>
#include <stdexcept>
#include <string>
#include <sys/socket.h>
#include <unistd.h>
#include <utility>
#include <vector>

namespace cxrcat::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// --- small helpers ----------------------------------------------------------------------------------

std::string md5_hex(std::string_view text) {
    Hasher hasher(DigestAlgorithm::md5);
    hasher.update(text);
    return hasher.finish_hex();
}

// Replaces path with a new file (a new inode: a hard link to the old one keeps the old bytes).
void replace_file(const fs::path& path, std::string_view content) {
    std::error_code ignored;
    fs::remove(path, ignored);
    write_text_file(path, content);
}

// A loopback TCP port where nothing listens: bound to port 0, noted, closed.
int dead_port() {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) {
        throw std::runtime_error("socket() failed");
    }
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = 0;
    if (::inet_pton(AF_INET, "127.0.0.1", &address.sin_addr) != 1 ||
        ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        ::close(fd);
        throw std::runtime_error("bind() failed");
    }
    socklen_t length = sizeof address;
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
        ::close(fd);
        throw std::runtime_error("getsockname() failed");
    }
    ::close(fd);
    return ntohs(address.sin_port);
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

// One file of a test catalog entry.
struct FileSpec {
    FileSpec(std::string path_, std::string url_, std::optional<std::uint64_t> size_ = std::nullopt,
             std::optional<std::string> sha256_ = std::nullopt, std::optional<std::string> md5_ = std::nullopt,
             bool extract_ = false)
        : path(std::move(path_)), url(std::move(url_)), size(size_), sha256(std::move(sha256_)), md5(std::move(md5_)),
          extract(extract_) {}

    std::string path;
    std::string url;
    std::optional<std::uint64_t> size;
    std::optional<std::string> sha256;
    std::optional<std::string> md5;
    bool extract = false;
};

struct EntryOptions {
    std::string access_class = "open";
    std::string redistribution = "allowed";
    std::string citation; // default: "@misc{<id>, title={Sync test <id>}, year={2024}}"
};

json dataset_entry(const std::string& id, const std::vector<FileSpec>& files, const EntryOptions& options = {}) {
    json list = json::array();
    for (const auto& file : files) {
        json item = {{"path", file.path}, {"url", file.url}, {"extract", file.extract}};
        if (file.size) {
            item["size"] = *file.size;
        }
        if (file.sha256) {
            item["sha256"] = *file.sha256;
        }
        if (file.md5) {
            item["md5"] = *file.md5;
        }
        list.push_back(item);
    }
    return {{"id", id},
            {"name", "Sync test " + id},
            {"modality", "cxr"},
            {"category", "general"},
            {"license", {{"name", "CC-BY-4.0"}, {"spdx", "CC-BY-4.0"}}},
            {"redistribution", options.redistribution},
            {"citation", options.citation.empty() ? "@misc{" + id + ", title={Sync test " + id + "}, year={2024}}"
                                                  : options.citation},
            {"access",
             {{"class", options.access_class},
              {"terms", "Cite the sync test " + id + "."},
              {"terms_url", "https://example.org/terms/" + id}}},
            {"sources", json::array({{{"provider", "http"}, {"files", list}}})}};
}

// A computer of its own: HOME, XDG directories, CXRCAT_HOME and the catalog it uses.
struct Machine {
    fs::path root;
    fs::path catalog;

    [[nodiscard]] fs::path home() const { return root / "cxrcat-home"; }
    [[nodiscard]] fs::path config() const { return root / "config"; }
    [[nodiscard]] fs::path dataset(const std::string& id) const { return home() / "datasets" / id; }
};

// --- the fixture ------------------------------------------------------------------------------------

class SyncTest : public ::testing::Test {
  protected:
    void SetUp() override {
        FixtureServers fixture = find_fixture_servers("CXRCAT_TEST_SERVERS");
        if (!fixture.missing.empty()) {
            if (fixture.required) {
                FAIL() << fixture.missing;
            }
            GTEST_SKIP() << fixture.missing;
        }
        auto servers = json::parse(read_text_file(fixture.json_path));
        m_www = servers.at("www").get<std::string>();
        m_http = servers.at("http").get<std::string>();
        m_fault = servers.at("fault").get<std::string>();
        m_access_log = servers.at("access_log").get<std::string>();

        const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        m_name = "sync-" + std::string(info->name()) + "-" + std::to_string(::getpid());
        fs::remove_all(m_www / m_name);
        fs::create_directories(m_www / m_name);
        m_have_servers = true;
    }

    void TearDown() override {
        if (m_have_servers) {
            std::error_code ignored;
            fs::remove_all(m_www / m_name, ignored);
        }
    }

    // Served content: www/<test dir>/<name>, always a new inode.
    void serve(const std::string& name, std::string_view content) const {
        replace_file(m_www / m_name / name, content);
    }
    [[nodiscard]] fs::path served(const std::string& name) const { return m_www / m_name / name; }
    // The origin: the fault server's plain mode.
    [[nodiscard]] std::string origin_url(const std::string& name) const { return m_fault + origin_path(name); }
    [[nodiscard]] std::string origin_path(const std::string& name) const { return "/ok/" + m_name + "/" + name; }
    // nginx serving a directory below this test's www directory.
    [[nodiscard]] std::string nginx_url(const std::string& name) const {
        return m_http + "/files/" + m_name + "/" + name;
    }
    [[nodiscard]] std::string dead_url(const std::string& name) const {
        return "http://127.0.0.1:" + std::to_string(dead_port()) + "/files/" + name;
    }

    // Requests the fault server received for this test's files (every mode), since it started.
    [[nodiscard]] int origin_requests() const { return fault_requests_under(m_fault, m_name); }
    [[nodiscard]] int origin_requests(const std::string& name) const {
        HttpRequest request;
        request.url = m_fault + "/__stats?path=" + origin_path(name);
        auto reply = http_request(request);
        if (!reply || reply->status != 200) {
            throw std::runtime_error("GET /__stats failed");
        }
        auto all = json::parse(reply->body);
        return all.contains(origin_path(name)) ? all[origin_path(name)].value("requests", 0) : 0;
    }

    // nginx access log entries below /files/<test dir>/<prefix>.
    [[nodiscard]] std::vector<json> nginx_requests(const std::string& prefix) const {
        std::string wanted = "/files/" + m_name + "/" + prefix;
        std::vector<json> out;
        std::ifstream log(m_access_log);
        std::string line;
        while (std::getline(log, line)) {
            if (!contains(line, m_name)) {
                continue;
            }
            auto entry = json::parse(line, nullptr, false);
            if (!entry.is_discarded() && entry.value("path", "").rfind(wanted, 0) == 0) {
                out.push_back(std::move(entry));
            }
        }
        return out;
    }

    [[nodiscard]] Machine machine(const std::string& name, const fs::path& catalog) const {
        return Machine{m_dir / name, catalog};
    }

    fs::path write_catalog(const std::string& name, const std::vector<json>& entries) const {
        fs::path path = m_dir / ("catalog-" + name + ".json");
        write_text_file(path, json{{"datasets", entries}}.dump(2));
        return path;
    }

    fs::path write_manifest(const std::string& project, const json& manifest) const {
        fs::path path = m_dir / project / "cxrcat.json";
        write_text_file(path, manifest.dump(2));
        return path;
    }

    // Runs cxrcat on machine with args (in cwd when given), plus extra_env.
    [[nodiscard]] ProcessResult cxrcat(const Machine& on, const std::vector<std::string>& args,
                                       const std::map<std::string, std::string>& extra_env = {},
                                       const fs::path& cwd = {}) const {
        std::map<std::string, std::string> env{{"HOME", (on.root / "home").string()},
                                               {"XDG_CONFIG_HOME", on.config().string()},
                                               {"XDG_DATA_HOME", (on.root / "data").string()},
                                               {"XDG_CACHE_HOME", (on.root / "cache").string()},
                                               {"CXRCAT_HOME", on.home().string()},
                                               {"CXRCAT_CATALOG", on.catalog.string()},
                                               {"CXRCAT_RETRY_BASE_MS", "20"}};
        for (const auto& [name, value] : extra_env) {
            env[name] = value;
        }
        // Nothing from the developer's shell may redirect traffic, change trust or change the mode.
        std::vector<std::string> unset;
        for (const char* name : {"CXRCAT_MIRRORS", "CXRCAT_NO_ORIGIN", "CXRCAT_OFFLINE", "CXRCAT_SEGMENT_THRESHOLD",
                                 "CURL_CA_BUNDLE", "SSL_CERT_FILE", "SSL_CERT_DIR", "http_proxy", "https_proxy",
                                 "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "all_proxy", "COLUMNS", "NO_COLOR"}) {
            if (env.count(name) == 0) {
                unset.emplace_back(name);
            }
        }
        std::vector<std::string> argv;
        if (!cwd.empty()) {
            argv = {"/bin/sh", "-c", "cd \"$1\" && shift && exec \"$@\"", "sh", cwd.string()};
        }
        argv.emplace_back(CXRCAT_BINARY);
        argv.insert(argv.end(), args.begin(), args.end());
        return run_process(argv, env, unset);
    }

    // A complete sync of the manifest on machine (accepting the terms); fails the test otherwise.
    void sync_ok(const Machine& on, const fs::path& manifest, const std::vector<std::string>& extra = {}) const {
        std::vector<std::string> args{"sync", "--manifest", manifest.string(), "--accept-terms"};
        args.insert(args.end(), extra.begin(), extra.end());
        ProcessResult result = cxrcat(on, args);
        ASSERT_EQ(result.exit_code, 0) << result.describe();
    }

    TempDir m_dir;
    fs::path m_www;
    std::string m_http;
    std::string m_fault;
    fs::path m_access_log;
    std::string m_name;
    bool m_have_servers = false;
};

double elapsed_ms(std::chrono::steady_clock::time_point since) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - since).count();
}

// --- sync twice -------------------------------------------------------------------------------------

TEST_F(SyncTest, SecondSyncIsUpToDateMakesNoRequestAndKeepsTheLockByteIdentical) {
    constexpr int k_images = 12;
    std::vector<FileSpec> files;
    std::map<std::string, std::string> content;
    for (int i = 0; i < k_images; ++i) {
        std::string name = "img-" + std::to_string(i) + ".bin";
        content[name] = seeded_bytes(48 * 1024 + static_cast<std::size_t>(i), static_cast<std::uint64_t>(i) + 1);
        serve(name, content[name]);
        files.push_back({"img/" + name, origin_url(name), std::nullopt, std::nullopt, std::nullopt, false});
    }
    content["labels.csv"] = "id,label\n1,normal\n2,effusion\n";
    serve("labels.csv", content["labels.csv"]);
    files.push_back({"labels.csv", origin_url("labels.csv"), content["labels.csv"].size(),
                     sha256_hex(content["labels.csv"]), std::nullopt, false});
    Machine a = machine("a", write_catalog("a", {dataset_entry("sy-twice", files)}));
    fs::path project = m_dir / "project";
    fs::path manifest = write_manifest("project", {{"datasets", {{{"id", "sy-twice"}}}}});
    fs::path lock = project / "cxrcat.lock";

    // Cold: ./cxrcat.json read from the working directory, cxrcat.lock written beside it.
    auto cold_start = std::chrono::steady_clock::now();
    ProcessResult first = cxrcat(a, {"sync", "--accept-terms"}, {}, project);
    double cold_ms = elapsed_ms(cold_start);
    ASSERT_EQ(first.exit_code, 0) << first.describe();
    ASSERT_TRUE(fs::exists(lock)) << first.describe();
    int cold_requests = origin_requests();
    EXPECT_EQ(cold_requests, k_images + 1);
    for (const auto& [name, bytes] : content) {
        fs::path installed = a.dataset("sy-twice") / (name == "labels.csv" ? name : "img/" + name);
        EXPECT_EQ(read_text_file(installed), bytes) << installed;
    }

    // The lock: stable key order (sorted, as a re-dump shows), every file with its size and sha256.
    std::string lock_text = read_text_file(lock);
    json locked = json::parse(lock_text);
    EXPECT_EQ(locked.dump(2) + "\n", lock_text) << "the lock's keys are not in a stable (sorted) order";
    EXPECT_EQ(locked.at("format"), 1);
    EXPECT_FALSE(locked.at("catalog_sha256").get<std::string>().empty());
    const json& entry = locked.at("datasets").at("sy-twice");
    EXPECT_FALSE(entry.at("entry_sha256").get<std::string>().empty());
    EXPECT_FALSE(entry.at("terms_sha256").get<std::string>().empty());
    EXPECT_EQ(entry.at("sources").at(0).at("provider"), "http");
    ASSERT_EQ(entry.at("files").size(), content.size());
    for (const auto& [name, bytes] : content) {
        std::string path = name == "labels.csv" ? name : "img/" + name;
        const json& file = entry.at("files").at(path);
        EXPECT_EQ(file.at("size").get<std::uint64_t>(), bytes.size()) << path;
        EXPECT_EQ(file.at("digests").at("sha256"), sha256_hex(bytes)) << path;
        EXPECT_TRUE(
            contains(file.at("origin").get<std::string>(), name == "labels.csv" ? "published" : "first download"))
            << path << ": " << file.at("origin");
    }
    auto lock_mtime = fs::last_write_time(lock);

    // Warm: up to date, not one request at the origin, the lock neither changed nor rewritten.
    auto warm_start = std::chrono::steady_clock::now();
    ProcessResult second = cxrcat(a, {"sync"}, {}, project);
    double warm_ms = elapsed_ms(warm_start);
    ASSERT_EQ(second.exit_code, 0) << second.describe();
    EXPECT_EQ(second.out, "up to date  sy-twice\n") << second.describe();
    int warm_requests = origin_requests() - cold_requests;
    EXPECT_EQ(warm_requests, 0);
    EXPECT_EQ(read_text_file(lock), lock_text);
    EXPECT_EQ(fs::last_write_time(lock), lock_mtime) << "the lock was rewritten";

    // The CI line: sync --frozen --accept-terms on a warm cache.
    auto frozen_start = std::chrono::steady_clock::now();
    ProcessResult frozen = cxrcat(a, {"sync", "--frozen", "--accept-terms", "--manifest", manifest.string()});
    double frozen_ms = elapsed_ms(frozen_start);
    ASSERT_EQ(frozen.exit_code, 0) << frozen.describe();
    int frozen_requests = origin_requests() - cold_requests;
    EXPECT_EQ(frozen_requests, 0);
    EXPECT_EQ(read_text_file(lock), lock_text);

    std::cout << "[ figures  ] " << content.size() << " files, "
              << std::accumulate(content.begin(), content.end(), std::size_t{0},
                                 [](std::size_t sum, const auto& item) { return sum + item.second.size(); })
              << " bytes: cold sync " << static_cast<long>(cold_ms) << " ms, " << cold_requests
              << " requests; warm sync " << static_cast<long>(warm_ms) << " ms, " << warm_requests
              << " requests; warm sync --frozen " << static_cast<long>(frozen_ms) << " ms, " << frozen_requests
              << " requests\n";
}

TEST_F(SyncTest, FrozenSyncRebuildsAFreshHomeByteIdentically) {
    std::string a_bytes = seeded_bytes(70'000, 11);
    std::string b_bytes = seeded_bytes(1'234, 12);
    serve("a.bin", a_bytes);
    serve("b.bin", b_bytes);
    fs::path catalog = write_catalog(
        "c", {dataset_entry("sy-ci", {{"a.bin", origin_url("a.bin")}, {"sub/b.bin", origin_url("b.bin")}})});
    fs::path manifest = write_manifest("project", {{"datasets", {{{"id", "sy-ci"}}}}});
    Machine dev = machine("dev", catalog);
    sync_ok(dev, manifest);
    std::string lock_text = read_text_file(manifest.parent_path() / "cxrcat.lock");

    // A CI runner with an empty cache: the lock alone says what the bytes must be.
    Machine ci = machine("ci", catalog);
    ProcessResult result = cxrcat(ci, {"sync", "--frozen", "--accept-terms", "--manifest", manifest.string()});
    ASSERT_EQ(result.exit_code, 0) << result.describe();
    EXPECT_EQ(read_text_file(ci.dataset("sy-ci") / "a.bin"), a_bytes);
    EXPECT_EQ(read_text_file(ci.dataset("sy-ci") / "sub/b.bin"), b_bytes);
    EXPECT_EQ(read_text_file(manifest.parent_path() / "cxrcat.lock"), lock_text);
}

// --- the manifest form of the issue -----------------------------------------------------------------

TEST_F(SyncTest, AcceptsTheIssueManifestFormWithInclude) {
    std::string zip = read_text_file(m_www / "sample.zip");
    std::string scan = seeded_bytes(5'000, 21);
    std::string annotations = "seriesuid,coordX,coordY,coordZ,diameter_mm\n1.3.6,1,2,3,4.5\n";
    serve("subset0.zip", zip);
    serve("subset1.zip", zip);
    serve("annotations.csv", annotations);
    serve("candidates.csv", "seriesuid,class\n");
    serve("scan.bin", scan);
    fs::path catalog = write_catalog(
        "c", {dataset_entry("sx-montgomery", {{"scan.bin", origin_url("scan.bin")}}),
              dataset_entry("sx-luna",
                            {{"subset0.zip", origin_url("subset0.zip"), std::nullopt, std::nullopt, std::nullopt, true},
                             {"subset1.zip", origin_url("subset1.zip"), std::nullopt, std::nullopt, std::nullopt, true},
                             {"annotations.csv", origin_url("annotations.csv")},
                             {"candidates.csv", origin_url("candidates.csv")}})});
    Machine a = machine("a", catalog);
    // Exactly the issue's text, with this test's ids.
    fs::path project = m_dir / "project";
    write_text_file(project / "cxrcat.json", R"({"datasets": [{"id": "sx-montgomery"},
              {"id": "sx-luna", "include": ["subset0.zip", "annotations.csv"]}]}
)");
    ProcessResult result = cxrcat(a, {"sync", "--accept-terms"}, {}, project);
    ASSERT_EQ(result.exit_code, 0) << result.describe();
    EXPECT_EQ(read_text_file(a.dataset("sx-montgomery") / "scan.bin"), scan);
    EXPECT_EQ(read_text_file(a.dataset("sx-luna") / "annotations.csv"), annotations);
    EXPECT_TRUE(fs::exists(a.dataset("sx-luna") / "sample" / "data.csv")) << "subset0.zip was not extracted";
    EXPECT_FALSE(fs::exists(a.dataset("sx-luna") / "subset1.zip"));
    EXPECT_FALSE(fs::exists(a.dataset("sx-luna") / "candidates.csv"));
    EXPECT_EQ(origin_requests("subset1.zip"), 0);
    EXPECT_EQ(origin_requests("candidates.csv"), 0);

    json lock = json::parse(read_text_file(project / "cxrcat.lock"));
    std::vector<std::string> luna_files;
    for (const auto& [path, file] : lock.at("datasets").at("sx-luna").at("files").items()) {
        luna_files.push_back(path);
    }
    EXPECT_EQ(luna_files, (std::vector<std::string>{"annotations.csv", "subset0.zip"}));
    EXPECT_EQ(lock.at("datasets").at("sx-luna").at("files").at("subset0.zip").at("digests").at("sha256"),
              sha256_hex(zip));
    EXPECT_EQ(lock.at("datasets").at("sx-montgomery").at("files").size(), 1U);

    // An extracted (and deleted) archive still counts as installed: the rerun is up to date.
    int before = origin_requests();
    ProcessResult again = cxrcat(a, {"sync"}, {}, project);
    ASSERT_EQ(again.exit_code, 0) << again.describe();
    EXPECT_TRUE(contains(again.out, "up to date  sx-montgomery")) << again.describe();
    EXPECT_TRUE(contains(again.out, "up to date  sx-luna")) << again.describe();
    EXPECT_EQ(origin_requests(), before);

    // More optional keys are fine.
    fs::path other = write_manifest(
        "other",
        {{"version", 1},
         {"datasets",
          {{{"id", "sx-luna"}, {"include", {"annotations.csv"}}, {"exclude", {"*.zip"}}, {"extract", false}}}}});
    ProcessResult optional_keys = cxrcat(a, {"sync", "--manifest", other.string()});
    EXPECT_EQ(optional_keys.exit_code, 0) << optional_keys.describe();
}

TEST_F(SyncTest, ChangingTheManifestSelectionIsNeverUpToDate) {
    std::string a_bytes = seeded_bytes(3'000, 25);
    std::string b_bytes = seeded_bytes(4'000, 26);
    serve("a.bin", a_bytes);
    serve("b.bin", b_bytes);
    Machine m = machine("a", write_catalog("c", {dataset_entry("sy-select", {{"a.bin", origin_url("a.bin")},
                                                                             {"b.bin", origin_url("b.bin")}})}));
    fs::path manifest = write_manifest("project", {{"datasets", {{{"id", "sy-select"}, {"include", {"a.bin"}}}}}});
    fs::path lock = manifest.parent_path() / "cxrcat.lock";
    sync_ok(m, manifest);
    EXPECT_FALSE(fs::exists(m.dataset("sy-select") / "b.bin"));
    std::string lock_text = read_text_file(lock);

    // The project now wants b.bin too: the lock no longer describes the manifest.
    write_manifest("project", {{"datasets", {{{"id", "sy-select"}, {"include", {"a.bin", "b.bin"}}}}}});
    ProcessResult frozen = cxrcat(m, {"sync", "--frozen", "--manifest", manifest.string()});
    EXPECT_EQ(frozen.exit_code, 5) << frozen.describe();
    EXPECT_TRUE(contains(frozen.err, "sy-select")) << frozen.describe();
    EXPECT_EQ(read_text_file(lock), lock_text);
    ProcessResult offline = cxrcat(m, {"sync", "--offline", "--manifest", manifest.string()});
    EXPECT_NE(offline.exit_code, 0) << offline.describe();
    EXPECT_EQ(read_text_file(lock), lock_text);

    ProcessResult plain = cxrcat(m, {"sync", "--manifest", manifest.string()});
    ASSERT_EQ(plain.exit_code, 0) << plain.describe();
    EXPECT_FALSE(contains(plain.out, "up to date")) << plain.describe();
    ASSERT_TRUE(fs::exists(m.dataset("sy-select") / "b.bin")) << plain.describe();
    EXPECT_EQ(read_text_file(m.dataset("sy-select") / "b.bin"), b_bytes);
    EXPECT_TRUE(json::parse(read_text_file(lock)).at("datasets").at("sy-select").at("files").contains("b.bin"));
    EXPECT_EQ(origin_requests("a.bin"), 1);

    // And back to everything (no include): a.bin and b.bin are installed, nothing to fetch.
    write_manifest("project", {{"datasets", {{{"id", "sy-select"}}}}});
    ProcessResult all = cxrcat(m, {"sync", "--manifest", manifest.string()});
    ASSERT_EQ(all.exit_code, 0) << all.describe();
    EXPECT_EQ(origin_requests(), 2);
    ProcessResult again = cxrcat(m, {"sync", "--frozen", "--manifest", manifest.string()});
    EXPECT_EQ(again.exit_code, 0) << again.describe();
    EXPECT_TRUE(contains(again.out, "up to date")) << again.describe();
}

// --- --frozen ---------------------------------------------------------------------------------------

TEST_F(SyncTest, FrozenFailsWhenTheRemoteChangedAndLeavesLockAndInstallAlone) {
    std::string a_bytes = seeded_bytes(30'000, 31);
    std::string b_bytes = seeded_bytes(20'000, 32);
    serve("a.bin", a_bytes);
    serve("b.bin", b_bytes);
    // No published digests: the lock records what the first download got.
    fs::path catalog = write_catalog(
        "c", {dataset_entry("sy-drift", {{"a.bin", origin_url("a.bin")}, {"b.bin", origin_url("b.bin")}})});
    fs::path manifest = write_manifest("project", {{"datasets", {{{"id", "sy-drift"}}}}});
    fs::path lock = manifest.parent_path() / "cxrcat.lock";
    Machine a = machine("a", catalog);
    sync_ok(a, manifest);
    std::string lock_text = read_text_file(lock);
    auto lock_mtime = fs::last_write_time(lock);
    fs::path installed_b = a.dataset("sy-drift") / "b.bin";
    auto b_mtime = fs::last_write_time(installed_b);

    // Upstream now serves other bytes for a.bin (same size: only the digest can tell).
    std::string drifted = a_bytes;
    drifted[100] = static_cast<char>(~drifted[100]);
    serve("a.bin", drifted);

    // A complete, verified install is trusted without asking upstream (the point of a warm cache).
    int before = origin_requests();
    ProcessResult warm = cxrcat(a, {"sync", "--frozen", "--manifest", manifest.string()});
    EXPECT_EQ(warm.exit_code, 0) << warm.describe();
    EXPECT_EQ(origin_requests(), before);
    EXPECT_EQ(read_text_file(a.dataset("sy-drift") / "a.bin"), a_bytes);

    // a.bin lost from the cache: fetching it again meets the drifted remote.
    fs::remove(a.dataset("sy-drift") / "a.bin");
    ProcessResult frozen = cxrcat(a, {"sync", "--frozen", "--manifest", manifest.string()});
    EXPECT_EQ(frozen.exit_code, 5) << frozen.describe();
    EXPECT_TRUE(contains(frozen.err, "a.bin")) << frozen.describe();
    EXPECT_TRUE(contains(frozen.err, sha256_hex(a_bytes))) << "the diff shows the locked digest\n" << frozen.describe();
    EXPECT_TRUE(contains(frozen.err, sha256_hex(drifted))) << "the diff shows the new digest\n" << frozen.describe();
    EXPECT_EQ(read_text_file(lock), lock_text);
    EXPECT_EQ(fs::last_write_time(lock), lock_mtime);
    EXPECT_FALSE(fs::exists(a.dataset("sy-drift") / "a.bin")) << "the drifted bytes were installed";
    EXPECT_EQ(read_text_file(installed_b), b_bytes);
    EXPECT_EQ(fs::last_write_time(installed_b), b_mtime);

    // Without --frozen the lock still pins the bytes: never a silent re-download of something else.
    ProcessResult plain = cxrcat(a, {"sync", "--manifest", manifest.string()});
    EXPECT_EQ(plain.exit_code, 5) << plain.describe();
    EXPECT_TRUE(contains(plain.err, "a.bin")) << plain.describe();
    EXPECT_EQ(read_text_file(lock), lock_text);
    EXPECT_FALSE(fs::exists(a.dataset("sy-drift") / "a.bin"));

    // A fresh CI cache with the same lock fails the same way and installs nothing drifted.
    Machine ci = machine("ci", catalog);
    ProcessResult fresh = cxrcat(ci, {"sync", "--frozen", "--accept-terms", "--manifest", manifest.string()});
    EXPECT_EQ(fresh.exit_code, 5) << fresh.describe();
    EXPECT_TRUE(contains(fresh.err, "a.bin")) << fresh.describe();
    EXPECT_FALSE(fs::exists(ci.dataset("sy-drift") / "a.bin"));
    EXPECT_EQ(read_text_file(lock), lock_text);
}

TEST_F(SyncTest, FrozenFailsWhenTheCatalogEntryChangedAndLeavesTheLockAlone) {
    serve("a.bin", seeded_bytes(10'000, 41));
    std::vector<FileSpec> files{{"a.bin", origin_url("a.bin")}};
    Machine a = machine("a", write_catalog("c", {dataset_entry("sy-entry", files)}));
    fs::path manifest = write_manifest("project", {{"datasets", {{{"id", "sy-entry"}}}}});
    fs::path lock = manifest.parent_path() / "cxrcat.lock";
    sync_ok(a, manifest);
    std::string lock_text = read_text_file(lock);
    auto lock_mtime = fs::last_write_time(lock);

    // The catalog now lists another file for the dataset.
    serve("b.bin", seeded_bytes(500, 42));
    files.push_back({"b.bin", origin_url("b.bin")});
    write_catalog("c", {dataset_entry("sy-entry", files)});
    int before = origin_requests();
    ProcessResult frozen = cxrcat(a, {"sync", "--frozen", "--manifest", manifest.string()});
    EXPECT_EQ(frozen.exit_code, 5) << frozen.describe();
    EXPECT_TRUE(contains(frozen.err, "sy-entry")) << frozen.describe();
    EXPECT_TRUE(contains(frozen.err, "catalog entry changed")) << frozen.describe();
    EXPECT_EQ(read_text_file(lock), lock_text);
    EXPECT_EQ(fs::last_write_time(lock), lock_mtime);
    EXPECT_EQ(origin_requests(), before);
    EXPECT_FALSE(fs::exists(a.dataset("sy-entry") / "b.bin"));

    // Reviewed without --frozen: the lock takes the change.
    ProcessResult plain = cxrcat(a, {"sync", "--manifest", manifest.string()});
    ASSERT_EQ(plain.exit_code, 0) << plain.describe();
    json updated = json::parse(read_text_file(lock));
    EXPECT_TRUE(updated.at("datasets").at("sy-entry").at("files").contains("b.bin"));
}

// --- --offline --------------------------------------------------------------------------------------

TEST_F(SyncTest, OfflineChecksTheInstallAgainstTheLockWithoutAnyRequest) {
    std::string a_bytes = seeded_bytes(9'000, 51);
    serve("a.bin", a_bytes);
    serve("b.bin", seeded_bytes(8'000, 52));
    Machine a = machine("a", write_catalog("c", {dataset_entry("sy-off", {{"a.bin", origin_url("a.bin")},
                                                                          {"d/b.bin", origin_url("b.bin")}})}));
    fs::path manifest = write_manifest("project", {{"datasets", {{{"id", "sy-off"}}}}});
    fs::path lock = manifest.parent_path() / "cxrcat.lock";

    // No lock yet: offline cannot know what to check.
    ProcessResult no_lock = cxrcat(a, {"sync", "--offline", "--manifest", manifest.string()});
    EXPECT_EQ(no_lock.exit_code, 5) << no_lock.describe();
    EXPECT_TRUE(contains(no_lock.err, "cxrcat.lock")) << no_lock.describe();
    EXPECT_EQ(origin_requests(), 0);

    sync_ok(a, manifest);
    std::string lock_text = read_text_file(lock);
    int after_sync = origin_requests();

    // Complete install.
    ProcessResult flag = cxrcat(a, {"sync", "--offline", "--manifest", manifest.string()});
    EXPECT_EQ(flag.exit_code, 0) << flag.describe();
    ProcessResult env = cxrcat(a, {"sync", "--manifest", manifest.string()}, {{"CXRCAT_OFFLINE", "1"}});
    EXPECT_EQ(env.exit_code, 0) << env.describe();
    EXPECT_EQ(origin_requests(), after_sync);

    // Incomplete install: one file gone.
    fs::remove(a.dataset("sy-off") / "d/b.bin");
    ProcessResult missing_flag = cxrcat(a, {"sync", "--offline", "--manifest", manifest.string()});
    EXPECT_EQ(missing_flag.exit_code, 5) << missing_flag.describe();
    EXPECT_TRUE(contains(missing_flag.err, "d/b.bin")) << missing_flag.describe();
    EXPECT_FALSE(contains(missing_flag.err, "missing: a.bin")) << missing_flag.describe();
    ProcessResult missing_env = cxrcat(a, {"sync", "--manifest", manifest.string()}, {{"CXRCAT_OFFLINE", "1"}});
    EXPECT_EQ(missing_env.exit_code, 5) << missing_env.describe();
    EXPECT_TRUE(contains(missing_env.err, "d/b.bin")) << missing_env.describe();
    ProcessResult as_json = cxrcat(a, {"sync", "--offline", "--format", "json", "--manifest", manifest.string()});
    EXPECT_EQ(as_json.exit_code, 5) << as_json.describe();
    json parsed = json::parse(as_json.out, nullptr, false);
    ASSERT_FALSE(parsed.is_discarded()) << as_json.describe();
    EXPECT_EQ(parsed.at("datasets").at(0).at("missing"), json::array({"d/b.bin"}));

    EXPECT_EQ(origin_requests(), after_sync) << "offline made a request";
    EXPECT_FALSE(fs::exists(a.dataset("sy-off") / "d/b.bin"));
    EXPECT_EQ(read_text_file(a.dataset("sy-off") / "a.bin"), a_bytes);
    EXPECT_EQ(read_text_file(lock), lock_text);
}

// --- mirrors ----------------------------------------------------------------------------------------

TEST_F(SyncTest, MirrorHitWithTheOriginDown) {
    std::string a_bytes = seeded_bytes(40'000, 61);
    std::string c_bytes = seeded_bytes(3'000, 62);
    serve("origin/a.bin", a_bytes);
    serve("origin/c.bin", c_bytes);
    auto files_at = [&](const std::string& a_url, const std::string& c_url) {
        // a.bin: sha256 published; c.bin: only md5 (looked up as md5/<hex>).
        return std::vector<FileSpec>{{"a.bin", a_url, a_bytes.size(), sha256_hex(a_bytes), std::nullopt, false},
                                     {"c.bin", c_url, c_bytes.size(), std::nullopt, md5_hex(c_bytes), false}};
    };
    Machine a = machine("a", write_catalog("a", {dataset_entry("sy-mirror", files_at(origin_url("origin/a.bin"),
                                                                                     origin_url("origin/c.bin")))}));
    sync_ok(a, write_manifest("project-a", {{"datasets", {{{"id", "sy-mirror"}}}}}));

    // The team mirror: exported from a, served by nginx.
    fs::path mirror = m_www / m_name / "mirror";
    ProcessResult exported = cxrcat(a, {"mirror", "export", mirror.string(), "sy-mirror"});
    ASSERT_EQ(exported.exit_code, 0) << exported.describe();
    EXPECT_EQ(read_text_file(mirror / "sha256" / sha256_hex(a_bytes)), a_bytes);
    EXPECT_EQ(read_text_file(mirror / "md5" / md5_hex(c_bytes)), c_bytes);

    // b: the origin is down (nothing listens there).
    Machine b =
        machine("b", write_catalog("b", {dataset_entry("sy-mirror", files_at(dead_url("a.bin"), dead_url("c.bin")))}));
    fs::path manifest_b = write_manifest("project-b", {{"datasets", {{{"id", "sy-mirror"}}}}});
    int before = origin_requests();
    ProcessResult result =
        cxrcat(b, {"sync", "--accept-terms", "--manifest", manifest_b.string(), "--mirror", nginx_url("mirror")});
    ASSERT_EQ(result.exit_code, 0) << result.describe();
    EXPECT_EQ(read_text_file(b.dataset("sy-mirror") / "a.bin"), a_bytes);
    EXPECT_EQ(read_text_file(b.dataset("sy-mirror") / "c.bin"), c_bytes);
    EXPECT_EQ(origin_requests(), before);
    auto by_sha256 = nginx_requests("mirror/sha256/" + sha256_hex(a_bytes));
    auto by_md5 = nginx_requests("mirror/md5/" + md5_hex(c_bytes));
    ASSERT_FALSE(by_sha256.empty());
    ASSERT_FALSE(by_md5.empty());
    EXPECT_EQ(by_sha256.back().at("status"), 200);
    EXPECT_EQ(by_md5.back().at("status"), 200);
    json lock = json::parse(read_text_file(manifest_b.parent_path() / "cxrcat.lock"));
    EXPECT_EQ(lock.at("datasets").at("sy-mirror").at("files").at("a.bin").at("digests").at("sha256"),
              sha256_hex(a_bytes));
}

TEST_F(SyncTest, MirrorExportConsumedByASecondHomeAirGapped) {
    // No published digests at all: the shared cxrcat.lock supplies the content addresses.
    std::string a_bytes = seeded_bytes(25'000, 71);
    std::string b_bytes = seeded_bytes(6'000, 72);
    serve("a.bin", a_bytes);
    serve("b.bin", b_bytes);
    fs::path catalog = write_catalog(
        "c", {dataset_entry("sy-export", {{"a.bin", origin_url("a.bin")}, {"x/b.bin", origin_url("b.bin")}})});
    fs::path manifest = write_manifest("project", {{"datasets", {{{"id", "sy-export"}}}}});
    fs::path lock = manifest.parent_path() / "cxrcat.lock";
    Machine a = machine("a", catalog);
    sync_ok(a, manifest);
    std::string lock_text = read_text_file(lock);
    int after_a = origin_requests();

    // Every installed dataset (no ids given).
    fs::path mirror = m_www / m_name / "mirror";
    ProcessResult exported = cxrcat(a, {"mirror", "export", mirror.string()});
    ASSERT_EQ(exported.exit_code, 0) << exported.describe();
    EXPECT_FALSE(fs::exists(mirror / "NOTICE.txt")) << "an open dataset needs no internal notice";
    json index = json::parse(read_text_file(mirror / "index.json"));
    const json& listed = index.at("datasets").at("sy-export").at("files");
    ASSERT_EQ(listed.size(), 2U) << index.dump(2);
    EXPECT_EQ(listed.at("a.bin").at("sha256"), sha256_hex(a_bytes));
    EXPECT_EQ(listed.at("a.bin").at("size").get<std::uint64_t>(), a_bytes.size());
    EXPECT_EQ(listed.at("x/b.bin").at("sha256"), sha256_hex(b_bytes));

    // b: air-gapped CI. CXRCAT_MIRRORS lists a dead mirror first (comma and space separated),
    // CXRCAT_NO_ORIGIN=1 forbids upstream, the lock is the one the project shares.
    Machine b = machine("b", catalog);
    std::string mirrors = "http://127.0.0.1:" + std::to_string(dead_port()) + "/m, " + nginx_url("mirror/");
    ProcessResult result = cxrcat(b, {"sync", "--frozen", "--accept-terms", "--manifest", manifest.string()},
                                  {{"CXRCAT_MIRRORS", mirrors}, {"CXRCAT_NO_ORIGIN", "1"}});
    ASSERT_EQ(result.exit_code, 0) << result.describe();
    EXPECT_EQ(read_text_file(b.dataset("sy-export") / "a.bin"), a_bytes);
    EXPECT_EQ(read_text_file(b.dataset("sy-export") / "x/b.bin"), b_bytes);
    EXPECT_EQ(origin_requests(), after_a) << "the origin was contacted despite CXRCAT_NO_ORIGIN=1";
    EXPECT_TRUE(contains(result.err, "warning")) << "the dead mirror is worth a warning\n" << result.describe();
    EXPECT_TRUE(contains(result.err, "trying the next source")) << result.describe();
    EXPECT_FALSE(contains(result.err, "a.bin: a.bin:")) << "the file is named twice\n" << result.describe();
    EXPECT_EQ(nginx_requests("mirror/sha256/").size(), 2U);
    EXPECT_EQ(read_text_file(lock), lock_text);
    // A second home's provenance is as complete as the first's.
    EXPECT_TRUE(fs::exists(b.dataset("sy-export") / "SOURCE.json"));
}

TEST_F(SyncTest, CorruptMirrorCopyFallsBackToTheOriginWithAWarning) {
    std::string a_bytes = seeded_bytes(33'000, 81);
    serve("a.bin", a_bytes);
    fs::path catalog = write_catalog(
        "c", {dataset_entry("sy-corrupt", {{"a.bin", origin_url("a.bin"), a_bytes.size(), sha256_hex(a_bytes)}})});
    Machine a = machine("a", catalog);
    sync_ok(a, write_manifest("project-a", {{"datasets", {{{"id", "sy-corrupt"}}}}}));
    fs::path mirror = m_www / m_name / "mirror";
    ProcessResult exported = cxrcat(a, {"mirror", "export", mirror.string(), "sy-corrupt"});
    ASSERT_EQ(exported.exit_code, 0) << exported.describe();

    // One byte flipped in the mirror's copy (a new file: a's installed copy may be a hard link).
    fs::path object = mirror / "sha256" / sha256_hex(a_bytes);
    std::string corrupt = read_text_file(object);
    corrupt[corrupt.size() / 3] = static_cast<char>(~corrupt[corrupt.size() / 3]);
    replace_file(object, corrupt);

    Machine b = machine("b", catalog);
    int before = origin_requests("a.bin");
    ProcessResult result = cxrcat(b, {"sync", "--accept-terms", "--manifest",
                                      write_manifest("project-b", {{"datasets", {{{"id", "sy-corrupt"}}}}}).string(),
                                      "--mirror", nginx_url("mirror")});
    ASSERT_EQ(result.exit_code, 0) << result.describe();
    EXPECT_EQ(read_text_file(b.dataset("sy-corrupt") / "a.bin"), a_bytes);
    EXPECT_EQ(origin_requests("a.bin") - before, 1) << "not fetched from the origin after the bad copy";
    EXPECT_FALSE(nginx_requests("mirror/sha256/").empty()) << "the mirror was not tried first";
    EXPECT_TRUE(contains(result.err, "warning")) << result.describe();
    EXPECT_TRUE(contains(result.err, "mirror/sha256/" + sha256_hex(a_bytes))) << "the warning names the bad copy\n"
                                                                              << result.describe();
    EXPECT_EQ(read_text_file(a.dataset("sy-corrupt") / "a.bin"), a_bytes) << "a's install was touched";
}

TEST_F(SyncTest, NoOriginWithAMissingMirrorCopyFailsClearly) {
    std::string a_bytes = seeded_bytes(12'000, 91);
    serve("a.bin", a_bytes);
    serve("mirror/index.json", "{\"format\": 1, \"datasets\": {}}\n"); // a mirror without that object
    Machine a =
        machine("a", write_catalog("c", {dataset_entry("sy-noorigin", {{"a.bin", origin_url("a.bin"), a_bytes.size(),
                                                                        sha256_hex(a_bytes)}})}));
    fs::path manifest = write_manifest("project", {{"datasets", {{{"id", "sy-noorigin"}}}}});

    ProcessResult result = cxrcat(
        a, {"sync", "--accept-terms", "--no-origin", "--manifest", manifest.string(), "--mirror", nginx_url("mirror")});
    EXPECT_NE(result.exit_code, 0) << result.describe();
    EXPECT_TRUE(contains(result.err, "a.bin")) << result.describe();
    EXPECT_TRUE(contains(result.err, "404")) << result.describe();
    EXPECT_TRUE(contains(result.err, nginx_url("mirror/sha256/" + sha256_hex(a_bytes)))) << result.describe();
    EXPECT_TRUE(contains(result.err, "--no-origin")) << "the message says the origin was not asked\n"
                                                     << result.describe();
    EXPECT_EQ(origin_requests(), 0);
    EXPECT_FALSE(fs::exists(a.dataset("sy-noorigin") / "a.bin"));
    EXPECT_FALSE(fs::exists(a.dataset("sy-noorigin") / "a.bin.part"));

    // No mirror at all: nothing may serve it, and the message says why.
    ProcessResult bare =
        cxrcat(a, {"sync", "--accept-terms", "--manifest", manifest.string()}, {{"CXRCAT_NO_ORIGIN", "1"}});
    EXPECT_NE(bare.exit_code, 0) << bare.describe();
    EXPECT_TRUE(contains(bare.err, "a.bin")) << bare.describe();
    EXPECT_TRUE(contains(bare.err, "no-origin")) << bare.describe();
    EXPECT_TRUE(contains(bare.err, "mirror")) << bare.describe();
    EXPECT_EQ(origin_requests(), 0);
    EXPECT_FALSE(fs::exists(a.dataset("sy-noorigin") / "a.bin"));
}

// --- mirror export and redistribution ---------------------------------------------------------------

TEST_F(SyncTest, MirrorExportRefusesDatasetsWhoseTermsForbidRedistribution) {
    std::string open_bytes = seeded_bytes(2'000, 101);
    std::string cred_bytes = seeded_bytes(2'100, 102);
    std::string forbidden_bytes = seeded_bytes(2'200, 103);
    serve("open.bin", open_bytes);
    serve("cred.bin", cred_bytes);
    serve("forbidden.bin", forbidden_bytes);
    Machine a =
        machine("a", write_catalog("c", {dataset_entry("sy-open", {{"open.bin", origin_url("open.bin")}}),
                                         dataset_entry("sy-cred", {{"cred.bin", origin_url("cred.bin")}},
                                                       {"credentialed", "organisation-only", ""}),
                                         dataset_entry("sy-forbidden", {{"forbidden.bin", origin_url("forbidden.bin")}},
                                                       {"open", "forbidden", ""})}));
    sync_ok(a, write_manifest("project",
                              {{"datasets", {{{"id", "sy-open"}}, {{"id", "sy-cred"}}, {{"id", "sy-forbidden"}}}}}));

    fs::path refused_dir = m_dir / "refused";
    ProcessResult cred = cxrcat(a, {"mirror", "export", refused_dir.string(), "sy-cred"});
    EXPECT_EQ(cred.exit_code, 4) << cred.describe();
    EXPECT_TRUE(contains(cred.err, "sy-cred")) << cred.describe();
    EXPECT_TRUE(contains(cred.err, "--internal")) << cred.describe();
    ProcessResult forbidden = cxrcat(a, {"mirror", "export", refused_dir.string(), "sy-forbidden"});
    EXPECT_EQ(forbidden.exit_code, 4) << forbidden.describe();
    EXPECT_TRUE(contains(forbidden.err, "sy-forbidden")) << forbidden.describe();
    // Mixed with an open one: all or nothing.
    ProcessResult mixed = cxrcat(a, {"mirror", "export", refused_dir.string(), "sy-open", "sy-cred"});
    EXPECT_EQ(mixed.exit_code, 4) << mixed.describe();
    // Everything installed (no ids) includes the credentialed one: refused too.
    ProcessResult all = cxrcat(a, {"mirror", "export", refused_dir.string()});
    EXPECT_EQ(all.exit_code, 4) << all.describe();
    EXPECT_FALSE(fs::exists(refused_dir / "sha256")) << "a refused export wrote objects";
    EXPECT_FALSE(fs::exists(refused_dir / "index.json"));

    // --internal: exported, with the notice.
    fs::path internal_dir = m_dir / "internal";
    ProcessResult internal = cxrcat(a, {"mirror", "export", internal_dir.string(), "sy-cred", "--internal"});
    ASSERT_EQ(internal.exit_code, 0) << internal.describe();
    ASSERT_TRUE(fs::exists(internal_dir / "NOTICE.txt"));
    std::string notice = read_text_file(internal_dir / "NOTICE.txt");
    EXPECT_TRUE(contains(notice, "sy-cred")) << notice;
    EXPECT_TRUE(contains(notice, "organisation")) << notice;
    EXPECT_EQ(read_text_file(internal_dir / "sha256" / sha256_hex(cred_bytes)), cred_bytes);
    EXPECT_TRUE(json::parse(read_text_file(internal_dir / "index.json")).at("datasets").contains("sy-cred"));

    // The open one alone: no notice.
    fs::path open_dir = m_dir / "open";
    ProcessResult open = cxrcat(a, {"mirror", "export", open_dir.string(), "sy-open"});
    ASSERT_EQ(open.exit_code, 0) << open.describe();
    EXPECT_FALSE(fs::exists(open_dir / "NOTICE.txt"));
    EXPECT_EQ(read_text_file(open_dir / "sha256" / sha256_hex(open_bytes)), open_bytes);
}

// --- provenance -------------------------------------------------------------------------------------

TEST_F(SyncTest, ProvenanceFilesArePresentAndCorrect) {
    std::string a_bytes = seeded_bytes(15'000, 111);
    std::string b_bytes = "b,c\n1,2\n";
    serve("a.bin", a_bytes);
    serve("b.csv", b_bytes);
    const std::string secret = "s3cr3t-t0ken-value";
    const std::string citation =
        "@article{sy-prov,\n  title={A {Chest} Dataset},\n  author={Doe, Jane},\n  year={2024}\n}";
    Machine a = machine(
        "a", write_catalog("c", {dataset_entry("sy-prov",
                                               {{"a.bin", origin_url("a.bin") + "?token=" + secret},
                                                {"t/b.csv", origin_url("b.csv"), b_bytes.size(), sha256_hex(b_bytes)}},
                                               {"open", "allowed", citation})}));
    fs::path manifest = write_manifest("project", {{"datasets", {{{"id", "sy-prov"}}}}});
    sync_ok(a, manifest);
    fs::path dir = a.dataset("sy-prov");

    ASSERT_TRUE(fs::exists(dir / "CITATION.bib"));
    EXPECT_EQ(read_text_file(dir / "CITATION.bib"), citation + "\n");

    ASSERT_TRUE(fs::exists(dir / "CITATION.cff"));
    std::string cff = read_text_file(dir / "CITATION.cff");
    EXPECT_TRUE(contains(cff, "cff-version: 1.2.0")) << cff;
    EXPECT_TRUE(contains(cff, "title: \"Sync test sy-prov\"")) << cff;
    EXPECT_TRUE(contains(cff, "license: \"CC-BY-4.0\"")) << cff;

    // When the terms were accepted: the ledger of the machine (XDG_CONFIG_HOME/cxrcat/accepted-terms.json).
    json ledger = json::parse(read_text_file(a.config() / "cxrcat" / "accepted-terms.json"));
    std::string ledger_text = ledger.dump(2);
    std::string accepted_at = ledger.at("accepted").at("sy-prov").value("accepted_at", "");
    ASSERT_FALSE(accepted_at.empty()) << ledger_text;

    ASSERT_TRUE(fs::exists(dir / "TERMS.txt"));
    std::string terms = read_text_file(dir / "TERMS.txt");
    EXPECT_TRUE(contains(terms, "Licence: CC-BY-4.0")) << terms;
    EXPECT_TRUE(contains(terms, "Terms: Cite the sync test sy-prov.")) << terms;
    EXPECT_TRUE(contains(terms, "Terms URL: https://example.org/terms/sy-prov")) << terms;
    EXPECT_TRUE(contains(terms, "Accepted: " + accepted_at)) << "TERMS.txt lacks the acceptance time\n" << terms;
    json lock = json::parse(read_text_file(manifest.parent_path() / "cxrcat.lock"));
    EXPECT_TRUE(contains(terms, "Catalog SHA-256 at acceptance: ")) << terms;
    EXPECT_TRUE(
        contains(terms, "Terms SHA-256: " + lock.at("datasets").at("sy-prov").at("terms_sha256").get<std::string>()))
        << terms;

    ASSERT_TRUE(fs::exists(dir / "SOURCE.json"));
    std::string source_text = read_text_file(dir / "SOURCE.json");
    json source = json::parse(source_text, nullptr, false);
    ASSERT_FALSE(source.is_discarded()) << source_text;
    EXPECT_EQ(source.at("cxrcat_version"), version());
    EXPECT_EQ(source.at("dataset").at("id"), "sy-prov");
    EXPECT_EQ(source.at("catalog_sha256"), lock.at("catalog_sha256"));
    const json& files = source.at("files");
    ASSERT_EQ(files.size(), 2U) << source.dump(2);
    EXPECT_EQ(files.at("a.bin").at("size").get<std::uint64_t>(), a_bytes.size());
    EXPECT_EQ(files.at("a.bin").at("digests").at("sha256"), sha256_hex(a_bytes));
    EXPECT_EQ(files.at("t/b.csv").at("size").get<std::uint64_t>(), b_bytes.size());
    EXPECT_EQ(files.at("t/b.csv").at("digests").at("sha256"), sha256_hex(b_bytes));
    EXPECT_FALSE(source.at("last_fetch").at("at").get<std::string>().empty());
    ASSERT_TRUE(source.at("sources").at(0).at("urls").is_array());
    EXPECT_EQ(source.at("sources").at(0).at("urls").size(), 2U);
    EXPECT_FALSE(contains(source_text, secret)) << "SOURCE.json leaks a URL token\n" << source_text;
    EXPECT_FALSE(contains(read_text_file(manifest.parent_path() / "cxrcat.lock"), secret));
    EXPECT_FALSE(contains(terms + cff, secret));
}

// --- automation output -----------------------------------------------------------------------------

TEST_F(SyncTest, FormatJsonGivesARecordPerFileAndASummary) {
    std::string a_bytes = seeded_bytes(7'000, 121);
    std::string b_bytes = seeded_bytes(700, 122);
    serve("a.bin", a_bytes);
    serve("b.bin", b_bytes);
    Machine a = machine(
        "a",
        write_catalog("c", {dataset_entry("sy-json", {{"a.bin", origin_url("a.bin")}, {"b.bin", origin_url("b.bin")}}),
                            dataset_entry("sy-json-bad", {{"gone.bin", origin_url("gone.bin")}})}));
    fs::path manifest = write_manifest("project", {{"datasets", {{{"id", "sy-json"}}}}});

    ProcessResult first = cxrcat(a, {"sync", "--accept-terms", "--format", "json", "--manifest", manifest.string()});
    ASSERT_EQ(first.exit_code, 0) << first.describe();
    json report = json::parse(first.out, nullptr, false);
    ASSERT_FALSE(report.is_discarded()) << "stdout is not one JSON document\n" << first.describe();
    ASSERT_EQ(report.at("files").size(), 2U) << report.dump(2);
    std::map<std::string, json> by_path;
    for (const auto& record : report.at("files")) {
        by_path[record.at("path").get<std::string>()] = record;
    }
    EXPECT_EQ(by_path.at("a.bin").at("dataset"), "sy-json");
    EXPECT_EQ(by_path.at("a.bin").at("status"), "downloaded");
    EXPECT_EQ(by_path.at("a.bin").at("bytes").get<std::uint64_t>(), a_bytes.size());
    EXPECT_EQ(by_path.at("a.bin").at("digests").at("sha256"), sha256_hex(a_bytes));
    EXPECT_TRUE(by_path.at("a.bin").at("error").is_null());
    EXPECT_EQ(by_path.at("b.bin").at("digests").at("sha256"), sha256_hex(b_bytes));
    EXPECT_EQ(report.at("summary").at("downloaded"), 2);
    EXPECT_EQ(report.at("summary").at("failed"), 0);
    EXPECT_EQ(report.at("summary").at("lock_written"), true);
    EXPECT_EQ(report.at("exit_code"), 0);

    ProcessResult second = cxrcat(a, {"sync", "--format", "json", "--manifest", manifest.string()});
    ASSERT_EQ(second.exit_code, 0) << second.describe();
    json again = json::parse(second.out, nullptr, false);
    ASSERT_FALSE(again.is_discarded()) << second.describe();
    EXPECT_EQ(again.at("datasets").at(0).at("up_to_date"), true);
    // Still a record per file: what the lock says is installed.
    ASSERT_EQ(again.at("files").size(), 2U) << again.dump(2);
    for (const auto& record : again.at("files")) {
        EXPECT_EQ(record.at("status"), "skipped") << record;
        EXPECT_EQ(record.at("digests").at("sha256"),
                  by_path.at(record.at("path").get<std::string>()).at("digests").at("sha256"));
        EXPECT_EQ(record.at("bytes"), by_path.at(record.at("path").get<std::string>()).at("bytes"));
    }
    EXPECT_EQ(again.at("summary").at("skipped"), 2);
    EXPECT_EQ(again.at("summary").at("downloaded"), 0);
    EXPECT_EQ(again.at("summary").at("lock_written"), false);

    // A failing file: its record carries the error, the summary counts it, the exit code says why.
    fs::path bad = write_manifest("bad", {{"datasets", {{{"id", "sy-json-bad"}}}}});
    ProcessResult failed = cxrcat(a, {"sync", "--accept-terms", "--format", "json", "--manifest", bad.string()});
    EXPECT_NE(failed.exit_code, 0) << failed.describe();
    json failure = json::parse(failed.out, nullptr, false);
    ASSERT_FALSE(failure.is_discarded()) << failed.describe();
    ASSERT_EQ(failure.at("files").size(), 1U) << failure.dump(2);
    EXPECT_EQ(failure.at("files").at(0).at("status"), "failed");
    EXPECT_EQ(failure.at("files").at(0).at("error").at("exit_code"), failed.exit_code);
    EXPECT_EQ(failure.at("summary").at("failed"), 1);
    EXPECT_EQ(failure.at("exit_code"), failed.exit_code);
}

TEST_F(SyncTest, RerunAfterAPartialFailureOnlyTouchesWhatFailed) {
    std::string good = seeded_bytes(11'000, 131);
    std::string late = seeded_bytes(4'000, 132);
    serve("good.bin", good); // late.bin is not there yet: 404
    Machine a = machine("a", write_catalog("c", {dataset_entry("sy-partial", {{"good.bin", origin_url("good.bin")},
                                                                              {"late.bin", origin_url("late.bin")}})}));
    fs::path manifest = write_manifest("project", {{"datasets", {{{"id", "sy-partial"}}}}});
    ProcessResult first = cxrcat(a, {"sync", "--accept-terms", "--manifest", manifest.string()});
    EXPECT_NE(first.exit_code, 0) << first.describe();
    EXPECT_TRUE(contains(first.err, "late.bin")) << first.describe();
    EXPECT_EQ(read_text_file(a.dataset("sy-partial") / "good.bin"), good);
    int late_first = origin_requests("late.bin");

    serve("late.bin", late);
    ProcessResult second = cxrcat(a, {"sync", "--manifest", manifest.string()});
    ASSERT_EQ(second.exit_code, 0) << second.describe();
    EXPECT_EQ(read_text_file(a.dataset("sy-partial") / "late.bin"), late);
    EXPECT_EQ(origin_requests("good.bin"), 1) << "the file that had succeeded was fetched again";
    EXPECT_EQ(origin_requests("late.bin"), late_first + 1);
    json lock = json::parse(read_text_file(manifest.parent_path() / "cxrcat.lock"));
    EXPECT_EQ(lock.at("datasets").at("sy-partial").at("files").size(), 2U);
}

} // namespace
} // namespace cxrcat::test
