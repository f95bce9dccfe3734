// SPDX-License-Identifier: Apache-2.0
// Interrupted downloads: a SIGKILLed or otherwise stopped fetch resumes with Range + If-Range, and
// starts over (never appends) when the remote changed or ignores Range; segmented downloads too.
#include "cxrcat/base/digest.hpp"
#include "integration_test.hpp"

#include <csignal>
#include <utility>

namespace cxrcat::test {
namespace {

class Resume : public IntegrationTest {
  protected:
    // Starts `fetch t1`, waits until name's .part holds data, kills the process with SIGKILL and
    // returns the size of the part it left.
    std::uint64_t kill_mid_download(const std::string& name, const std::vector<std::string>& extra_args = {},
                                    const std::map<std::string, std::string>& env = {}) {
        std::vector<std::string> args{"fetch", "t1", "--accept-terms"};
        args.insert(args.end(), extra_args.begin(), extra_args.end());
        auto child = start_cxrcat(args, env);
        bool started = poll_until([&] { return file_size_or_zero(part_of(name)) > 0; }, 30s);
        EXPECT_TRUE(started) << "no .part appeared\n" << child.stderr_so_far();
        EXPECT_TRUE(child.kill(SIGKILL));
        auto killed = child.wait();
        EXPECT_EQ(killed.term_signal, SIGKILL) << "the download finished before it could be interrupted\n"
                                               << killed.describe();
        return file_size_or_zero(part_of(name));
    }

    struct Restart {
        std::uint64_t left = 0; // the part's size between the runs
        std::uint64_t size = 0; // the file's
        ProcessResult rerun;    // the second run
        nlohmann::json stats;   // the fault server's counters for the file
    };

