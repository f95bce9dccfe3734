// SPDX-License-Identifier: Apache-2.0
#include "integration_test.hpp"

#include "support/fixture_servers.hpp"

#include <curl/curl.h>

#include <cstdlib>
#include <fstream>
#include <memory>
#include <random>
#include <stdexcept>
#include <thread>
#include <unistd.h>

namespace cxrcat::test {

namespace {

struct EasyDeleter {
    void operator()(CURL* easy) const noexcept { curl_easy_cleanup(easy); }
};

std::size_t append_body(char* data, std::size_t size, std::size_t count, void* out) {
    static_cast<std::string*>(out)->append(data, size * count);
    return size * count;
}

template <typename T> void set(CURL* easy, CURLoption option, T value) {
    if (curl_easy_setopt(easy, option, value) != CURLE_OK) {
        throw std::runtime_error("curl_easy_setopt failed");
    }
}

// A test name usable in a URL path.
std::string url_safe(std::string text) {
    for (char& c : text) {
        bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
        if (!plain) {
            c = '_';
        }
    }
    return text;
}

} // namespace

HttpReply http_request(const std::string& method, const std::string& url) {
    static const bool initialised = [] { return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK; }();
    if (!initialised) {
        throw std::runtime_error("curl_global_init failed");
    }
    std::unique_ptr<CURL, EasyDeleter> easy(curl_easy_init());
    if (!easy) {
        throw std::runtime_error("curl_easy_init failed");
    }
    HttpReply reply;
    set(easy.get(), CURLOPT_URL, url.c_str());
    set(easy.get(), CURLOPT_NOPROXY, "*");
    set(easy.get(), CURLOPT_TIMEOUT, 30L);
    set(easy.get(), CURLOPT_CUSTOMREQUEST, method.c_str());
    if (method == "POST") {
        set(easy.get(), CURLOPT_POSTFIELDS, "");
    }
    set(easy.get(), CURLOPT_WRITEFUNCTION, &append_body);
    set(easy.get(), CURLOPT_WRITEDATA, &reply.body);
    if (CURLcode code = curl_easy_perform(easy.get()); code != CURLE_OK) {
        throw std::runtime_error(method + " " + url + ": " + curl_easy_strerror(code));
    }
    curl_easy_getinfo(easy.get(), CURLINFO_RESPONSE_CODE, &reply.status);
    return reply;
}

std::string random_bytes(std::size_t size) {
    std::mt19937_64 generator(std::random_device{}());
    std::string out(size, '\0');
    std::size_t i = 0;
    for (; i + 8 <= size; i += 8) {
        std::uint64_t word = generator();
        for (std::size_t k = 0; k < 8; ++k) {
            out[i + k] = static_cast<char>((word >> (8 * k)) & 0xffU);
        }
    }
    for (; i < size; ++i) {
        out[i] = static_cast<char>(generator() & 0xffU);
    }
    return out;
}

bool poll_until(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (done()) {
            return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10)); // polling interval, not a wait for an event
    }
    return done();
}

std::uint64_t file_size_or_zero(const fs::path& path) {
    std::error_code ec;
    auto size = fs::file_size(path, ec);
    return ec ? 0 : size;
}

IntegrationTest::IntegrationTest()
    : m_env{{"HOME", (m_dir / "home").string()},
            {"XDG_CONFIG_HOME", (m_dir / "config").string()},
            {"XDG_DATA_HOME", (m_dir / "data").string()},
            {"XDG_CACHE_HOME", (m_dir / "cache").string()},
            {"CXRCAT_HOME", (m_dir / "cxrcat-home").string()},
            {"CXRCAT_RETRY_BASE_MS", "50"}} {}

