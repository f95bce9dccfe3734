// SPDX-License-Identifier: Apache-2.0
// The local side of a fetch: two processes on one dataset, a full disk, a file size limit, the
// free-space check, and `verify` finding damage.
#include "cxrcat/base/digest.hpp"
#include "integration_test.hpp"

#include <fstream>
#include <iostream>

namespace cxrcat::test {
namespace {

class Local : public IntegrationTest {
  protected:
    void TearDown() override {
        if (!m_mounted.empty()) {
            auto unmounted = run_process({"umount", "-l", m_mounted.string()}, {});
            EXPECT_EQ(unmounted.exit_code, 0) << unmounted.describe();
        }
        IntegrationTest::TearDown();
    }

    // Mounts a tmpfs of `size` at dir; false when this machine does not allow it (not root, or a
    // container without CAP_SYS_ADMIN).
    bool mount_tmpfs(const fs::path& dir, const std::string& size) {
        fs::create_directories(dir);
        auto mounted =
            run_process({"mount", "-t", "tmpfs", "-o", "size=" + size + ",mode=0755", "tmpfs", dir.string()}, {});
        if (mounted.exit_code != 0) {
            return false;
        }
        m_mounted = dir;
        return true;
    }

    fs::path m_mounted;
};

TEST_F(Local, ConcurrentFetchesOfOneDatasetDoNotCollide) {
    const std::string name = "shared.bin";
    std::string data = random_bytes(6 * k_mib);
    serve(name, data);
    // About two seconds at 2 MB/s: both processes start long before the first one finishes.
    write_catalog({{name, nginx_url("slow", name, "rate=2m"), data.size(), sha256_hex(data)}});
    ASSERT_EQ(cxrcat({"accept", "t1"}).exit_code, 0);

    auto one = start_cxrcat({"fetch", "t1", "--format", "json"});
    auto two = start_cxrcat({"fetch", "t1", "--format", "json"});
    auto first = one.wait();
    auto second = two.wait();
    ASSERT_EQ(first.exit_code, 0) << first.describe();
    ASSERT_EQ(second.exit_code, 0) << second.describe();
    EXPECT_EQ(read_text_file(installed(name)), data);
    EXPECT_FALSE(fs::exists(part_of(name)));

    std::vector<std::string> statuses{stdout_json(first)["files"][0]["status"].get<std::string>(),
                                      stdout_json(second)["files"][0]["status"].get<std::string>()};
    std::sort(statuses.begin(), statuses.end());
    EXPECT_EQ(statuses, (std::vector<std::string>{"downloaded", "skipped"})) << "the file was downloaded twice";
    // The one that skipped had waited for the lock, and said who held it.
    const ProcessResult& waiter = stdout_json(first)["files"][0]["status"] == "skipped" ? first : second;
    EXPECT_THAT(waiter.err, HasSubstr("waiting for")) << waiter.describe();
    EXPECT_THAT(waiter.err, HasSubstr("holds the lock")) << waiter.describe();
    // nginx served the file once.
    std::size_t full = 0;
    poll_until(
        [&] {
            full = access_log("/slow/" + served_path(name)).size();
            return full >= 1;
        },
        5s);
    EXPECT_EQ(full, 1U);
}

TEST_F(Local, StaleLockOfAKilledProcessDoesNotBlock) {
    const std::string name = "stale.bin";
    std::string data = random_bytes(10'000);
    serve(name, data);
    write_catalog({{name, fault_url("ok", name), data.size(), sha256_hex(data)}});
    // A lock file left by a process that no longer exists (flock dies with its holder).
    write_text_file(dataset_dir() / ".cxrcat" / "lock", "pid 999999: cxrcat fetch t1\n");

    auto result = cxrcat({"fetch", "t1", "--accept-terms"});
    ASSERT_EQ(result.exit_code, 0) << result.describe();
    EXPECT_THAT(result.err, ::testing::Not(HasSubstr("waiting for"))) << result.describe();
    EXPECT_EQ(read_text_file(installed(name)), data);
}

// The catalog gives no size, so the free-space check cannot refuse: the write itself fails.
TEST_F(Local, DiskFullIsALocalIoError) {
    const std::string name = "huge.bin";
    std::string data = random_bytes(4 * k_mib);
    serve(name, data);
    write_catalog({{name, fault_url("ok", name), std::nullopt, std::nullopt}});
    ASSERT_EQ(cxrcat({"accept", "t1"}).exit_code, 0);

    fs::path home = m_dir / "small-disk";
    ProcessResult result;
    if (mount_tmpfs(home, "2m")) {
        set_cxrcat_home(home);
        result = cxrcat({"fetch", "t1"});
        EXPECT_THAT(result.err, HasSubstr("disk is full")) << result.describe();
    } else {
        // No tmpfs allowed here (a container without CAP_SYS_ADMIN): a file size limit instead.
        std::cerr << "note: cannot mount a tmpfs; using RLIMIT_FSIZE\n";
        result = cxrcat_with_file_size_limit(2 * k_mib, {"fetch", "t1"});
        EXPECT_THAT(result.err, HasSubstr("file size limit")) << result.describe();
    }
    EXPECT_EQ(result.exit_code, 8) << result.describe();
    EXPECT_THAT(result.err, HasSubstr(dataset_dir().string())) << result.describe();
    EXPECT_FALSE(fs::exists(installed(name)));
    EXPECT_FALSE(state_json().value("files", nlohmann::json::object()).contains(name));
    if (fs::exists(part_of(name))) {
        std::string part = read_text_file(part_of(name));
        EXPECT_EQ(part, data.substr(0, part.size())) << "the part kept for a resume is not a prefix of the file";
    }
}

TEST_F(Local, FileSizeLimitIsALocalIoError) {
    const std::string name = "limited.bin";
    std::string data = random_bytes(3 * k_mib);
    serve(name, data);
    write_catalog({{name, fault_url("ok", name), std::nullopt, std::nullopt}});
    ASSERT_EQ(cxrcat({"accept", "t1"}).exit_code, 0);

    auto result = cxrcat_with_file_size_limit(1'000'000, {"fetch", "t1"});
    EXPECT_EQ(result.exit_code, 8) << result.describe();
    EXPECT_THAT(result.err, HasSubstr("file size limit")) << result.describe();
    EXPECT_FALSE(fs::exists(installed(name)));
    EXPECT_LE(file_size_or_zero(part_of(name)), 1'000'000U);
}

TEST_F(Local, FreeSpaceIsCheckedBeforeDownloading) {
    const std::string name = "petabyte.bin";
    serve(name, "tiny");
    constexpr std::uint64_t k_petabyte = 1'000'000'000'000'000ULL;
    write_catalog({{name, fault_url("ok", name), k_petabyte, std::nullopt}});

    auto result = cxrcat({"fetch", "t1", "--accept-terms"});
    EXPECT_EQ(result.exit_code, 8) << result.describe();
    EXPECT_THAT(result.err, HasSubstr("not enough free space")) << result.describe();
    EXPECT_THAT(result.err, HasSubstr("1,000,000,000,000,000 bytes")) << result.describe();
    EXPECT_THAT(result.err, HasSubstr("free")) << result.describe();
    EXPECT_EQ(fault_requests(fault_path("ok", name)), 0) << "refused only after downloading";
    EXPECT_FALSE(fs::exists(part_of(name)));
}

TEST_F(Local, VerifyFindsFlippedByteAndDeletedFile) {
    std::string a = random_bytes(300'000);
    std::string b = random_bytes(20'000);
    std::string c = random_bytes(1'000);
    serve("a.bin", a);
    serve("b.bin", b);
    serve("c.bin", c);
    write_catalog({{"a.bin", fault_url("ok", "a.bin"), a.size(), sha256_hex(a)},
                   {"b.bin", fault_url("ok", "b.bin"), b.size(), sha256_hex(b)},
                   {"c.bin", fault_url("ok", "c.bin"), std::nullopt, std::nullopt}});
    ASSERT_EQ(cxrcat({"fetch", "t1", "--accept-terms"}).exit_code, 0);

    auto clean = cxrcat({"verify", "t1", "--format", "json"});
    ASSERT_EQ(clean.exit_code, 0) << clean.describe();
    // A named document: a range-for over a member of a temporary would read freed memory (ASan).
    nlohmann::json clean_report = stdout_json(clean);
    for (const auto& item : clean_report["files"]) {
        EXPECT_EQ(item["status"], "ok") << item.dump();
    }

    // Flip one byte in place (same size, same mtime is not needed: verify re-hashes everything).
    {
        std::fstream file(installed("a.bin"), std::ios::in | std::ios::out | std::ios::binary);
        file.seekp(150'000);
        char flipped = static_cast<char>(~a[150'000]);
        file.write(&flipped, 1);
    }
    fs::remove(installed("b.bin"));

    auto text = cxrcat({"verify", "t1"});
    EXPECT_EQ(text.exit_code, 5) << text.describe();
    EXPECT_THAT(text.out, HasSubstr("corrupt  t1/a.bin")) << text.describe();
    EXPECT_THAT(text.out, HasSubstr("missing  t1/b.bin")) << text.describe();
    EXPECT_THAT(text.err, HasSubstr("cxrcat fetch t1")) << text.describe();

    auto json_run = cxrcat({"verify", "t1", "--format", "json"});
    EXPECT_EQ(json_run.exit_code, 5) << json_run.describe();
    auto json = stdout_json(json_run);
    EXPECT_EQ(json["exit_code"], 5);
    std::map<std::string, nlohmann::json> by_path;
    for (const auto& item : json["files"]) {
        by_path[item["path"].get<std::string>()] = item;
    }
    ASSERT_EQ(by_path.size(), 3U) << json.dump(1);
    EXPECT_EQ(by_path["a.bin"]["status"], "corrupt");
    EXPECT_THAT(by_path["a.bin"]["detail"].get<std::string>(), HasSubstr(sha256_hex(a)));
    EXPECT_EQ(by_path["b.bin"]["status"], "missing");
    EXPECT_EQ(by_path["c.bin"]["status"], "ok");

    // fetch repairs both.
    auto repair = cxrcat({"fetch", "t1", "--format", "json"});
    ASSERT_EQ(repair.exit_code, 0) << repair.describe();
    EXPECT_EQ(read_text_file(installed("a.bin")), a);
    EXPECT_EQ(read_text_file(installed("b.bin")), b);
    EXPECT_EQ(cxrcat({"verify", "t1"}).exit_code, 0);
}

} // namespace
} // namespace cxrcat::test
