// SPDX-License-Identifier: Apache-2.0
// Shared fixture of the access-route tests: the real cxrcat binary against the provider stubs
// (tests/servers/README.md, "Provider stubs"). HOME, the XDG directories and CXRCAT_HOME point into
// a fresh temporary directory, so no real ~/.netrc or credential file is ever read; every provider
// URL points at its stub. Each test builds its own world content under unique names.
#pragma once

#include "cxrcat/base/text.hpp"
#include "cxrcat/net/http_get.hpp"
#include "support/files.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <map>
#include <random>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace cxrcat::test {

class StubRouteTest : public ::testing::Test {
  protected:
    void SetUp() override {
        const char* json = std::getenv("CXRCAT_PROVIDER_STUBS");      // NOLINT(concurrency-mt-unsafe)
        const char* required = std::getenv("CXRCAT_REQUIRE_SERVERS"); // NOLINT(concurrency-mt-unsafe)
        if (json == nullptr || !std::filesystem::exists(json)) {
            if (required != nullptr && std::string(required) == "1") {
                FAIL() << "the provider stubs are not running (CXRCAT_PROVIDER_STUBS=" << (json ? json : "") << ")";
            }
            GTEST_SKIP() << "the provider stubs are not running (ctest starts them: ctest -R providers)";
        }
        m_stubs = nlohmann::json::parse(read_text_file(json));
        m_env = {{"HOME", (m_dir / "home").string()},
                 {"XDG_CONFIG_HOME", (m_dir / "config").string()},
                 {"XDG_DATA_HOME", (m_dir / "data").string()},
                 {"XDG_CACHE_HOME", (m_dir / "cache").string()},
                 {"CXRCAT_HOME", (m_dir / "cxrcat-home").string()},
                 {"CXRCAT_ZENODO_URL", base("zenodo")},
                 {"CXRCAT_PHYSIONET_URL", base("physionet")},
                 {"CXRCAT_KAGGLE_URL", base("kaggle")},
                 {"HF_ENDPOINT", base("huggingface")},
                 {"CXRCAT_IDC_URL", base("idc")},
                 // A unit of the API stub no test creates (404): a test that wants the API names its own.
                 {"CXRCAT_IDC_API_URL", base("idc_api") + "/_no-unit/v3"},
                 // Likewise for the NBIA API (never the real TCIA: a dataset may fall back to it).
                 {"CXRCAT_TCIA_URL", base("tcia") + "/_no-unit/nbia-api/services/v1"},
                 {"CXRCAT_TCIA_NLST_URL", base("tcia") + "/_no-unit/nbia-api/services/v4"},
                 {"CXRCAT_RETRY_BASE_MS", "50"}};
        std::filesystem::create_directories(m_dir / "home");
        set_up_route();
    }

    // A route fixture's own set-up (each override first calls its base's), run at the end of SetUp once
    // the stubs answer: never for a skipped or failed start.
    virtual void set_up_route() {}

    // The stub's base URL ("http://127.0.0.1:PORT").
    [[nodiscard]] std::string base(const std::string& provider) const {
        return m_stubs.at(provider).get<std::string>();
    }
    // <world>/<provider>: where the stub reads its content on every request.
    [[nodiscard]] std::filesystem::path world(const std::string& provider) const {
        return std::filesystem::path(m_stubs.at("world").get<std::string>()) / provider;
    }

    // A name no other test (or earlier run) uses: prefix-<pid>-<counter>-<random>.
    static std::string unique(const std::string& prefix) {
        return prefix + "-" + std::to_string(::getpid()) + "-" + std::to_string(next_counter()) + "-" + random_hex(6);
    }
    // A numeric id (a Zenodo record) no other test uses.
    static std::string unique_digits() {
        std::uniform_int_distribution<std::uint64_t> digits(100'000'000ULL, 999'999'999ULL);
        return "7" + std::to_string(digits(random_engine())) + std::to_string(next_counter() % 1000 + 100);
    }
    static std::string random_hex(std::size_t bytes) {
        static constexpr std::string_view k_hex = "0123456789abcdef";
        std::uniform_int_distribution<int> nibble(0, 15);
        std::string out;
        for (std::size_t i = 0; i < 2 * bytes; ++i) {
            out.push_back(k_hex[static_cast<std::size_t>(nibble(random_engine()))]);
        }
        return out;
    }
    // n pseudo-random bytes (binary, so no sniffer takes them for text or a web page).
    static std::string random_bytes(std::size_t n) {
        std::uniform_int_distribution<int> byte(0, 255);
        std::string out(n, '\0');
        for (auto& c : out) {
            c = static_cast<char>(byte(random_engine()));
        }
        return out;
    }

    // A catalog entry with one source, in the shape of catalog/datasets/*.json.
    static nlohmann::json dataset_entry(const std::string& id, const std::string& access_class,
                                        const nlohmann::json& source) {
        return {
            {"id", id},
            {"name", "Stub dataset " + id},
            {"modality", "cxr"},
            {"category", "general"},
            {"homepage", "https://example.org/" + id},
            {"license", {{"name", "CC-BY-4.0"}}},
            {"access", {{"class", access_class}, {"terms", "Test terms."}, {"terms_url", "https://example.org/terms"}}},
            {"sources", nlohmann::json::array({source})}};
    }

    // Adds entry to the user catalog every cxrcat() call passes with --catalog.
    void add_dataset(const nlohmann::json& entry) {
        std::filesystem::path file = m_dir / "catalog" / (entry.at("id").get<std::string>() + ".json");
        write_text_file(file, entry.dump(2));
        m_catalogs.push_back(file);
    }