void IntegrationTest::SetUp() {
    FixtureServers servers = find_fixture_servers("CXRCAT_TEST_SERVERS");
    if (!servers.missing.empty()) {
        if (servers.required) {
            FAIL() << servers.missing;
        }
        GTEST_SKIP() << servers.missing;
    }
    auto json = nlohmann::json::parse(read_text_file(servers.json_path));
    m_servers.www = json.at("www").get<std::string>();
    m_servers.http = json.at("http").get<std::string>();
    m_servers.https = json.at("https").get<std::string>();
    m_servers.fault = json.at("fault").get<std::string>();
    m_servers.ca_cert = json.at("ca_cert").get<std::string>();
    m_servers.access_log = json.at("access_log").get<std::string>();

    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    m_www_name =
        "it-" + url_safe(std::string(info->test_suite_name()) + "-" + info->name()) + "-" + std::to_string(::getpid());
    fs::remove_all(m_servers.www / m_www_name);
    fs::create_directories(m_servers.www / m_www_name);
    m_have_servers = true;
}

void IntegrationTest::TearDown() {
    if (m_have_servers) {
        std::error_code ignored;
        fs::remove_all(m_servers.www / m_www_name, ignored);
    }
}

void IntegrationTest::serve(const std::string& name, std::string_view content) const {
    write_text_file(served_file(name), content);
}

std::string IntegrationTest::nginx_url(const std::string& location, const std::string& name,
                                       const std::string& query) const {
    return m_servers.http + "/" + location + "/" + served_path(name) + (query.empty() ? "" : "?" + query);
}

std::string IntegrationTest::nginx_https_url(const std::string& name) const {
    return m_servers.https + "/files/" + served_path(name);
}

std::string IntegrationTest::fault_url(const std::string& mode, const std::string& name,
                                       const std::string& query) const {
    return m_servers.fault + fault_path(mode, name) + (query.empty() ? "" : "?" + query);
}

nlohmann::json IntegrationTest::fault_stats(const std::string& url_path) const {
    HttpReply reply = http_request("GET", m_servers.fault + "/__stats?path=" + url_path);
    if (reply.status != 200) {
        throw std::runtime_error("GET /__stats: HTTP " + std::to_string(reply.status));
    }
    auto all = nlohmann::json::parse(reply.body);
    if (all.contains(url_path)) {
        return all[url_path];
    }
    return nlohmann::json{{"requests", 0},
                          {"ranges", nlohmann::json::array()},
                          {"statuses", nlohmann::json::array()},
                          {"log", nlohmann::json::array()}};
}

int IntegrationTest::fault_requests(const std::string& url_path) const {
    return fault_stats(url_path).value("requests", 0);
}

std::vector<nlohmann::json> IntegrationTest::access_log(const std::string& url_path) const {
    std::vector<nlohmann::json> out;
    std::ifstream log(m_servers.access_log);
    std::string line;
    while (std::getline(log, line)) {
        if (line.find(url_path) == std::string::npos) {
            continue; // cheap filter before parsing
        }
        auto entry = nlohmann::json::parse(line, nullptr, false);
        if (!entry.is_discarded() && entry.value("path", "") == url_path) {
            out.push_back(std::move(entry));
        }
    }
    return out;
}

fs::path IntegrationTest::write_catalog(const std::vector<CatalogFile>& files, const std::string& id) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& file : files) {
        nlohmann::json entry = {{"path", file.path}, {"url", file.url}, {"extract", file.extract}};
        if (file.size) {
            entry["size"] = *file.size;
        }
        if (file.sha256) {
            entry["sha256"] = *file.sha256;
        }
        if (file.extracted_size) {
            entry["extracted_size"] = *file.extracted_size;
        }
        list.push_back(entry);
    }
    nlohmann::json dataset = {
        {"id", id},
        {"name", "Integration test dataset " + id},
        {"modality", "cxr"},
        {"category", "general"},
        {"license", {{"name", "CC-BY-4.0"}}},
        {"access", {{"class", "open"}, {"terms", "Cite the test."}, {"terms_url", "https://example.org/terms"}}},
        {"sources", nlohmann::json::array({{{"provider", "http"}, {"files", list}}})}};
    m_catalog = m_dir / ("catalog-" + id + ".json");
    write_text_file(m_catalog, dataset.dump(2));
    return m_catalog;
}

