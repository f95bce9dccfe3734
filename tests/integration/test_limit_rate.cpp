// SPDX-License-Identifier: Apache-2.0
// Issue 10: --limit-rate caps the receive rate of the whole process, all connections together.
// The cap is a correctness property (never faster than asked), so the test bounds the time from
// below only tightly; the upper bound is loose, for a loaded machine.
#include "cxrcat/base/digest.hpp"
#include "integration_test.hpp"

#include <chrono>

namespace cxrcat::test {
namespace {

class LimitRate : public IntegrationTest {
  protected:
    // Serves `count` files of `size` random bytes and lists them in the catalog.
    void serve_files(std::size_t count, std::size_t size) {
        std::vector<CatalogFile> files;
        for (std::size_t i = 0; i < count; ++i) {
            std::string name = "rate/" + std::to_string(i) + ".bin";
            std::string bytes = random_bytes(size);
            serve(name, bytes);
            files.push_back({name, nginx_url("files", name), bytes.size(), sha256_hex(bytes)});
            m_total += bytes.size();
        }
        write_catalog(files);
    }
    // Fetches with args and returns the received bytes per second it achieved.
    // Also checks that no byte was received twice, unless the file may be split (the counter then
    // includes what the first stream read past its share before it stopped).
    double fetch_rate(const std::vector<std::string>& args, const std::map<std::string, std::string>& env = {},
                      bool split = false) {
        std::vector<std::string> command{"fetch", "t1", "--accept-terms", "--format", "json"};
        command.insert(command.end(), args.begin(), args.end());
        auto start = std::chrono::steady_clock::now();
        m_result = cxrcat(command, env);
        std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
        EXPECT_EQ(m_result.exit_code, 0) << m_result.describe();
        if (m_result.exit_code == 0 && !split) {
            const nlohmann::json report = stdout_json(m_result);
            for (const auto& file : report["files"]) {
                EXPECT_EQ(file["bytes_received"], file["bytes"])
                    << "bytes were received twice: " << m_result.describe();
            }
        }
        return static_cast<double>(m_total) / took.count();
    }
    std::size_t m_total = 0;
    ProcessResult m_result;
};

constexpr double k_rate = 1024.0 * 1024.0; // --limit-rate 1M

TEST_F(LimitRate, CapsOneStream) {
    serve_files(1, 3 << 20);
    double rate = fetch_rate({"--limit-rate", "1M", "--segments", "1"});
    EXPECT_LE(rate, k_rate * 1.10) << "faster than the cap";
    EXPECT_GE(rate, k_rate * 0.40) << "far below the cap";
}

TEST_F(LimitRate, CapsEveryConnectionTogether) {
    // Four files at once: the cap is the process's total, not each connection's.
    serve_files(4, 768 << 10);
    double rate = fetch_rate({"--limit-rate", "1M", "-j", "4"});
    EXPECT_LE(rate, k_rate * 1.10) << "faster than the cap";
    EXPECT_GE(rate, k_rate * 0.40) << "far below the cap";
}

TEST_F(LimitRate, CapsTheSegmentsOfASplitFile) {
    serve_files(1, 4 << 20);
    // A threshold below the file's size: the slow (capped) stream is split after its warm-up.
    double rate =
        fetch_rate({"--limit-rate", "1M", "--segments", "4"}, {{"CXRCAT_SEGMENT_THRESHOLD", "1000000"}}, true);
    EXPECT_LE(rate, k_rate * 1.10) << "faster than the cap";
    std::size_t ranged = 0;
    for (const auto& entry : access_log("/files/" + served_path("rate/0.bin"))) {
        ranged += entry.value("range", "").empty() ? 0U : 1U;
    }
    EXPECT_GE(ranged, 1U) << "the file was not split";
}

TEST_F(LimitRate, MalformedRateIsAUsageError) {
    serve_files(1, 1000);
    for (const char* bad : {"fast", "0", "10X", "-5M", "1.2.3"}) {
        auto result = cxrcat({"fetch", "t1", "--accept-terms", "--limit-rate", bad});
        EXPECT_EQ(result.exit_code, 2) << bad << ": " << result.describe();
        EXPECT_THAT(result.err, HasSubstr("--limit-rate")) << result.describe();
    }
}

} // namespace
} // namespace cxrcat::test