    // Runs cxrcat with the user catalogs, the fixture's environment plus extra_env, minus unset.
    [[nodiscard]] ProcessResult cxrcat(const std::vector<std::string>& args,
                                       const std::map<std::string, std::string>& extra_env = {},
                                       const std::vector<std::string>& unset = {}) const {
        std::vector<std::string> argv = m_launcher;
        argv.emplace_back(CXRCAT_BINARY);
        for (const auto& file : m_catalogs) {
            argv.push_back("--catalog");
            argv.push_back(file.string());
        }
        argv.insert(argv.end(), args.begin(), args.end());
        std::map<std::string, std::string> env = m_env;
        for (const auto& [name, value] : extra_env) {
            env[name] = value;
        }
        std::vector<std::string> removed{"CXRCAT_CATALOG",
                                         "COLUMNS",
                                         "NO_COLOR",
                                         "NETRC",
                                         "CURL_CA_BUNDLE",
                                         "CXRCAT_PHYSIONET_USER",
                                         "CXRCAT_PHYSIONET_PASSWORD",
                                         "KAGGLE_USERNAME",
                                         "KAGGLE_KEY",
                                         "KAGGLE_API_TOKEN",
                                         "KAGGLE_CONFIG_DIR",
                                         "HF_TOKEN",
                                         "HUGGING_FACE_HUB_TOKEN",
                                         "HF_HOME",
                                         "HF_TOKEN_PATH",
                                         "http_proxy",
                                         "https_proxy",
                                         "HTTP_PROXY",
                                         "HTTPS_PROXY",
                                         "ALL_PROXY",
                                         "all_proxy"};
        for (const auto& name : unset) {
            removed.push_back(name);
            env.erase(name);
        }
        std::erase_if(removed, [&](const std::string& name) { return env.count(name) > 0; });
        return run_process(argv, env, removed);
    }

    // Where fetch installs dataset id.
    [[nodiscard]] std::filesystem::path dataset_dir(const std::string& id) const {
        return m_dir / "cxrcat-home" / "datasets" / id;
    }

    // The stub's /__stats for one raw URL path: {requests, statuses, ranges, authorization, log}.
    [[nodiscard]] nlohmann::json stats(const std::string& provider, const std::string& path) const {
        HttpRequest request;
        request.url = base(provider) + "/__stats?path=" + query_encode(path);
        auto response = http_request(request);
        if (!response || response->status != 200) {
            ADD_FAILURE() << "cannot read " << request.url;
            return nlohmann::json::object();
        }
        auto document = nlohmann::json::parse(response->body);
        return document.contains(path) ? document[path] : nlohmann::json::object();
    }

    // Clears the stub's counters of one raw URL path (never everything: tests run in parallel).
    void reset_stats(const std::string& provider, const std::string& path) const {
        HttpRequest request;
        request.method = "POST";
        request.url = base(provider) + "/__reset?path=" + query_encode(path);
        auto response = http_request(request);
        EXPECT_TRUE(response && response->status == 200) << "cannot reset " << request.url;
    }

    // Overwrites the start of file in place with bytes of the same length and gives it back its
    // modification time: the stubs cache digests by (path, size, mtime, inode), so they keep
    // publishing the old checksum while serving the new bytes — a server whose files no longer
    // match what its API says.
    static void corrupt_keeping_metadata(const std::filesystem::path& file) {
        struct stat before {};
        ASSERT_EQ(::stat(file.c_str(), &before), 0);
        int fd = ::open(file.c_str(), O_WRONLY);
        ASSERT_GE(fd, 0);
        std::string garbage(16, 'X');
        ASSERT_EQ(::pwrite(fd, garbage.data(), garbage.size(), 300), static_cast<ssize_t>(garbage.size()));
        ::close(fd);
        const struct timespec times[2] = {before.st_atim, before.st_mtim};
        ASSERT_EQ(::utimensat(AT_FDCWD, file.c_str(), times, 0), 0);
    }

    // Every regular file under directory (its relative path → content).
    static std::map<std::string, std::string> files_under(const std::filesystem::path& directory) {
        std::map<std::string, std::string> found;
        std::error_code ec;
        for (std::filesystem::recursive_directory_iterator it(directory, ec), end; !ec && it != end; it.increment(ec)) {
            if (it->is_regular_file()) {
                found[std::filesystem::relative(it->path(), directory).generic_string()] = read_text_file(it->path());
            }
        }
        return found;
    }

    TempDir m_dir;
    nlohmann::json m_stubs;
    std::map<std::string, std::string> m_env;
    std::vector<std::filesystem::path> m_catalogs;
    std::vector<std::string> m_launcher; // a program that runs cxrcat (prepended to its argv), or none

  private:
    // Percent-encodes a raw URL path for a query value ('%' included: the stubs key stats by raw path),
    // slashes kept, with the library's own encoder.
    static std::string query_encode(const std::string& text) { return url_encode(text, true); }

    static std::mt19937_64& random_engine() {
        static thread_local std::mt19937_64 engine(std::random_device{}());
        return engine;
    }
    static unsigned long next_counter() {
        static std::atomic<unsigned long> counter{0};
        return ++counter;
    }
};

// True when text contains needle; for EXPECT_TRUE with a readable failure.
inline ::testing::AssertionResult has_text(const std::string& text, const std::string& needle) {
    if (text.find(needle) != std::string::npos) {
        return ::testing::AssertionSuccess();
    }
    return ::testing::AssertionFailure() << "'" << needle << "' not found in:\n" << text;
}

} // namespace cxrcat::test