std::vector<std::string> IntegrationTest::cxrcat_argv(const std::vector<std::string>& args) const {
    std::vector<std::string> argv{CXRCAT_BINARY};
    if (!m_catalog.empty()) {
        argv.emplace_back("--catalog");
        argv.push_back(m_catalog.string());
    }
    argv.insert(argv.end(), args.begin(), args.end());
    return argv;
}

std::map<std::string, std::string> IntegrationTest::child_env(const std::map<std::string, std::string>& extra) const {
    std::map<std::string, std::string> env = m_env;
    for (const auto& [name, value] : extra) {
        env[name] = value;
    }
    return env;
}

std::vector<std::string> IntegrationTest::unset_vars() {
    // Nothing from the developer's shell may redirect traffic or change trust: loopback only.
    return {"CXRCAT_CATALOG",
            "COLUMNS",
            "NO_COLOR",
            "CURL_CA_BUNDLE",
            "SSL_CERT_FILE",
            "SSL_CERT_DIR",
            "http_proxy",
            "https_proxy",
            "HTTP_PROXY",
            "HTTPS_PROXY",
            "ALL_PROXY",
            "all_proxy",
            "CXRCAT_SEGMENT_THRESHOLD"};
}

ProcessResult IntegrationTest::cxrcat(const std::vector<std::string>& args,
                                      const std::map<std::string, std::string>& extra_env,
                                      const std::vector<std::string>& unset) const {
    std::map<std::string, std::string> env = child_env(extra_env);
    std::vector<std::string> removed;
    for (const auto& name : unset_vars()) {
        if (extra_env.count(name) == 0) {
            removed.push_back(name);
        }
    }
    for (const auto& name : unset) {
        env.erase(name);
        removed.push_back(name);
    }
    return run_process(cxrcat_argv(args), env, removed);
}

SpawnedProcess IntegrationTest::start_cxrcat(const std::vector<std::string>& args,
                                             const std::map<std::string, std::string>& extra_env) const {
    std::vector<std::string> removed;
    for (const auto& name : unset_vars()) {
        if (extra_env.count(name) == 0) {
            removed.push_back(name);
        }
    }
    return start_process(cxrcat_argv(args), child_env(extra_env), removed);
}

ProcessResult IntegrationTest::cxrcat_with_file_size_limit(std::uint64_t limit,
                                                           const std::vector<std::string>& args) const {
    std::vector<std::string> argv{"/bin/sh", "-c"};
    if (fs::exists("/usr/bin/prlimit")) {
        argv.push_back("trap '' XFSZ; exec /usr/bin/prlimit --fsize=" + std::to_string(limit) + " -- \"$@\"");
    } else {
        // POSIX ulimit -f counts 512-byte blocks.
        argv.push_back("trap '' XFSZ; ulimit -f " + std::to_string(limit / 512) + " && exec \"$@\"");
    }
    argv.emplace_back("sh");
    auto command = cxrcat_argv(args);
    argv.insert(argv.end(), command.begin(), command.end());
    return run_process(argv, child_env({}), unset_vars());
}

fs::path IntegrationTest::dataset_dir(const std::string& id) const {
    return fs::path(m_env.at("CXRCAT_HOME")) / "datasets" / id;
}

nlohmann::json IntegrationTest::state_json(const std::string& id) const {
    fs::path path = dataset_dir(id) / ".cxrcat" / "state.json";
    if (!fs::exists(path)) {
        return nlohmann::json::object();
    }
    return nlohmann::json::parse(read_text_file(path));
}

nlohmann::json IntegrationTest::stdout_json(const ProcessResult& result) {
    auto json = nlohmann::json::parse(result.out, nullptr, false);
    EXPECT_FALSE(json.is_discarded()) << "stdout is not JSON\n" << result.describe();
    return json.is_discarded() ? nlohmann::json() : json;
}

} // namespace cxrcat::test
