// SPDX-License-Identifier: Apache-2.0
// Every fault the fault server can inject maps to the right exit code, with nothing wrong left at
// the destination: retried and resumed when transient, refused at once when not.
#include "cxrcat/base/digest.hpp"
#include "integration_test.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <ostream>
#include <sys/socket.h>
#include <unistd.h>

namespace cxrcat::test {
namespace {

class Faults : public IntegrationTest {
  protected:
    // Serves random bytes as name and writes a catalog pointing at fault mode `mode` for it.
    std::string serve_for(const std::string& mode, const std::string& name, std::size_t size,
                          const std::string& query = "") {
        std::string data = random_bytes(size);
        serve(name, data);
        write_catalog({{name, fault_url(mode, name, query), data.size(), sha256_hex(data)}});
        return data;
    }

    // Serves 100 kB as name through fault mode `mode`, expects `fetch t1` to get past the fault and install
    // them intact, and returns the fault server's counters for the file.
    nlohmann::json fetch_past_fault(const std::string& mode, const std::string& name) {
        std::string data = serve_for(mode, name, 100'000);
        auto result = cxrcat({"fetch", "t1", "--accept-terms"});
        EXPECT_EQ(result.exit_code, 0) << result.describe();
        if (result.exit_code == 0) {
            EXPECT_EQ(read_text_file(installed(name)), data);
        }
        return fault_stats(fault_path(mode, name));
    }

    // Nothing at the destination, and no part that holds anything but a prefix of the good file.
    void expect_nothing_wrong_installed(const std::string& name, const std::string& good) const {
        EXPECT_FALSE(fs::exists(installed(name))) << name << " was installed";
        if (fs::exists(part_of(name))) {
            std::string part = read_text_file(part_of(name));
            EXPECT_EQ(part, good.substr(0, part.size())) << "a part of wrong bytes was left";
        }
        EXPECT_FALSE(state_json().value("files", nlohmann::json::object()).contains(name));
    }
};

TEST_F(Faults, DroppedConnectionsAreRetriedAndResumed) {
    const std::string name = "d.bin";
    std::string data = serve_for("dropfirst/2", name, 1'000'000);

    auto result = cxrcat({"fetch", "t1", "--accept-terms", "--format", "json"});
    ASSERT_EQ(result.exit_code, 0) << result.describe();
    EXPECT_EQ(read_text_file(installed(name)), data);
    auto stats = fault_stats(fault_path("dropfirst/2", name));
    EXPECT_EQ(stats["requests"], 3) << stats.dump();
    // Each retry asked only for what was missing.
    ASSERT_EQ(stats["ranges"].size(), 2U) << stats.dump();
    EXPECT_EQ(stats["ranges"][0], "bytes=500000-") << stats.dump();
    EXPECT_EQ(stats["ranges"][1], "bytes=750000-") << stats.dump();
    EXPECT_EQ(stdout_json(result)["files"][0]["bytes_received"], data.size()) << "bytes were fetched twice";
}

TEST_F(Faults, ConnectionThatAlwaysDropsGivesUpWithResumablePart) {
    const std::string name = "dd.bin";
    std::string data = serve_for("drop", name, 1'000'000);

    auto result = cxrcat({"fetch", "t1", "--accept-terms", "--retries", "3"});
    EXPECT_EQ(result.exit_code, 6) << result.describe();
    EXPECT_THAT(result.err, HasSubstr("gave up after 4 attempts")) << result.describe();
    auto stats = fault_stats(fault_path("drop", name));
    EXPECT_EQ(stats["requests"], 4) << stats.dump();
    EXPECT_EQ(stats["ranges"].size(), 3U) << "every retry resumes: " << stats.dump();
    expect_nothing_wrong_installed(name, data);
    // What arrived is kept (a true prefix, checked above) for the next run to resume.
    EXPECT_GT(file_size_or_zero(part_of(name)), data.size() / 2);
}

TEST_F(Faults, WrongBytesAreAnIntegrityError) {
    const std::string name = "w.bin";
    std::string data = serve_for("wrong", name, 200'001);
    std::string bad = data;
    bad[bad.size() / 2] = static_cast<char>(~bad[bad.size() / 2]);

    auto result = cxrcat({"fetch", "t1", "--accept-terms"});
    EXPECT_EQ(result.exit_code, 5) << result.describe();
    EXPECT_THAT(result.err, HasSubstr(name + ": sha256 mismatch")) << result.describe();
    EXPECT_THAT(result.err, HasSubstr("expected " + sha256_hex(data))) << result.describe();
    EXPECT_THAT(result.err, HasSubstr("actual   " + sha256_hex(bad))) << result.describe();
    EXPECT_THAT(result.err, HasSubstr("nothing was installed")) << result.describe();
    EXPECT_FALSE(fs::exists(installed(name)));
    EXPECT_FALSE(fs::exists(part_of(name))) << "a part of wrong bytes was left";
    EXPECT_FALSE(fs::exists(dataset_dir() / (name + ".part.json")));
    EXPECT_EQ(fault_requests(fault_path("wrong", name)), 1) << "an integrity error is not retried";
}

TEST_F(Faults, HtmlPageIsAnAccessProblem) {
    for (const std::string name : {"scan.zip", "data.bin"}) {
        SCOPED_TRACE(name);
        std::string data = random_bytes(5'000);
        serve(name, data);
        write_catalog({{name, fault_url("html", name), data.size(), sha256_hex(data)}});
        auto result = cxrcat({"fetch", "t1", "--accept-terms"});
        EXPECT_EQ(result.exit_code, 4) << result.describe();
        EXPECT_THAT(result.err, HasSubstr("web page")) << result.describe();
        EXPECT_THAT(result.err, HasSubstr("login")) << result.describe();
        EXPECT_FALSE(fs::exists(installed(name)));
        EXPECT_FALSE(fs::exists(part_of(name)));
    }
}

TEST_F(Faults, RateLimitHonoursRetryAfter) {
    auto stats = fetch_past_fault("ratelimit/2", "rl.bin");
    EXPECT_EQ(stats["requests"], 3) << stats.dump();
    EXPECT_EQ(stats["statuses"], nlohmann::json::array({429, 429, 200})) << stats.dump();
    // Retry-After: 1 wins over the 50 ms backoff of the test environment.
    const auto& log = stats["log"];
    ASSERT_EQ(log.size(), 3U);
    for (std::size_t i = 1; i < log.size(); ++i) {
        double gap = log[i]["time"].get<double>() - log[i - 1]["time"].get<double>();
        EXPECT_GE(gap, 0.9) << "Retry-After was not honoured: " << stats.dump();
    }
}

TEST_F(Faults, UnavailableIsRetriedUntilItSucceeds) {
    auto stats = fetch_past_fault("unavailable/3", "u.bin");
    EXPECT_EQ(stats["statuses"], nlohmann::json::array({503, 503, 503, 200})) << stats.dump();
}

TEST_F(Faults, PersistentlyUnavailableGivesUpWithNetworkError) {
    const std::string name = "u50.bin";
    std::string data = serve_for("unavailable/50", name, 100'000);

    auto result = cxrcat({"fetch", "t1", "--accept-terms", "--retries", "2"});
    EXPECT_EQ(result.exit_code, 6) << result.describe();
    EXPECT_THAT(result.err, HasSubstr("503")) << result.describe();
    EXPECT_EQ(fault_requests(fault_path("unavailable/50", name)), 3);
    expect_nothing_wrong_installed(name, data);
    EXPECT_FALSE(fs::exists(part_of(name))) << "an error page left an empty part";
}

// A loopback port nothing listens on (bound, read, closed).
std::uint16_t closed_port() {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof(address);
    EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&address), length),
              0); // NOLINT(cppcoreguidelines-pro-type-reinterpret-cast)
    EXPECT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length),
              0); // NOLINT(cppcoreguidelines-pro-type-reinterpret-cast)
    ::close(fd);
    return ntohs(address.sin_port);
}

// A refused connection is transient: retried, then a network error (exit 6), not an internal one.
// (The same with a host that does not resolve used to end in "libcurl refused an option", exit 1,
// because retries reused the failed handle; that case needs a DNS resolver, so it is not tested here.)
TEST_F(Faults, RefusedConnectionIsRetriedThenANetworkError) {
    const std::string name = "refused.bin";
    write_catalog(
        {{name, "http://127.0.0.1:" + std::to_string(closed_port()) + "/" + name, 10, sha256_hex("0123456789")}});

    auto result = cxrcat({"fetch", "t1", "--accept-terms", "--retries", "2"});
    EXPECT_EQ(result.exit_code, 6) << result.describe();
    EXPECT_THAT(result.err, HasSubstr("gave up after 3 attempts")) << result.describe();
    EXPECT_FALSE(fs::exists(installed(name)));
}

TEST_F(Faults, StalledTransferIsRetriedAndResumed) {
    const std::string name = "s.bin";
    std::string data = serve_for("stallfirst/1", name, 1'000'000, "seconds=20");

    auto started = std::chrono::steady_clock::now();
    auto result = cxrcat({"fetch", "t1", "--accept-terms", "--stall-timeout", "1"});
    auto elapsed = std::chrono::steady_clock::now() - started;
    ASSERT_EQ(result.exit_code, 0) << result.describe();
    EXPECT_EQ(read_text_file(installed(name)), data);
    EXPECT_LT(elapsed, 18s) << "the stall was not detected before the server gave up";
    auto stats = fault_stats(fault_path("stallfirst/1", name));
    EXPECT_EQ(stats["requests"], 2) << stats.dump();
    // The 64 KiB that arrived before the stall are kept.
    EXPECT_EQ(stats["ranges"], nlohmann::json::array({"bytes=65536-"})) << stats.dump();
}

TEST_F(Faults, StalledTransferWithoutRetriesFails) {
    const std::string name = "ss.bin";
    std::string data = serve_for("stall", name, 1'000'000, "seconds=20");

    auto started = std::chrono::steady_clock::now();
    auto result = cxrcat({"fetch", "t1", "--accept-terms", "--stall-timeout", "1", "--retries", "0"});
    auto elapsed = std::chrono::steady_clock::now() - started;
    EXPECT_EQ(result.exit_code, 6) << result.describe();
    EXPECT_LT(elapsed, 18s) << "the stall was not detected before the server gave up";
    expect_nothing_wrong_installed(name, data);
}

struct StatusCase {
    int status;
    int exit_code;
    const char* text;
};

// Names the case in gtest's messages (gtest looks this name up).
void PrintTo(const StatusCase& param, std::ostream* out) { // NOLINT(readability-identifier-naming)
    *out << "HTTP " << param.status;
}

class FaultStatus : public Faults, public ::testing::WithParamInterface<StatusCase> {};

TEST_P(FaultStatus, FailsAtOnceWithTheRightCode) {
    const StatusCase& param = GetParam();
    const std::string name = "st.bin";
    std::string mode = "status/" + std::to_string(param.status);
    std::string data = serve_for(mode, name, 10'000);

    auto result = cxrcat({"fetch", "t1", "--accept-terms"});
    EXPECT_EQ(result.exit_code, param.exit_code) << result.describe();
    EXPECT_THAT(result.err, HasSubstr(param.text)) << result.describe();
    EXPECT_EQ(fault_requests(fault_path(mode, name)), 1) << "a permanent failure is not retried";
    expect_nothing_wrong_installed(name, data);
    EXPECT_FALSE(fs::exists(part_of(name)));
}

INSTANTIATE_TEST_SUITE_P(Http, FaultStatus,
                         ::testing::Values(StatusCase{401, 4, "HTTP 401"}, StatusCase{403, 4, "HTTP 403"},
                                           StatusCase{404, 3, "HTTP 404"}),
                         [](const ::testing::TestParamInfo<StatusCase>& param_info) {
                             return "Status" + std::to_string(param_info.param.status);
                         });

} // namespace
} // namespace cxrcat::test
