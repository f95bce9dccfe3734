// SPDX-License-Identifier: Apache-2.0
// The fixture of the sync tests (issue 5), with the real binary against the loopback servers of tests/servers:
// the origin is the fault server (`/ok/<file>`, whose /__stats counts every request per path), a
// mirror is a directory below `www` served by nginx (`/files/<dir>`), and an origin that is "down" is a
// loopback port where nothing listens. Each test serves its own directory below www and runs cxrcat
// with HOME, the XDG directories and CXRCAT_HOME in fresh temporary directories ("machines").
#pragma once

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

namespace fs = std::filesystem;
using nlohmann::json;

// --- small helpers ----------------------------------------------------------------------------------

inline std::string md5_hex(std::string_view text) {
    Hasher hasher(DigestAlgorithm::md5);
    hasher.update(text);
    return hasher.finish_hex();
}

// Replaces path with a new file (a new inode: a hard link to the old one keeps the old bytes).
inline void replace_file(const fs::path& path, std::string_view content) {
    std::error_code ignored;
    fs::remove(path, ignored);
    write_text_file(path, content);
}

// A loopback TCP port where nothing listens: bound to port 0, noted, closed.
inline int dead_port() {
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

inline bool contains(const std::string& text, const std::string& part) {
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

inline json dataset_entry(const std::string& id, const std::vector<FileSpec>& files, const EntryOptions& options = {}) {
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

inline double elapsed_ms(std::chrono::steady_clock::time_point since) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - since).count();
}

} // namespace cxrcat::test
