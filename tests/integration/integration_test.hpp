// SPDX-License-Identifier: Apache-2.0
// Shared fixture of the integration tests: the real cxrcat binary against the loopback nginx and
// fault servers of tests/servers (README.md there). Each test serves its own files from a directory
// of its own below `www`, writes its own catalog, and runs cxrcat with HOME, the XDG directories
// and CXRCAT_HOME in a fresh temporary directory.
#pragma once

#include "support/files.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cxrcat::test {

// The words every integration test uses, said once here.
namespace fs = std::filesystem;
using namespace std::chrono_literals;
using ::testing::HasSubstr;

inline constexpr std::size_t k_mib = std::size_t{1} << 20U;

// What tests/servers/nginx_fixture.py wrote to servers.json.
struct Servers {
    std::filesystem::path www;
    std::string http;  // nginx, http://127.0.0.1:PORT
    std::string https; // nginx, https://localhost:PORT
    std::string fault; // fault server, http://127.0.0.1:PORT
    std::filesystem::path ca_cert;
    std::filesystem::path access_log;
};

// A reply from http_request.
struct HttpReply {
    long status = 0;
    std::string body;
};

// One request with libcurl (no proxy, loopback only). Throws std::runtime_error on a transport error.
[[nodiscard]] HttpReply http_request(const std::string& method, const std::string& url);

// `size` random bytes (a fresh seed per call).
[[nodiscard]] std::string random_bytes(std::size_t size);

// Calls done() every few milliseconds until it returns true or timeout passes; returns its last answer.
bool poll_until(const std::function<bool()>& done, std::chrono::milliseconds timeout);

// Size of path, or 0 when it does not exist.
[[nodiscard]] std::uint64_t file_size_or_zero(const std::filesystem::path& path);

// One file of a test catalog entry.
struct CatalogFile {
    std::string path;
    std::string url;
    std::optional<std::uint64_t> size;
    std::optional<std::string> sha256;
    bool extract = false;
    std::optional<std::uint64_t> extracted_size{}; // the catalog's `extracted_size`, when declared
};

class IntegrationTest : public ::testing::Test {
  protected:
    IntegrationTest();
    void SetUp() override;
    void TearDown() override;

    [[nodiscard]] const Servers& servers() const { return m_servers; }

    // Path of name inside this test's directory below www, as the servers see it ("it-.../name").
    [[nodiscard]] std::string served_path(const std::string& name) const { return m_www_name + "/" + name; }
    // The file on disk that the servers serve for name.
    [[nodiscard]] std::filesystem::path served_file(const std::string& name) const {
        return m_servers.www / m_www_name / name;
    }
    // Writes content to the served file name (creating directories).
    void serve(const std::string& name, std::string_view content) const;

    // nginx URL: location is "files", "slow" or "throttled"; query without '?'.
    [[nodiscard]] std::string nginx_url(const std::string& location, const std::string& name,
                                        const std::string& query = "") const;
    // The same over HTTPS.
    [[nodiscard]] std::string nginx_https_url(const std::string& name) const;
    // Fault server URL, e.g. fault_url("ratelimit/2", "a.bin").
    [[nodiscard]] std::string fault_url(const std::string& mode, const std::string& name,
                                        const std::string& query = "") const;
    // The URL path the fault server counts for fault_url(mode, name).
    [[nodiscard]] std::string fault_path(const std::string& mode, const std::string& name) const {
        return "/" + mode + "/" + served_path(name);
    }

    // The fault server's counters for one URL path ({"requests": 0} when it was never requested).
    [[nodiscard]] nlohmann::json fault_stats(const std::string& url_path) const;
    [[nodiscard]] int fault_requests(const std::string& url_path) const;
    // nginx access log entries whose path is url_path, in log order.
    [[nodiscard]] std::vector<nlohmann::json> access_log(const std::string& url_path) const;

    // Writes a one-entry user catalog (id `t1` unless given) and returns its path.
    std::filesystem::path write_catalog(const std::vector<CatalogFile>& files, const std::string& id = "t1");

    // Runs cxrcat --catalog <the catalog> args..., with this test's environment plus extra_env.
    [[nodiscard]] ProcessResult cxrcat(const std::vector<std::string>& args,
                                       const std::map<std::string, std::string>& extra_env = {},
                                       const std::vector<std::string>& unset = {}) const;
    // The same, without waiting.
    [[nodiscard]] SpawnedProcess start_cxrcat(const std::vector<std::string>& args,
                                              const std::map<std::string, std::string>& extra_env = {}) const;
    // Runs cxrcat args... under a file size limit (RLIMIT_FSIZE with SIGXFSZ ignored, through
    // prlimit or the shell's ulimit), so that writes beyond `limit` bytes fail with EFBIG.
    [[nodiscard]] ProcessResult cxrcat_with_file_size_limit(std::uint64_t limit,
                                                            const std::vector<std::string>& args) const;
    // The argv and environment cxrcat() uses, for wrapping the binary (prlimit, sh).
    [[nodiscard]] std::vector<std::string> cxrcat_argv(const std::vector<std::string>& args) const;
    [[nodiscard]] std::map<std::string, std::string> child_env(const std::map<std::string, std::string>& extra) const;
    [[nodiscard]] static std::vector<std::string> unset_vars();

    // Where fetch installs dataset id, and one file of it.
    [[nodiscard]] std::filesystem::path dataset_dir(const std::string& id = "t1") const;
    [[nodiscard]] std::filesystem::path installed(const std::string& name, const std::string& id = "t1") const {
        return dataset_dir(id) / name;
    }
    [[nodiscard]] std::filesystem::path part_of(const std::string& name, const std::string& id = "t1") const {
        return dataset_dir(id) / (name + ".part");
    }
    // The dataset's state.json, parsed (an empty object when missing).
    [[nodiscard]] nlohmann::json state_json(const std::string& id = "t1") const;

    // stdout of a --format json run, parsed; fails the test (and returns null) when it is not JSON.
    [[nodiscard]] static nlohmann::json stdout_json(const ProcessResult& result);

    std::filesystem::path cxrcat_home() const { return m_dir / "cxrcat-home"; }
    void set_cxrcat_home(const std::filesystem::path& home) { m_env["CXRCAT_HOME"] = home.string(); }

    TempDir m_dir;
    Servers m_servers;
    std::string m_www_name;
    std::filesystem::path m_catalog;
    std::map<std::string, std::string> m_env;
    bool m_have_servers = false;
};

} // namespace cxrcat::test
