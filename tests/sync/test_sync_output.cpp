// SPDX-License-Identifier: Apache-2.0
// Automation output (--format json) and a rerun after a partial failure.
#include "sync_fixture.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace cxrcat::test {
namespace {

// --- automation output -----------------------------------------------------------------------------

TEST_F(SyncTest, FormatJsonGivesARecordPerFileAndASummary) {
    std::string a_bytes = seeded_bytes(7'000, 121);
    std::string b_bytes = seeded_bytes(700, 122);
    serve("a.bin", a_bytes);
    serve("b.bin", b_bytes);
    Machine a = machine(
        "a",
        write_catalog("c", {dataset_entry("sy-json", {{"a.bin", origin_url("a.bin")}, {"b.bin", origin_url("b.bin")}}),
                            dataset_entry("sy-json-bad", {{"gone.bin", origin_url("gone.bin")}})}));
    fs::path manifest = write_manifest("project", {{"datasets", {{{"id", "sy-json"}}}}});

    ProcessResult first = cxrcat(a, {"sync", "--accept-terms", "--format", "json", "--manifest", manifest.string()});
    ASSERT_EQ(first.exit_code, 0) << first.describe();
    json report = json::parse(first.out, nullptr, false);
    ASSERT_FALSE(report.is_discarded()) << "stdout is not one JSON document\n" << first.describe();
    ASSERT_EQ(report.at("files").size(), 2U) << report.dump(2);
    std::map<std::string, json> by_path;
    for (const auto& record : report.at("files")) {
        by_path[record.at("path").get<std::string>()] = record;
    }
    EXPECT_EQ(by_path.at("a.bin").at("dataset"), "sy-json");
    EXPECT_EQ(by_path.at("a.bin").at("status"), "downloaded");
    EXPECT_EQ(by_path.at("a.bin").at("bytes").get<std::uint64_t>(), a_bytes.size());
    EXPECT_EQ(by_path.at("a.bin").at("digests").at("sha256"), sha256_hex(a_bytes));
    EXPECT_TRUE(by_path.at("a.bin").at("error").is_null());
    EXPECT_EQ(by_path.at("b.bin").at("digests").at("sha256"), sha256_hex(b_bytes));
    EXPECT_EQ(report.at("summary").at("downloaded"), 2);
    EXPECT_EQ(report.at("summary").at("failed"), 0);
    EXPECT_EQ(report.at("summary").at("lock_written"), true);
    EXPECT_EQ(report.at("exit_code"), 0);

    ProcessResult second = cxrcat(a, {"sync", "--format", "json", "--manifest", manifest.string()});
    ASSERT_EQ(second.exit_code, 0) << second.describe();
    json again = json::parse(second.out, nullptr, false);
    ASSERT_FALSE(again.is_discarded()) << second.describe();
    EXPECT_EQ(again.at("datasets").at(0).at("up_to_date"), true);
    // Still a record per file: what the lock says is installed.
    ASSERT_EQ(again.at("files").size(), 2U) << again.dump(2);
    for (const auto& record : again.at("files")) {
        EXPECT_EQ(record.at("status"), "skipped") << record;
        EXPECT_EQ(record.at("digests").at("sha256"),
                  by_path.at(record.at("path").get<std::string>()).at("digests").at("sha256"));
        EXPECT_EQ(record.at("bytes"), by_path.at(record.at("path").get<std::string>()).at("bytes"));
    }
    EXPECT_EQ(again.at("summary").at("skipped"), 2);
    EXPECT_EQ(again.at("summary").at("downloaded"), 0);
    EXPECT_EQ(again.at("summary").at("lock_written"), false);

    // A failing file: its record carries the error, the summary counts it, the exit code says why.
    fs::path bad = write_manifest("bad", {{"datasets", {{{"id", "sy-json-bad"}}}}});
    ProcessResult failed = cxrcat(a, {"sync", "--accept-terms", "--format", "json", "--manifest", bad.string()});
    EXPECT_NE(failed.exit_code, 0) << failed.describe();
    json failure = json::parse(failed.out, nullptr, false);
    ASSERT_FALSE(failure.is_discarded()) << failed.describe();
    ASSERT_EQ(failure.at("files").size(), 1U) << failure.dump(2);
    EXPECT_EQ(failure.at("files").at(0).at("status"), "failed");
    EXPECT_EQ(failure.at("files").at(0).at("error").at("exit_code"), failed.exit_code);
    EXPECT_EQ(failure.at("summary").at("failed"), 1);
    EXPECT_EQ(failure.at("exit_code"), failed.exit_code);
}

TEST_F(SyncTest, RerunAfterAPartialFailureOnlyTouchesWhatFailed) {
    std::string good = seeded_bytes(11'000, 131);
    std::string late = seeded_bytes(4'000, 132);
    serve("good.bin", good); // late.bin is not there yet: 404
    Machine a = machine("a", write_catalog("c", {dataset_entry("sy-partial", {{"good.bin", origin_url("good.bin")},
                                                                              {"late.bin", origin_url("late.bin")}})}));
    fs::path manifest = write_manifest("project", {{"datasets", {{{"id", "sy-partial"}}}}});
    ProcessResult first = cxrcat(a, {"sync", "--accept-terms", "--manifest", manifest.string()});
    EXPECT_NE(first.exit_code, 0) << first.describe();
    EXPECT_TRUE(contains(first.err, "late.bin")) << first.describe();
    EXPECT_EQ(read_text_file(a.dataset("sy-partial") / "good.bin"), good);
    int late_first = origin_requests("late.bin");

    serve("late.bin", late);
    ProcessResult second = cxrcat(a, {"sync", "--manifest", manifest.string()});
    ASSERT_EQ(second.exit_code, 0) << second.describe();
    EXPECT_EQ(read_text_file(a.dataset("sy-partial") / "late.bin"), late);
    EXPECT_EQ(origin_requests("good.bin"), 1) << "the file that had succeeded was fetched again";
    EXPECT_EQ(origin_requests("late.bin"), late_first + 1);
    json lock = json::parse(read_text_file(manifest.parent_path() / "cxrcat.lock"));
    EXPECT_EQ(lock.at("datasets").at("sy-partial").at("files").size(), 2U);
}

} // namespace
} // namespace cxrcat::test
