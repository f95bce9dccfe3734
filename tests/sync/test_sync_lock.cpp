// SPDX-License-Identifier: Apache-2.0
// `cxrcat sync` twice and the manifest form of the issue: cxrcat.lock, up to date, byte-identical.
#include "sync_fixture.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace cxrcat::test {
namespace {

// --- sync twice -------------------------------------------------------------------------------------

TEST_F(SyncTest, SecondSyncIsUpToDateMakesNoRequestAndKeepsTheLockByteIdentical) {
    constexpr int k_images = 12;
    std::vector<FileSpec> files;
    std::map<std::string, std::string> content;
    for (int i = 0; i < k_images; ++i) {
        std::string name = "img-" + std::to_string(i) + ".bin";
        content[name] = seeded_bytes(48 * 1024 + static_cast<std::size_t>(i), static_cast<std::uint64_t>(i) + 1);
        serve(name, content[name]);
        files.push_back({"img/" + name, origin_url(name), std::nullopt, std::nullopt, std::nullopt, false});
    }
    content["labels.csv"] = "id,label\n1,normal\n2,effusion\n";
    serve("labels.csv", content["labels.csv"]);
    files.push_back({"labels.csv", origin_url("labels.csv"), content["labels.csv"].size(),
                     sha256_hex(content["labels.csv"]), std::nullopt, false});
    Machine a = machine("a", write_catalog("a", {dataset_entry("sy-twice", files)}));
    fs::path project = m_dir / "project";
    fs::path manifest = write_manifest("project", {{"datasets", {{{"id", "sy-twice"}}}}});
    fs::path lock = project / "cxrcat.lock";

    // Cold: ./cxrcat.json read from the working directory, cxrcat.lock written beside it.
    auto cold_start = std::chrono::steady_clock::now();
    ProcessResult first = cxrcat(a, {"sync", "--accept-terms"}, {}, project);
    double cold_ms = elapsed_ms(cold_start);
    ASSERT_EQ(first.exit_code, 0) << first.describe();
    ASSERT_TRUE(fs::exists(lock)) << first.describe();
    int cold_requests = origin_requests();
    EXPECT_EQ(cold_requests, k_images + 1);
    for (const auto& [name, bytes] : content) {
        fs::path installed = a.dataset("sy-twice") / (name == "labels.csv" ? name : "img/" + name);
        EXPECT_EQ(read_text_file(installed), bytes) << installed;
    }

    // The lock: stable key order (sorted, as a re-dump shows), every file with its size and sha256.
    std::string lock_text = read_text_file(lock);
    json locked = json::parse(lock_text);
    EXPECT_EQ(locked.dump(2) + "\n", lock_text) << "the lock's keys are not in a stable (sorted) order";
    EXPECT_EQ(locked.at("format"), 1);
    EXPECT_FALSE(locked.at("catalog_sha256").get<std::string>().empty());
    const json& entry = locked.at("datasets").at("sy-twice");
    EXPECT_FALSE(entry.at("entry_sha256").get<std::string>().empty());
    EXPECT_FALSE(entry.at("terms_sha256").get<std::string>().empty());
    EXPECT_EQ(entry.at("sources").at(0).at("provider"), "http");
    ASSERT_EQ(entry.at("files").size(), content.size());
    for (const auto& [name, bytes] : content) {
        std::string path = name == "labels.csv" ? name : "img/" + name;
        const json& file = entry.at("files").at(path);
        EXPECT_EQ(file.at("size").get<std::uint64_t>(), bytes.size()) << path;
        EXPECT_EQ(file.at("digests").at("sha256"), sha256_hex(bytes)) << path;
        EXPECT_TRUE(
            contains(file.at("origin").get<std::string>(), name == "labels.csv" ? "published" : "first download"))
            << path << ": " << file.at("origin");
    }
    auto lock_mtime = fs::last_write_time(lock);

    // Warm: up to date, not one request at the origin, the lock neither changed nor rewritten.
    auto warm_start = std::chrono::steady_clock::now();
    ProcessResult second = cxrcat(a, {"sync"}, {}, project);
    double warm_ms = elapsed_ms(warm_start);
    ASSERT_EQ(second.exit_code, 0) << second.describe();
    EXPECT_EQ(second.out, "up to date  sy-twice\n") << second.describe();
    int warm_requests = origin_requests() - cold_requests;
    EXPECT_EQ(warm_requests, 0);
    EXPECT_EQ(read_text_file(lock), lock_text);
    EXPECT_EQ(fs::last_write_time(lock), lock_mtime) << "the lock was rewritten";

    // The CI line: sync --frozen --accept-terms on a warm cache.
    auto frozen_start = std::chrono::steady_clock::now();
    ProcessResult frozen = cxrcat(a, {"sync", "--frozen", "--accept-terms", "--manifest", manifest.string()});
    double frozen_ms = elapsed_ms(frozen_start);
    ASSERT_EQ(frozen.exit_code, 0) << frozen.describe();
    int frozen_requests = origin_requests() - cold_requests;
    EXPECT_EQ(frozen_requests, 0);
    EXPECT_EQ(read_text_file(lock), lock_text);

    std::cout << "[ figures  ] " << content.size() << " files, "
              << std::accumulate(content.begin(), content.end(), std::size_t{0},
                                 [](std::size_t sum, const auto& item) { return sum + item.second.size(); })
              << " bytes: cold sync " << static_cast<long>(cold_ms) << " ms, " << cold_requests
              << " requests; warm sync " << static_cast<long>(warm_ms) << " ms, " << warm_requests
              << " requests; warm sync --frozen " << static_cast<long>(frozen_ms) << " ms, " << frozen_requests
              << " requests\n";
}

TEST_F(SyncTest, FrozenSyncRebuildsAFreshHomeByteIdentically) {
    std::string a_bytes = seeded_bytes(70'000, 11);
    std::string b_bytes = seeded_bytes(1'234, 12);
    serve("a.bin", a_bytes);
    serve("b.bin", b_bytes);
    fs::path catalog = write_catalog(
        "c", {dataset_entry("sy-ci", {{"a.bin", origin_url("a.bin")}, {"sub/b.bin", origin_url("b.bin")}})});
    fs::path manifest = write_manifest("project", {{"datasets", {{{"id", "sy-ci"}}}}});
    Machine dev = machine("dev", catalog);
    sync_ok(dev, manifest);
    std::string lock_text = read_text_file(manifest.parent_path() / "cxrcat.lock");

    // A CI runner with an empty cache: the lock alone says what the bytes must be.
    Machine ci = machine("ci", catalog);
    ProcessResult result = cxrcat(ci, {"sync", "--frozen", "--accept-terms", "--manifest", manifest.string()});
    ASSERT_EQ(result.exit_code, 0) << result.describe();
    EXPECT_EQ(read_text_file(ci.dataset("sy-ci") / "a.bin"), a_bytes);
    EXPECT_EQ(read_text_file(ci.dataset("sy-ci") / "sub/b.bin"), b_bytes);
    EXPECT_EQ(read_text_file(manifest.parent_path() / "cxrcat.lock"), lock_text);
}

// --- the manifest form of the issue -----------------------------------------------------------------

TEST_F(SyncTest, AcceptsTheIssueManifestFormWithInclude) {
    std::string zip = read_text_file(m_www / "sample.zip");
    std::string scan = seeded_bytes(5'000, 21);
    std::string annotations = "seriesuid,coordX,coordY,coordZ,diameter_mm\n1.3.6,1,2,3,4.5\n";
    serve("subset0.zip", zip);
    serve("subset1.zip", zip);
    serve("annotations.csv", annotations);
    serve("candidates.csv", "seriesuid,class\n");
    serve("scan.bin", scan);
    fs::path catalog = write_catalog(
        "c", {dataset_entry("sx-montgomery", {{"scan.bin", origin_url("scan.bin")}}),
              dataset_entry("sx-luna",
                            {{"subset0.zip", origin_url("subset0.zip"), std::nullopt, std::nullopt, std::nullopt, true},
                             {"subset1.zip", origin_url("subset1.zip"), std::nullopt, std::nullopt, std::nullopt, true},
                             {"annotations.csv", origin_url("annotations.csv")},
                             {"candidates.csv", origin_url("candidates.csv")}})});
    Machine a = machine("a", catalog);
    // Exactly the issue's text, with this test's ids.
    fs::path project = m_dir / "project";
    write_text_file(project / "cxrcat.json", R"({"datasets": [{"id": "sx-montgomery"},
              {"id": "sx-luna", "include": ["subset0.zip", "annotations.csv"]}]}
)");
    ProcessResult result = cxrcat(a, {"sync", "--accept-terms"}, {}, project);
    ASSERT_EQ(result.exit_code, 0) << result.describe();
    EXPECT_EQ(read_text_file(a.dataset("sx-montgomery") / "scan.bin"), scan);
    EXPECT_EQ(read_text_file(a.dataset("sx-luna") / "annotations.csv"), annotations);
    EXPECT_TRUE(fs::exists(a.dataset("sx-luna") / "sample" / "data.csv")) << "subset0.zip was not extracted";
    EXPECT_FALSE(fs::exists(a.dataset("sx-luna") / "subset1.zip"));
    EXPECT_FALSE(fs::exists(a.dataset("sx-luna") / "candidates.csv"));
    EXPECT_EQ(origin_requests("subset1.zip"), 0);
    EXPECT_EQ(origin_requests("candidates.csv"), 0);

    json lock = json::parse(read_text_file(project / "cxrcat.lock"));
    std::vector<std::string> luna_files;
    for (const auto& [path, file] : lock.at("datasets").at("sx-luna").at("files").items()) {
        luna_files.push_back(path);
    }
    EXPECT_EQ(luna_files, (std::vector<std::string>{"annotations.csv", "subset0.zip"}));
    EXPECT_EQ(lock.at("datasets").at("sx-luna").at("files").at("subset0.zip").at("digests").at("sha256"),
              sha256_hex(zip));
    EXPECT_EQ(lock.at("datasets").at("sx-montgomery").at("files").size(), 1U);

    // An extracted (and deleted) archive still counts as installed: the rerun is up to date.
    int before = origin_requests();
    ProcessResult again = cxrcat(a, {"sync"}, {}, project);
    ASSERT_EQ(again.exit_code, 0) << again.describe();
    EXPECT_TRUE(contains(again.out, "up to date  sx-montgomery")) << again.describe();
    EXPECT_TRUE(contains(again.out, "up to date  sx-luna")) << again.describe();
    EXPECT_EQ(origin_requests(), before);

    // More optional keys are fine.
    fs::path other = write_manifest(
        "other",
        {{"version", 1},
         {"datasets",
          {{{"id", "sx-luna"}, {"include", {"annotations.csv"}}, {"exclude", {"*.zip"}}, {"extract", false}}}}});
    ProcessResult optional_keys = cxrcat(a, {"sync", "--manifest", other.string()});
    EXPECT_EQ(optional_keys.exit_code, 0) << optional_keys.describe();
}

TEST_F(SyncTest, ChangingTheManifestSelectionIsNeverUpToDate) {
    std::string a_bytes = seeded_bytes(3'000, 25);
    std::string b_bytes = seeded_bytes(4'000, 26);
    serve("a.bin", a_bytes);
    serve("b.bin", b_bytes);
    Machine m = machine("a", write_catalog("c", {dataset_entry("sy-select", {{"a.bin", origin_url("a.bin")},
                                                                             {"b.bin", origin_url("b.bin")}})}));
    fs::path manifest = write_manifest("project", {{"datasets", {{{"id", "sy-select"}, {"include", {"a.bin"}}}}}});
    fs::path lock = manifest.parent_path() / "cxrcat.lock";
    sync_ok(m, manifest);
    EXPECT_FALSE(fs::exists(m.dataset("sy-select") / "b.bin"));
    std::string lock_text = read_text_file(lock);

    // The project now wants b.bin too: the lock no longer describes the manifest.
    write_manifest("project", {{"datasets", {{{"id", "sy-select"}, {"include", {"a.bin", "b.bin"}}}}}});
    ProcessResult frozen = cxrcat(m, {"sync", "--frozen", "--manifest", manifest.string()});
    EXPECT_EQ(frozen.exit_code, 5) << frozen.describe();
    EXPECT_TRUE(contains(frozen.err, "sy-select")) << frozen.describe();
    EXPECT_EQ(read_text_file(lock), lock_text);
    ProcessResult offline = cxrcat(m, {"sync", "--offline", "--manifest", manifest.string()});
    EXPECT_NE(offline.exit_code, 0) << offline.describe();
    EXPECT_EQ(read_text_file(lock), lock_text);

    ProcessResult plain = cxrcat(m, {"sync", "--manifest", manifest.string()});
    ASSERT_EQ(plain.exit_code, 0) << plain.describe();
    EXPECT_FALSE(contains(plain.out, "up to date")) << plain.describe();
    ASSERT_TRUE(fs::exists(m.dataset("sy-select") / "b.bin")) << plain.describe();
    EXPECT_EQ(read_text_file(m.dataset("sy-select") / "b.bin"), b_bytes);
    EXPECT_TRUE(json::parse(read_text_file(lock)).at("datasets").at("sy-select").at("files").contains("b.bin"));
    EXPECT_EQ(origin_requests("a.bin"), 1);

    // And back to everything (no include): a.bin and b.bin are installed, nothing to fetch.
    write_manifest("project", {{"datasets", {{{"id", "sy-select"}}}}});
    ProcessResult all = cxrcat(m, {"sync", "--manifest", manifest.string()});
    ASSERT_EQ(all.exit_code, 0) << all.describe();
    EXPECT_EQ(origin_requests(), 2);
    ProcessResult again = cxrcat(m, {"sync", "--frozen", "--manifest", manifest.string()});
    EXPECT_EQ(again.exit_code, 0) << again.describe();
    EXPECT_TRUE(contains(again.out, "up to date")) << again.describe();
}

} // namespace
} // namespace cxrcat::test
