// SPDX-License-Identifier: Apache-2.0
// `sync --frozen` (the lock is the truth) and `sync --offline` (no request at all).
#include "sync_fixture.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace cxrcat::test {
namespace {

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

} // namespace
} // namespace cxrcat::test
