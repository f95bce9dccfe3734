// SPDX-License-Identifier: Apache-2.0
// The S3 tests' fixture: the loopback origin (nginx + the fault server, whose /__stats counts
// requests), Ceph radosgw as the S3 store (tests/servers/s3_fixture.py), s3cmd as the independent
// client, and the real cxrcat binary run in a home of its own.
#pragma once

#include "cxrcat/base/digest.hpp"
#include "cxrcat/net/http_get.hpp"
#include "support/fault_stats.hpp"
#include "support/files.hpp"
#include "support/fixture_servers.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <stdexcept>
#include <string>
#include <unistd.h>
#include <vector>

namespace cxrcat::test {

namespace fs = std::filesystem;
using nlohmann::json;

inline std::string s3_random_content(std::size_t size, std::uint64_t seed) {
    std::mt19937_64 generator(seed);
    std::string out(size, '\0');
    for (char& c : out) {
        c = static_cast<char>(generator() & 0xffU);
    }
    return out;
}

inline bool has_text(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

inline json http_dataset(const std::string& id, const std::vector<std::pair<std::string, std::string>>& files,
                         const std::string& redistribution = "allowed") {
    json list = json::array();
    for (const auto& [path, url] : files) {
        list.push_back({{"path", path}, {"url", url}, {"extract", false}});
    }
    return {{"id", id},
            {"name", "S3 test " + id},
            {"modality", "cxr"},
            {"category", "general"},
            {"license", {{"name", "CC-BY-4.0"}, {"spdx", "CC-BY-4.0"}}},
            {"redistribution", redistribution},
            {"citation", "@misc{" + id + ", title={S3 test " + id + "}, year={2024}}"},
            {"access",
             {{"class", "open"}, {"terms", "Cite the S3 test " + id + "."}, {"terms_url", "https://example.org/t"}}},
            {"sources", json::array({{{"provider", "http"}, {"files", list}}})}};
}

struct Home {
    fs::path root;
    fs::path catalog;
    [[nodiscard]] fs::path dataset(const std::string& id) const { return root / "cxrcat-home" / "datasets" / id; }
};

class S3Test : public ::testing::Test {
  protected:
    void SetUp() override {
        for (const char* variable : {"CXRCAT_TEST_SERVERS", "CXRCAT_TEST_S3"}) {
            FixtureServers fixture = find_fixture_servers(variable);
            if (!fixture.missing.empty()) {
                if (fixture.required) {
                    FAIL() << fixture.missing;
                }
                GTEST_SKIP() << fixture.missing;
            }
        }
        json servers = json::parse(read_text_file(find_fixture_servers("CXRCAT_TEST_SERVERS").json_path));
        m_s3 = json::parse(read_text_file(find_fixture_servers("CXRCAT_TEST_S3").json_path));
        m_www = servers.at("www").get<std::string>();
        m_http = servers.at("http").get<std::string>();
        m_fault = servers.at("fault").get<std::string>();
        m_access_log = servers.at("access_log").get<std::string>();
        const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        m_name = "s3-" + std::string(info->name()) + "-" + std::to_string(::getpid());
        fs::create_directories(m_www / m_name);
        std::random_device random;
        m_bucket = "cxr-" + std::to_string(::getpid()) + "-" + std::to_string(random() % 1'000'000'000U);
        m_have_servers = true;
    }

    void TearDown() override {
        if (m_have_servers) {
            std::error_code ignored;
            fs::remove_all(m_www / m_name, ignored);
            (void)s3cmd({"rb", "--recursive", "--force", "s3://" + m_bucket});
        }
    }

    [[nodiscard]] std::string endpoint() const { return m_s3.at("endpoint").get<std::string>(); }
    [[nodiscard]] std::string access_key() const { return m_s3.at("access_key").get<std::string>(); }
    [[nodiscard]] std::string secret_key() const { return m_s3.at("secret_key").get<std::string>(); }

    // Debian's s3cmd against radosgw: the independent client.
    [[nodiscard]] ProcessResult s3cmd(const std::vector<std::string>& args) const {
        std::string host = endpoint().substr(std::string("http://").size());
        std::vector<std::string> argv{"s3cmd",
                                      "--config=/dev/null",
                                      "--no-ssl",
                                      "--host=" + host,
                                      "--host-bucket=" + host,
                                      "--access_key=" + access_key(),
                                      "--secret_key=" + secret_key(),
                                      "--region=" + m_s3.at("region").get<std::string>()};
        argv.insert(argv.end(), args.begin(), args.end());
        return run_process(argv, {}, {});
    }

    void make_bucket() const {
        ProcessResult made = s3cmd({"mb", "s3://" + m_bucket});
        ASSERT_EQ(made.exit_code, 0) << made.describe();
    }

    void serve(const std::string& name, const std::string& content) const {
        write_text_file(m_www / m_name / name, content);
    }
    [[nodiscard]] std::string origin_url(const std::string& name) const {
        return m_fault + "/ok/" + m_name + "/" + name;
    }

    [[nodiscard]] int origin_requests() const { return fault_requests_under(m_fault, m_name); }

    [[nodiscard]] Home home(const std::string& name, const fs::path& catalog) const {
        return Home{m_dir / name, catalog};
    }

    fs::path write_catalog(const std::vector<json>& entries) const {
        fs::path path = m_dir / "catalog.json";
        write_text_file(path, json{{"datasets", entries}}.dump(2));
        return path;
    }

    // The AWS settings of the radosgw user, with secret replacing its secret key when given.
    [[nodiscard]] std::map<std::string, std::string> aws_env(const std::string& secret = {}) const {
        return {{"AWS_ACCESS_KEY_ID", access_key()},
                {"AWS_SECRET_ACCESS_KEY", secret.empty() ? secret_key() : secret},
                {"AWS_ENDPOINT_URL", endpoint()},
                {"AWS_REGION", m_s3.at("region").get<std::string>()}};
    }

    [[nodiscard]] ProcessResult cxrcat(const Home& on, const std::vector<std::string>& args,
                                       const std::map<std::string, std::string>& extra_env = {}) const {
        return start_cxrcat(on, args, extra_env).wait();
    }

    // The same, without waiting.
    [[nodiscard]] SpawnedProcess start_cxrcat(const Home& on, const std::vector<std::string>& args,
                                              const std::map<std::string, std::string>& extra_env = {}) const {
        std::map<std::string, std::string> env{{"HOME", (on.root / "home").string()},
                                               {"XDG_CONFIG_HOME", (on.root / "config").string()},
                                               {"XDG_DATA_HOME", (on.root / "data").string()},
                                               {"XDG_CACHE_HOME", (on.root / "cache").string()},
                                               {"CXRCAT_HOME", (on.root / "cxrcat-home").string()},
                                               {"CXRCAT_CATALOG", on.catalog.string()},
                                               {"CXRCAT_RETRY_BASE_MS", "20"}};
        for (const auto& [name, value] : extra_env) {
            env[name] = value;
        }
        std::vector<std::string> unset;
        for (const char* name :
             {"CXRCAT_MIRRORS",    "CXRCAT_NO_ORIGIN",    "CXRCAT_OFFLINE",    "CURL_CA_BUNDLE",
              "http_proxy",        "https_proxy",         "HTTP_PROXY",        "HTTPS_PROXY",
              "ALL_PROXY",         "all_proxy",           "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
              "AWS_SESSION_TOKEN", "AWS_PROFILE",         "AWS_REGION",        "AWS_DEFAULT_REGION",
              "AWS_ENDPOINT_URL",  "AWS_ENDPOINT_URL_S3", "AWS_CONFIG_FILE",   "AWS_SHARED_CREDENTIALS_FILE"}) {
            if (env.count(name) == 0) {
                unset.emplace_back(name);
            }
        }
        std::vector<std::string> argv{CXRCAT_BINARY};
        argv.insert(argv.end(), args.begin(), args.end());
        return start_process(argv, env, unset);
    }

    // Home a with the dataset fetched from the origin (and its lock beside the manifest).
    fs::path fetch_on_a(const Home& a, const std::string& id) const {
        fs::path manifest = m_dir / "project" / "cxrcat.json";
        write_text_file(manifest, json{{"datasets", {{{"id", id}}}}}.dump(2));
        ProcessResult synced = cxrcat(a, {"sync", "--accept-terms", "--manifest", manifest.string()});
        EXPECT_EQ(synced.exit_code, 0) << synced.describe();
        return manifest;
    }

    TempDir m_dir;
    json m_s3;
    fs::path m_www;
    std::string m_http;
    std::string m_fault;
    fs::path m_access_log;
    std::string m_name;
    std::string m_bucket;
    bool m_have_servers = false;
};

} // namespace cxrcat::test
