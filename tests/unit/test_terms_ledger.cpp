// SPDX-License-Identifier: Apache-2.0
#include "cxrcat/access/terms_ledger.hpp"
#include "cxrcat/base/digest.hpp"
#include "support/files.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace cxrcat {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

Dataset dataset(const std::string& id, const std::string& terms = "Cite the lab.") {
    Dataset out;
    out.id = id;
    out.name = "Dataset " + id;
    out.license.name = "CC-BY-4.0";
    out.access.terms = terms;
    out.access.terms_url = "https://example.org/terms";
    return out;
}

std::vector<fs::path> files_in(const fs::path& dir) {
    std::vector<fs::path> out;
    for (const auto& item : fs::directory_iterator(dir)) {
        out.push_back(item.path().filename());
    }
    std::sort(out.begin(), out.end());
    return out;
}

TEST(TermsDigest, IsSha256OfLicenceTermsAndUrlAsAJsonArray) {
    // The exact construction is part of every user's ledger: changing it would lapse all acceptances.
    EXPECT_EQ(terms_digest(dataset("a")), sha256_hex(R"(["CC-BY-4.0","Cite the lab.","https://example.org/terms"])"));
}

TEST(TermsDigest, ChangesWhenLicenceTermsOrUrlChange) {
    Dataset base = dataset("a");
    const std::string original = terms_digest(base);
    EXPECT_EQ(original.size(), 64U);

    Dataset licence = base;
    licence.license.name = "CC-BY-NC-4.0";
    EXPECT_NE(terms_digest(licence), original);

    Dataset terms = base;
    terms.access.terms = "Cite the lab. Do not redistribute.";
    EXPECT_NE(terms_digest(terms), original);

    Dataset url = base;
    url.access.terms_url = "https://example.org/terms-v2";
    EXPECT_NE(terms_digest(url), original);
}

TEST(TermsDigest, IgnoresEverythingElse) {
    Dataset base = dataset("a");
    Dataset other = base;
    other.id = "b";
    other.name = "Renamed";
    other.access.steps = {"register"};
    other.access.access_class = AccessClass::credentialed;
    other.license.spdx = "CC-BY-4.0";
    EXPECT_EQ(terms_digest(other), terms_digest(base));
}

TEST(TermsDigest, PartsCannotBeShiftedIntoEachOther) {
    Dataset first = dataset("a");
    first.license.name = "A";
    first.access.terms = "BC";
    Dataset second = first;
    second.license.name = "AB";
    second.access.terms = "C";
    EXPECT_NE(terms_digest(first), terms_digest(second));
}

TEST(TermsLedger, MissingFileIsAnEmptyLedger) {
    test::TempDir dir;
    TermsLedger ledger = TermsLedger::open(dir / "cxrcat" / "accepted-terms.json");
    EXPECT_TRUE(ledger.warnings().empty());
    EXPECT_TRUE(ledger.entries().empty());
    EXPECT_EQ(ledger.status(dataset("a")), TermsStatus::not_accepted);
    EXPECT_EQ(ledger.find("a"), nullptr);
    EXPECT_EQ(ledger.path(), dir / "cxrcat" / "accepted-terms.json");
    EXPECT_FALSE(fs::exists(dir / "cxrcat")); // reading never creates anything
}

TEST(TermsLedger, AcceptThenStatusIsAccepted) {
    test::TempDir dir;
    const fs::path file = dir / "config" / "cxrcat" / "accepted-terms.json";
    TermsLedger ledger = TermsLedger::open(file);
    ASSERT_TRUE(ledger.accept(dataset("a"), "2026-11-27T17:08:33Z").has_value());
    EXPECT_EQ(ledger.status(dataset("a")), TermsStatus::accepted);
    EXPECT_EQ(ledger.status(dataset("b")), TermsStatus::not_accepted);
    ASSERT_TRUE(fs::exists(file)); // parent directories created

    // A fresh read sees the same record.
    TermsLedger reread = TermsLedger::open(file);
    EXPECT_TRUE(reread.warnings().empty());
    EXPECT_EQ(reread.status(dataset("a")), TermsStatus::accepted);
    const Acceptance* entry = reread.find("a");
    ASSERT_NE(entry, nullptr);
    EXPECT_EQ(entry->dataset_id, "a");
    EXPECT_EQ(entry->accepted_at, "2026-11-27T17:08:33Z");
    EXPECT_EQ(entry->terms_sha256, terms_digest(dataset("a")));
    EXPECT_EQ(entry->license, "CC-BY-4.0");
    EXPECT_EQ(entry->terms_url, "https://example.org/terms");

    json document = json::parse(test::read_text_file(file));
    EXPECT_EQ(document["format"], 1);
    EXPECT_EQ(document["accepted"]["a"]["terms_sha256"], terms_digest(dataset("a")));
    EXPECT_EQ(files_in(file.parent_path()), std::vector<fs::path>{"accepted-terms.json"}); // no temp left
}

TEST(TermsLedger, ChangedTermsLapse) {
    test::TempDir dir;
    const fs::path file = dir / "accepted-terms.json";
    TermsLedger ledger = TermsLedger::open(file);
    ASSERT_TRUE(ledger.accept(dataset("a"), "2026-01-01T00:00:00Z").has_value());
    Dataset changed = dataset("a", "Cite the lab. No commercial use.");
    EXPECT_EQ(ledger.status(changed), TermsStatus::lapsed);
    EXPECT_EQ(TermsLedger::open(file).status(changed), TermsStatus::lapsed);
    // Accepting the new terms makes them current again, and the old ones lapse.
    ASSERT_TRUE(ledger.accept(changed, "2026-02-01T00:00:00Z").has_value());
    TermsLedger reread = TermsLedger::open(file);
    EXPECT_EQ(reread.status(changed), TermsStatus::accepted);
    EXPECT_EQ(reread.status(dataset("a")), TermsStatus::lapsed);
    EXPECT_EQ(reread.find("a")->accepted_at, "2026-02-01T00:00:00Z");
    EXPECT_EQ(reread.entries().size(), 1U);
}

TEST(TermsLedger, KeepsEveryAcceptedDatasetInIdOrder) {
    test::TempDir dir;
    TermsLedger ledger = TermsLedger::open(dir / "l.json");
    ASSERT_TRUE(ledger.accept(dataset("zeta"), "2026-01-01T00:00:00Z").has_value());
    ASSERT_TRUE(ledger.accept(dataset("alpha"), "2026-01-02T00:00:00Z").has_value());
    auto entries = TermsLedger::open(dir / "l.json").entries();
    ASSERT_EQ(entries.size(), 2U);
    EXPECT_EQ(entries[0].dataset_id, "alpha");
    EXPECT_EQ(entries[1].dataset_id, "zeta");
}

TEST(TermsLedger, DamagedFileWarnsAndCountsAsNothingAccepted) {
    for (const std::string damaged : {"{ this is not json", "[]", R"({"format": 1})", R"({"accepted": []})", ""}) {
        test::TempDir dir;
        const fs::path file = dir / "accepted-terms.json";
        test::write_text_file(file, damaged);
        TermsLedger ledger = TermsLedger::open(file);
        ASSERT_EQ(ledger.warnings().size(), 1U) << damaged;
        EXPECT_NE(ledger.warnings()[0].find(file.string()), std::string::npos) << ledger.warnings()[0];
        EXPECT_NE(ledger.warnings()[0].find("damaged"), std::string::npos) << ledger.warnings()[0];
        EXPECT_EQ(ledger.status(dataset("a")), TermsStatus::not_accepted);
        EXPECT_TRUE(ledger.entries().empty());
        EXPECT_EQ(test::read_text_file(file), damaged) << "reading must not touch the file";
    }
}

TEST(TermsLedger, AcceptKeepsTheDamagedFileAside) {
    test::TempDir dir;
    const fs::path file = dir / "accepted-terms.json";
    const std::string damaged = R"({"accepted": {"a": {"terms_sha256": "ab)"; // cut short
    test::write_text_file(file, damaged);
    TermsLedger ledger = TermsLedger::open(file);
    ASSERT_EQ(ledger.warnings().size(), 1U);

    ASSERT_TRUE(ledger.accept(dataset("b"), "2026-11-27T17:08:33Z").has_value());
    const fs::path aside = dir / "accepted-terms.json.damaged-20261127T170833Z";
    ASSERT_TRUE(fs::exists(aside));
    EXPECT_EQ(test::read_text_file(aside), damaged);
    EXPECT_EQ(files_in(dir.path()), (std::vector<fs::path>{"accepted-terms.json", aside.filename()}));
    ASSERT_EQ(ledger.warnings().size(), 2U);
    EXPECT_NE(ledger.warnings()[1].find(aside.string()), std::string::npos) << ledger.warnings()[1];

    TermsLedger reread = TermsLedger::open(file);
    EXPECT_TRUE(reread.warnings().empty());
    EXPECT_EQ(reread.status(dataset("b")), TermsStatus::accepted);
    EXPECT_EQ(reread.status(dataset("a")), TermsStatus::not_accepted);

    // The file is sound again: a second accept keeps nothing else aside.
    ASSERT_TRUE(ledger.accept(dataset("c"), "2026-11-27T17:09:00Z").has_value());
    EXPECT_EQ(files_in(dir.path()).size(), 2U);
}

TEST(TermsLedger, OneDamagedEntryDoesNotLoseTheOthers) {
    test::TempDir dir;
    const fs::path file = dir / "accepted-terms.json";
    const std::string good_digest = terms_digest(dataset("good"));
    json document = {{"format", 1},
                     {"accepted",
                      {{"good", {{"terms_sha256", good_digest}, {"accepted_at", "2026-01-01T00:00:00Z"}}},
                       {"bad-digest", {{"terms_sha256", "not hex"}, {"accepted_at", "2026-01-01T00:00:00Z"}}},
                       {"no-date", {{"terms_sha256", good_digest}}},
                       {"not-object", 42}}}};
    test::write_text_file(file, document.dump());

    TermsLedger ledger = TermsLedger::open(file);
    EXPECT_EQ(ledger.warnings().size(), 3U);
    for (const char* id : {"bad-digest", "no-date", "not-object"}) {
        bool mentioned = std::any_of(ledger.warnings().begin(), ledger.warnings().end(), [&](const std::string& w) {
            return w.find(std::string("'") + id + "'") != std::string::npos;
        });
        EXPECT_TRUE(mentioned) << id;
        EXPECT_EQ(ledger.status(dataset(id)), TermsStatus::not_accepted) << id;
    }
    EXPECT_EQ(ledger.status(dataset("good")), TermsStatus::accepted);
    EXPECT_EQ(ledger.entries().size(), 1U);

    // Accepting something else keeps the damaged entries verbatim (never silently lost) ...
    ASSERT_TRUE(ledger.accept(dataset("new"), "2026-02-02T00:00:00Z").has_value());
    json written = json::parse(test::read_text_file(file));
    EXPECT_EQ(written["accepted"]["bad-digest"], document["accepted"]["bad-digest"]);
    EXPECT_EQ(written["accepted"]["no-date"], document["accepted"]["no-date"]);
    EXPECT_EQ(written["accepted"]["not-object"], 42);
    EXPECT_EQ(written["accepted"]["good"]["terms_sha256"], good_digest);
    EXPECT_EQ(written["accepted"]["new"]["accepted_at"], "2026-02-02T00:00:00Z");

    // ... and accepting a damaged entry's dataset replaces it.
    ASSERT_TRUE(ledger.accept(dataset("no-date"), "2026-02-03T00:00:00Z").has_value());
    TermsLedger reread = TermsLedger::open(file);
    EXPECT_EQ(reread.warnings().size(), 2U);
    EXPECT_EQ(reread.status(dataset("no-date")), TermsStatus::accepted);
    EXPECT_EQ(reread.status(dataset("good")), TermsStatus::accepted);
    EXPECT_EQ(reread.status(dataset("new")), TermsStatus::accepted);
    // Damaged entries alone never make the whole file "damaged": nothing is kept aside.
    EXPECT_EQ(files_in(dir.path()), std::vector<fs::path>{"accepted-terms.json"});
}

TEST(TermsLedger, AcceptFailsWithLocalIoWhenTheFileCannotBeWritten) {
    test::TempDir dir;
    test::write_text_file(dir / "not-a-dir", "x");
    TermsLedger ledger = TermsLedger::open(dir / "not-a-dir" / "accepted-terms.json");
    auto result = ledger.accept(dataset("a"), "2026-01-01T00:00:00Z");
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().code(), ErrorCode::local_io);
    EXPECT_NE(result.error().message().find((dir / "not-a-dir").string()), std::string::npos)
        << result.error().message();
}

TEST(TermsLedger, UtcNowIsIso8601) {
    // YYYY-MM-DDTHH:MM:SSZ, checked position by position.
    const std::string now = utc_now_iso8601();
    const std::string shape = "dddd-dd-ddTdd:dd:ddZ";
    ASSERT_EQ(now.size(), shape.size()) << now;
    for (std::size_t i = 0; i < shape.size(); ++i) {
        if (shape[i] == 'd') {
            EXPECT_TRUE(now[i] >= '0' && now[i] <= '9') << now;
        } else {
            EXPECT_EQ(now[i], shape[i]) << now;
        }
    }
    EXPECT_GE(now.substr(0, 4), "2024") << now;
}

} // namespace
} // namespace cxrcat
