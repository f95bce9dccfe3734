// SPDX-License-Identifier: Apache-2.0
// Mirrors, --no-origin and `mirror export` (with the redistribution terms it must respect).
#include "sync_fixture.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace cxrcat::test {
namespace {

// --- mirrors ----------------------------------------------------------------------------------------

TEST_F(SyncTest, MirrorHitWithTheOriginDown) {
    std::string a_bytes = seeded_bytes(40'000, 61);
    std::string c_bytes = seeded_bytes(3'000, 62);
    serve("origin/a.bin", a_bytes);
    serve("origin/c.bin", c_bytes);
    auto files_at = [&](const std::string& a_url, const std::string& c_url) {
        // a.bin: sha256 published; c.bin: only md5 (looked up as md5/<hex>).
        return std::vector<FileSpec>{{"a.bin", a_url, a_bytes.size(), sha256_hex(a_bytes), std::nullopt, false},
                                     {"c.bin", c_url, c_bytes.size(), std::nullopt, md5_hex(c_bytes), false}};
    };
    Machine a = machine("a", write_catalog("a", {dataset_entry("sy-mirror", files_at(origin_url("origin/a.bin"),
                                                                                     origin_url("origin/c.bin")))}));
    sync_ok(a, write_manifest("project-a", {{"datasets", {{{"id", "sy-mirror"}}}}}));

    // The team mirror: exported from a, served by nginx.
    fs::path mirror = m_www / m_name / "mirror";
    ProcessResult exported = cxrcat(a, {"mirror", "export", mirror.string(), "sy-mirror"});
    ASSERT_EQ(exported.exit_code, 0) << exported.describe();
    EXPECT_EQ(read_text_file(mirror / "sha256" / sha256_hex(a_bytes)), a_bytes);
    EXPECT_EQ(read_text_file(mirror / "md5" / md5_hex(c_bytes)), c_bytes);

    // b: the origin is down (nothing listens there).
    Machine b =
        machine("b", write_catalog("b", {dataset_entry("sy-mirror", files_at(dead_url("a.bin"), dead_url("c.bin")))}));
    fs::path manifest_b = write_manifest("project-b", {{"datasets", {{{"id", "sy-mirror"}}}}});
    int before = origin_requests();
    ProcessResult result =
        cxrcat(b, {"sync", "--accept-terms", "--manifest", manifest_b.string(), "--mirror", nginx_url("mirror")});
    ASSERT_EQ(result.exit_code, 0) << result.describe();
    EXPECT_EQ(read_text_file(b.dataset("sy-mirror") / "a.bin"), a_bytes);
    EXPECT_EQ(read_text_file(b.dataset("sy-mirror") / "c.bin"), c_bytes);
    EXPECT_EQ(origin_requests(), before);
    auto by_sha256 = nginx_requests("mirror/sha256/" + sha256_hex(a_bytes));
    auto by_md5 = nginx_requests("mirror/md5/" + md5_hex(c_bytes));
    ASSERT_FALSE(by_sha256.empty());
    ASSERT_FALSE(by_md5.empty());
    EXPECT_EQ(by_sha256.back().at("status"), 200);
    EXPECT_EQ(by_md5.back().at("status"), 200);
    json lock = json::parse(read_text_file(manifest_b.parent_path() / "cxrcat.lock"));
    EXPECT_EQ(lock.at("datasets").at("sy-mirror").at("files").at("a.bin").at("digests").at("sha256"),
              sha256_hex(a_bytes));
}

TEST_F(SyncTest, MirrorExportConsumedByASecondHomeAirGapped) {
    // No published digests at all: the shared cxrcat.lock supplies the content addresses.
    std::string a_bytes = seeded_bytes(25'000, 71);
    std::string b_bytes = seeded_bytes(6'000, 72);
    serve("a.bin", a_bytes);
    serve("b.bin", b_bytes);
    fs::path catalog = write_catalog(
        "c", {dataset_entry("sy-export", {{"a.bin", origin_url("a.bin")}, {"x/b.bin", origin_url("b.bin")}})});
    fs::path manifest = write_manifest("project", {{"datasets", {{{"id", "sy-export"}}}}});
    fs::path lock = manifest.parent_path() / "cxrcat.lock";
    Machine a = machine("a", catalog);
    sync_ok(a, manifest);
    std::string lock_text = read_text_file(lock);
    int after_a = origin_requests();

    // Every installed dataset (no ids given).
    fs::path mirror = m_www / m_name / "mirror";
    ProcessResult exported = cxrcat(a, {"mirror", "export", mirror.string()});
    ASSERT_EQ(exported.exit_code, 0) << exported.describe();
    EXPECT_FALSE(fs::exists(mirror / "NOTICE.txt")) << "an open dataset needs no internal notice";
    json index = json::parse(read_text_file(mirror / "index.json"));
    const json& listed = index.at("datasets").at("sy-export").at("files");
    ASSERT_EQ(listed.size(), 2U) << index.dump(2);
    EXPECT_EQ(listed.at("a.bin").at("sha256"), sha256_hex(a_bytes));
    EXPECT_EQ(listed.at("a.bin").at("size").get<std::uint64_t>(), a_bytes.size());
    EXPECT_EQ(listed.at("x/b.bin").at("sha256"), sha256_hex(b_bytes));

    // b: air-gapped CI. CXRCAT_MIRRORS lists a dead mirror first (comma and space separated),
    // CXRCAT_NO_ORIGIN=1 forbids upstream, the lock is the one the project shares.
    Machine b = machine("b", catalog);
    std::string mirrors = "http://127.0.0.1:" + std::to_string(dead_port()) + "/m, " + nginx_url("mirror/");
    ProcessResult result = cxrcat(b, {"sync", "--frozen", "--accept-terms", "--manifest", manifest.string()},
                                  {{"CXRCAT_MIRRORS", mirrors}, {"CXRCAT_NO_ORIGIN", "1"}});
    ASSERT_EQ(result.exit_code, 0) << result.describe();
    EXPECT_EQ(read_text_file(b.dataset("sy-export") / "a.bin"), a_bytes);
    EXPECT_EQ(read_text_file(b.dataset("sy-export") / "x/b.bin"), b_bytes);
    EXPECT_EQ(origin_requests(), after_a) << "the origin was contacted despite CXRCAT_NO_ORIGIN=1";
    EXPECT_TRUE(contains(result.err, "warning")) << "the dead mirror is worth a warning\n" << result.describe();
    EXPECT_TRUE(contains(result.err, "trying the next source")) << result.describe();
    EXPECT_FALSE(contains(result.err, "a.bin: a.bin:")) << "the file is named twice\n" << result.describe();
    EXPECT_EQ(nginx_requests("mirror/sha256/").size(), 2U);
    EXPECT_EQ(read_text_file(lock), lock_text);
    // A second home's provenance is as complete as the first's.
    EXPECT_TRUE(fs::exists(b.dataset("sy-export") / "SOURCE.json"));
}

TEST_F(SyncTest, CorruptMirrorCopyFallsBackToTheOriginWithAWarning) {
    std::string a_bytes = seeded_bytes(33'000, 81);
    serve("a.bin", a_bytes);
    fs::path catalog = write_catalog(
        "c", {dataset_entry("sy-corrupt", {{"a.bin", origin_url("a.bin"), a_bytes.size(), sha256_hex(a_bytes)}})});
    Machine a = machine("a", catalog);
    sync_ok(a, write_manifest("project-a", {{"datasets", {{{"id", "sy-corrupt"}}}}}));
    fs::path mirror = m_www / m_name / "mirror";
    ProcessResult exported = cxrcat(a, {"mirror", "export", mirror.string(), "sy-corrupt"});
    ASSERT_EQ(exported.exit_code, 0) << exported.describe();

    // One byte flipped in the mirror's copy (a new file: a's installed copy may be a hard link).
    fs::path object = mirror / "sha256" / sha256_hex(a_bytes);
    std::string corrupt = read_text_file(object);
    corrupt[corrupt.size() / 3] = static_cast<char>(~corrupt[corrupt.size() / 3]);
    replace_file(object, corrupt);

    Machine b = machine("b", catalog);
    int before = origin_requests("a.bin");
    ProcessResult result = cxrcat(b, {"sync", "--accept-terms", "--manifest",
                                      write_manifest("project-b", {{"datasets", {{{"id", "sy-corrupt"}}}}}).string(),
                                      "--mirror", nginx_url("mirror")});
    ASSERT_EQ(result.exit_code, 0) << result.describe();
    EXPECT_EQ(read_text_file(b.dataset("sy-corrupt") / "a.bin"), a_bytes);
    EXPECT_EQ(origin_requests("a.bin") - before, 1) << "not fetched from the origin after the bad copy";
    EXPECT_FALSE(nginx_requests("mirror/sha256/").empty()) << "the mirror was not tried first";
    EXPECT_TRUE(contains(result.err, "warning")) << result.describe();
    EXPECT_TRUE(contains(result.err, "mirror/sha256/" + sha256_hex(a_bytes))) << "the warning names the bad copy\n"
                                                                              << result.describe();
    EXPECT_EQ(read_text_file(a.dataset("sy-corrupt") / "a.bin"), a_bytes) << "a's install was touched";
}

TEST_F(SyncTest, NoOriginWithAMissingMirrorCopyFailsClearly) {
    std::string a_bytes = seeded_bytes(12'000, 91);
    serve("a.bin", a_bytes);
    serve("mirror/index.json", "{\"format\": 1, \"datasets\": {}}\n"); // a mirror without that object
    Machine a =
        machine("a", write_catalog("c", {dataset_entry("sy-noorigin", {{"a.bin", origin_url("a.bin"), a_bytes.size(),
                                                                        sha256_hex(a_bytes)}})}));
    fs::path manifest = write_manifest("project", {{"datasets", {{{"id", "sy-noorigin"}}}}});

    ProcessResult result = cxrcat(
        a, {"sync", "--accept-terms", "--no-origin", "--manifest", manifest.string(), "--mirror", nginx_url("mirror")});
    EXPECT_NE(result.exit_code, 0) << result.describe();
    EXPECT_TRUE(contains(result.err, "a.bin")) << result.describe();
    EXPECT_TRUE(contains(result.err, "404")) << result.describe();
    EXPECT_TRUE(contains(result.err, nginx_url("mirror/sha256/" + sha256_hex(a_bytes)))) << result.describe();
    EXPECT_TRUE(contains(result.err, "--no-origin")) << "the message says the origin was not asked\n"
                                                     << result.describe();
    EXPECT_EQ(origin_requests(), 0);
    EXPECT_FALSE(fs::exists(a.dataset("sy-noorigin") / "a.bin"));
    EXPECT_FALSE(fs::exists(a.dataset("sy-noorigin") / "a.bin.part"));

    // No mirror at all: nothing may serve it, and the message says why.
    ProcessResult bare =
        cxrcat(a, {"sync", "--accept-terms", "--manifest", manifest.string()}, {{"CXRCAT_NO_ORIGIN", "1"}});
    EXPECT_NE(bare.exit_code, 0) << bare.describe();
    EXPECT_TRUE(contains(bare.err, "a.bin")) << bare.describe();
    EXPECT_TRUE(contains(bare.err, "no-origin")) << bare.describe();
    EXPECT_TRUE(contains(bare.err, "mirror")) << bare.describe();
    EXPECT_EQ(origin_requests(), 0);
    EXPECT_FALSE(fs::exists(a.dataset("sy-noorigin") / "a.bin"));
}

// --- mirror export and redistribution ---------------------------------------------------------------

TEST_F(SyncTest, MirrorExportRefusesDatasetsWhoseTermsForbidRedistribution) {
    std::string open_bytes = seeded_bytes(2'000, 101);
    std::string cred_bytes = seeded_bytes(2'100, 102);
    std::string forbidden_bytes = seeded_bytes(2'200, 103);
    serve("open.bin", open_bytes);
    serve("cred.bin", cred_bytes);
    serve("forbidden.bin", forbidden_bytes);
    Machine a =
        machine("a", write_catalog("c", {dataset_entry("sy-open", {{"open.bin", origin_url("open.bin")}}),
                                         dataset_entry("sy-cred", {{"cred.bin", origin_url("cred.bin")}},
                                                       {"credentialed", "organisation-only", ""}),
                                         dataset_entry("sy-forbidden", {{"forbidden.bin", origin_url("forbidden.bin")}},
                                                       {"open", "forbidden", ""})}));
    sync_ok(a, write_manifest("project",
                              {{"datasets", {{{"id", "sy-open"}}, {{"id", "sy-cred"}}, {{"id", "sy-forbidden"}}}}}));

    fs::path refused_dir = m_dir / "refused";
    ProcessResult cred = cxrcat(a, {"mirror", "export", refused_dir.string(), "sy-cred"});
    EXPECT_EQ(cred.exit_code, 4) << cred.describe();
    EXPECT_TRUE(contains(cred.err, "sy-cred")) << cred.describe();
    EXPECT_TRUE(contains(cred.err, "--internal")) << cred.describe();
    ProcessResult forbidden = cxrcat(a, {"mirror", "export", refused_dir.string(), "sy-forbidden"});
    EXPECT_EQ(forbidden.exit_code, 4) << forbidden.describe();
    EXPECT_TRUE(contains(forbidden.err, "sy-forbidden")) << forbidden.describe();
    // Mixed with an open one: all or nothing.
    ProcessResult mixed = cxrcat(a, {"mirror", "export", refused_dir.string(), "sy-open", "sy-cred"});
    EXPECT_EQ(mixed.exit_code, 4) << mixed.describe();
    // Everything installed (no ids) includes the credentialed one: refused too.
    ProcessResult all = cxrcat(a, {"mirror", "export", refused_dir.string()});
    EXPECT_EQ(all.exit_code, 4) << all.describe();
    EXPECT_FALSE(fs::exists(refused_dir / "sha256")) << "a refused export wrote objects";
    EXPECT_FALSE(fs::exists(refused_dir / "index.json"));

    // --internal: exported, with the notice.
    fs::path internal_dir = m_dir / "internal";
    ProcessResult internal = cxrcat(a, {"mirror", "export", internal_dir.string(), "sy-cred", "--internal"});
    ASSERT_EQ(internal.exit_code, 0) << internal.describe();
    ASSERT_TRUE(fs::exists(internal_dir / "NOTICE.txt"));
    std::string notice = read_text_file(internal_dir / "NOTICE.txt");
    EXPECT_TRUE(contains(notice, "sy-cred")) << notice;
    EXPECT_TRUE(contains(notice, "organisation")) << notice;
    EXPECT_EQ(read_text_file(internal_dir / "sha256" / sha256_hex(cred_bytes)), cred_bytes);
    EXPECT_TRUE(json::parse(read_text_file(internal_dir / "index.json")).at("datasets").contains("sy-cred"));

    // The open one alone: no notice.
    fs::path open_dir = m_dir / "open";
    ProcessResult open = cxrcat(a, {"mirror", "export", open_dir.string(), "sy-open"});
    ASSERT_EQ(open.exit_code, 0) << open.describe();
    EXPECT_FALSE(fs::exists(open_dir / "NOTICE.txt"));
    EXPECT_EQ(read_text_file(open_dir / "sha256" / sha256_hex(open_bytes)), open_bytes);
}

} // namespace
} // namespace cxrcat::test