    // Serves `size` random bytes as name through fault mode `mode`, stops `fetch t1` at a file size limit of
    // 1 MiB (exit 8, the part left for a resume), then fetches again (--format json), which must install the
    // file intact.
    Restart stop_at_limit_then_rerun(const std::string& mode, const std::string& name, std::size_t size) {
        std::string data = random_bytes(size);
        serve(name, data);
        write_catalog({{name, fault_url(mode, name), data.size(), sha256_hex(data)}});
        auto stopped = cxrcat_with_file_size_limit(k_mib, {"fetch", "t1", "--accept-terms"});
        EXPECT_EQ(stopped.exit_code, 8) << stopped.describe();
        EXPECT_THAT(stopped.err, HasSubstr("file size limit")) << stopped.describe();
        std::uint64_t left = file_size_or_zero(part_of(name));
        EXPECT_EQ(left, k_mib) << "the interrupted run leaves its part for a resume";
        EXPECT_FALSE(fs::exists(installed(name)));

        auto rerun = cxrcat({"fetch", "t1", "--format", "json"});
        EXPECT_EQ(rerun.exit_code, 0) << rerun.describe();
        if (rerun.exit_code == 0) {
            EXPECT_EQ(read_text_file(installed(name)), data);
        }
        EXPECT_FALSE(fs::exists(part_of(name)));
        return {left, size, std::move(rerun), fault_stats(fault_path(mode, name))};
    }
};

TEST_F(Resume, SigkillThenRerunResumesWithRange) {
    const std::string name = "r.bin";
    std::string data = random_bytes(8 * k_mib);
    serve(name, data);
    write_catalog({{name, nginx_url("slow", name, "rate=2m"), data.size(), sha256_hex(data)}});

    std::uint64_t left = kill_mid_download(name);
    ASSERT_GT(left, 0U);
    ASSERT_LT(left, data.size());
    EXPECT_FALSE(fs::exists(installed(name)));
    EXPECT_TRUE(fs::exists(dataset_dir() / (name + ".part.json"))) << "the validator is saved beside the part";
    // The part is a true prefix of the file.
    EXPECT_EQ(read_text_file(part_of(name)), data.substr(0, left));

    auto rerun = cxrcat({"fetch", "t1", "--format", "json"});
    ASSERT_EQ(rerun.exit_code, 0) << rerun.describe();
    EXPECT_EQ(read_text_file(installed(name)), data);
    EXPECT_EQ(sha256_hex(read_text_file(installed(name))), sha256_hex(data));
    EXPECT_FALSE(fs::exists(part_of(name)));
    EXPECT_FALSE(fs::exists(dataset_dir() / (name + ".part.json")));
    auto json = stdout_json(rerun);
    EXPECT_EQ(json["files"][0]["status"], "downloaded");
    EXPECT_EQ(json["files"][0]["bytes_received"], data.size() - left) << json.dump();
    EXPECT_LT(json["files"][0]["bytes_received"].get<std::uint64_t>(), data.size());

    // nginx saw a Range request for the rest, guarded by If-Range, and answered 206.
    std::string url_path = "/slow/" + served_path(name);
    std::string expected_range = "bytes=" + std::to_string(left) + "-";
    nlohmann::json resumed;
    ASSERT_TRUE(poll_until(
        [&] {
            for (const auto& entry : access_log(url_path)) {
                if (entry["range"] == expected_range) {
                    resumed = entry;
                    return true;
                }
            }
            return false;
        },
        10s))
        << "no request with Range: " << expected_range;
    EXPECT_EQ(resumed["status"], 206) << resumed.dump();
    EXPECT_NE(resumed["if_range"], "") << resumed.dump();
    EXPECT_EQ(resumed["body_bytes_sent"], data.size() - left) << resumed.dump();
}

TEST_F(Resume, RemoteChangedBetweenRunsRestartsFromZero) {
    const std::string name = "c.bin";
    std::string old_data = random_bytes(8 * k_mib);
    serve(name, old_data);
    write_catalog({{name, nginx_url("slow", name, "rate=2m"), std::nullopt, std::nullopt}});

    std::uint64_t left = kill_mid_download(name);
    ASSERT_GT(left, 0U);

    // A new version with another size: nginx's ETag ("mtime-size") changes.
    std::string new_data = random_bytes(old_data.size() + 4097);
    serve(name, new_data);
    auto rerun = cxrcat({"fetch", "t1", "--format", "json"});
    ASSERT_EQ(rerun.exit_code, 0) << rerun.describe();
    EXPECT_EQ(read_text_file(installed(name)), new_data) << "resumed bytes were appended to a stale part";
    EXPECT_FALSE(fs::exists(part_of(name)));
    auto json = stdout_json(rerun);
    EXPECT_GE(json["files"][0]["bytes_received"].get<std::uint64_t>(), new_data.size()) << json.dump();

    // The ranged request was refused by If-Range (a full 200), then the whole file was fetched.
    std::string url_path = "/slow/" + served_path(name);
    ASSERT_TRUE(poll_until(
        [&] {
            auto entries = access_log(url_path);
            bool ranged_got_200 = false;
            bool full = false;
            for (const auto& entry : entries) {
                ranged_got_200 =
                    ranged_got_200 || (entry["range"] != "" && entry["if_range"] != "" && entry["status"] == 200);
                full = full || (ranged_got_200 && entry["range"] == "" && entry["status"] == 200 &&
                                entry["body_bytes_sent"] == new_data.size());
            }
            return ranged_got_200 && full;
        },
        10s))
        << "access log: " << nlohmann::json(access_log(url_path)).dump(1);
}

// /norange/ always answers 200 with the whole body: the stale part must be dropped, not appended to.
TEST_F(Resume, ServerIgnoringRangeRestartsFromZero) {
    Restart run = stop_at_limit_then_rerun("norange", "n.bin", 3 * k_mib + 77);
    ASSERT_FALSE(HasFailure());
    EXPECT_THAT(run.stats["ranges"], ::testing::Contains("bytes=" + std::to_string(run.left) + "-"))
        << run.stats.dump();
    EXPECT_GE(stdout_json(run.rerun)["files"][0]["bytes_received"].get<std::uint64_t>(), run.size);
}

// /etag-change/ gives every response a new ETag; a request with If-Range gets the whole body.
TEST_F(Resume, EtagChangeRestartsFromZero) {
    Restart run = stop_at_limit_then_rerun("etag-change", "e.bin", 3 * k_mib + 5);
    ASSERT_FALSE(HasFailure());
    bool guarded = false;
    for (const auto& entry : run.stats["log"]) {
        guarded = guarded || (entry["range"] == "bytes=" + std::to_string(run.left) + "-" &&
                              !entry["if_range"].is_null() && entry["status"] == 200);
    }
    EXPECT_TRUE(guarded) << "no If-Range request answered with 200: " << run.stats.dump();
    EXPECT_GE(stdout_json(run.rerun)["files"][0]["bytes_received"].get<std::uint64_t>(), run.size);
}

// A slow stream of a large file is split over several range connections (nginx /throttled/ limits
// each connection); the digest still comes out right.
TEST_F(Resume, SegmentedDownloadUsesSeveralRanges) {
    const std::string name = "big.bin";
    std::string data = random_bytes(32 * k_mib);
    serve(name, data);
    write_catalog({{name, nginx_url("throttled", name, "rate=4m"), data.size(), sha256_hex(data)}});

    auto result = cxrcat({"fetch", "t1", "--accept-terms", "--segments", "4", "--format", "json"},
                         {{"CXRCAT_SEGMENT_THRESHOLD", "4000000"}});
    ASSERT_EQ(result.exit_code, 0) << result.describe();
    auto json = stdout_json(result);
    EXPECT_EQ(json["files"][0]["digests"]["sha256"], sha256_hex(data));
    EXPECT_EQ(sha256_hex(read_text_file(installed(name))), sha256_hex(data));
    EXPECT_FALSE(fs::exists(part_of(name)));

    std::string url_path = "/throttled/" + served_path(name);
    std::size_t ranged = 0;
    poll_until(
        [&] {
            ranged = 0;
            for (const auto& entry : access_log(url_path)) {
                ranged += entry["range"] != "" && entry["status"] == 206 ? 1U : 0U;
            }
            return ranged >= 3;
        },
        10s);
    EXPECT_GE(ranged, 2U) << nlohmann::json(access_log(url_path)).dump(1);
}

TEST_F(Resume, SegmentedDownloadResumesAfterSigkill) {
    const std::string name = "seg.bin";
    std::string data = random_bytes(32 * k_mib);
    serve(name, data);
    write_catalog({{name, nginx_url("throttled", name, "rate=2m"), data.size(), sha256_hex(data)}});
    std::map<std::string, std::string> env{{"CXRCAT_SEGMENT_THRESHOLD", "4000000"}};

    // Kill once the split is recorded and the segments have written something.
    auto child = start_cxrcat({"fetch", "t1", "--accept-terms", "--segments", "4"}, env);
    fs::path meta_path = dataset_dir() / (name + ".part.json");
    nlohmann::json meta;
    bool split = poll_until(
        [&] {
            if (!fs::exists(meta_path)) {
                return false;
            }
            auto parsed = nlohmann::json::parse(read_text_file(meta_path), nullptr, false);
            if (parsed.is_discarded() || !parsed.contains("segments") || parsed["segments"].size() < 2) {
                return false;
            }
            const auto& second = parsed["segments"][1];
            if (second[2].get<std::uint64_t>() <= second[0].get<std::uint64_t>()) {
                return false; // the second connection has not written yet
            }
            meta = parsed;
            return true;
        },
        30s);
    ASSERT_TRUE(split) << "the download was never split\n" << child.stderr_so_far();
    ASSERT_TRUE(child.kill(SIGKILL));
    auto killed = child.wait();
    ASSERT_EQ(killed.term_signal, SIGKILL) << killed.describe();
    EXPECT_FALSE(fs::exists(installed(name)));

    // Let nginx log the killed connections, so that the rerun's requests are the ones after them.
    std::string url_path = "/throttled/" + served_path(name);
    std::size_t first_run = meta["segments"].size();
    poll_until([&] { return access_log(url_path).size() >= first_run; }, 10s);
    std::size_t before = access_log(url_path).size();

    auto rerun = cxrcat({"fetch", "t1", "--segments", "4", "--format", "json"}, env);
    ASSERT_EQ(rerun.exit_code, 0) << rerun.describe();
    EXPECT_EQ(sha256_hex(read_text_file(installed(name))), sha256_hex(data));
    EXPECT_FALSE(fs::exists(part_of(name)));
    EXPECT_FALSE(fs::exists(meta_path));
    auto json = stdout_json(rerun);
    EXPECT_EQ(json["files"][0]["digests"]["sha256"], sha256_hex(data));
    EXPECT_LT(json["files"][0]["bytes_received"].get<std::uint64_t>(), data.size()) << json.dump();

    std::vector<nlohmann::json> later;
    poll_until(
        [&] {
            auto entries = access_log(url_path);
            later.assign(entries.begin() + static_cast<std::ptrdiff_t>(std::min(before, entries.size())),
                         entries.end());
            return later.size() >= 2;
        },
        10s);
    ASSERT_GE(later.size(), 2U) << "the rerun did not resume the segments";
    for (const auto& entry : later) {
        EXPECT_NE(entry["range"], "") << "the rerun requested the whole file again: " << entry.dump();
        EXPECT_NE(entry["if_range"], "") << entry.dump();
        EXPECT_EQ(entry["status"], 206) << entry.dump();
    }
}

} // namespace
} // namespace cxrcat::test
