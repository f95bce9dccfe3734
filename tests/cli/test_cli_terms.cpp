// SPDX-License-Identifier: Apache-2.0
// `cxrcat terms` and `cxrcat accept`: the ledger, lapse when the catalog's terms change, damage.
#include "cli_test.hpp"
#include "cxrcat/access/terms_ledger.hpp"
#include "cxrcat/catalog/catalog_loader.hpp"

namespace cxrcat::test {
namespace {

using Terms = CliTest;

TEST_F(Terms, ShowsLicenceTermsStepsAndAccessClass) {
    ProcessResult result = cxrcat({"terms", "mimic-cxr-jpg"});
    ASSERT_EQ(result.exit_code, 0) << result.describe();
    json entry = builtin_entry("mimic-cxr-jpg");
    EXPECT_EQ(result.out.rfind("mimic-cxr-jpg — ", 0), 0U) << result.out;
    EXPECT_TRUE(contains(result.out, "Licence:  " + entry["license"]["name"].get<std::string>())) << result.out;
    EXPECT_TRUE(contains(result.out, "Terms:    " + entry["access"]["terms"].get<std::string>())) << result.out;
    EXPECT_TRUE(contains(result.out, "Read:     " + entry["access"]["terms_url"].get<std::string>())) << result.out;
    EXPECT_TRUE(contains(result.out, "Access:   credentialed — " + std::string(explain(AccessClass::credentialed))))
        << result.out;
    EXPECT_TRUE(contains(result.out, "  1. " + entry["access"]["steps"][0].get<std::string>())) << result.out;
    EXPECT_TRUE(contains(result.out, "Status:   not accepted — run: cxrcat accept mimic-cxr-jpg\n")) << result.out;
    EXPECT_EQ(result.err, "");
}

TEST_F(Terms, AcceptRecordsTheExactTermsDigest) {
    ProcessResult accepted = cxrcat({"accept", "LUNA-16", "jsrt"});
    ASSERT_EQ(accepted.exit_code, 0) << accepted.describe();
    EXPECT_TRUE(contains(accepted.out, "accepted the terms of luna16 (")) << accepted.out;
    EXPECT_TRUE(contains(accepted.out, "accepted the terms of jsrt (")) << accepted.out;
    // jsrt needs registration: the user is told what else is needed.
    EXPECT_TRUE(contains(accepted.err, "jsrt also needs: " + std::string(explain(AccessClass::registration))))
        << accepted.err;
    ASSERT_TRUE(fs::exists(ledger_file()));

    // The digest in the ledger is terms_digest() of the built-in entry, computed by the library.
    LoadedCatalog catalog = load_catalog(CatalogSources{true, {}});
    json ledger = json::parse(read_text_file(ledger_file()));
    EXPECT_EQ(ledger["accepted"]["luna16"]["terms_sha256"], terms_digest(*catalog.catalog.find("luna16")));
    EXPECT_EQ(ledger["accepted"]["jsrt"]["terms_sha256"], terms_digest(*catalog.catalog.find("jsrt")));

    ProcessResult terms = cxrcat({"terms", "luna16"});
    ASSERT_EQ(terms.exit_code, 0) << terms.describe();
    EXPECT_TRUE(contains(terms.out, "Status:   accepted on ")) << terms.out;

    ProcessResult as_json = cxrcat({"terms", "luna16", "--format", "json"});
    ASSERT_EQ(as_json.exit_code, 0) << as_json.describe();
    json parsed = json::parse(as_json.out);
    EXPECT_EQ(parsed["status"], "accepted");
    EXPECT_EQ(parsed["terms_sha256"], ledger["accepted"]["luna16"]["terms_sha256"]);
    EXPECT_EQ(parsed["accepted_at"], ledger["accepted"]["luna16"]["accepted_at"]);
}

TEST_F(Terms, AcceptListAsJson) {
    ProcessResult empty = cxrcat({"accept", "--list", "--format", "json"});
    ASSERT_EQ(empty.exit_code, 0) << empty.describe();
    EXPECT_EQ(json::parse(empty.out), json::array());

    ASSERT_EQ(cxrcat({"accept", "shenzhen", "chexpert"}).exit_code, 0);
    ProcessResult result = cxrcat({"accept", "--list", "--format", "json"});
    ASSERT_EQ(result.exit_code, 0) << result.describe();
    json list = json::parse(result.out);
    ASSERT_EQ(list.size(), 2U);
    EXPECT_EQ(list[0]["id"], "chexpert");
    EXPECT_EQ(list[1]["id"], "shenzhen");
    for (const auto& entry : list) {
        EXPECT_EQ(entry["status"], "current");
        EXPECT_EQ(entry["terms_sha256"].get<std::string>().size(), 64U);
        EXPECT_TRUE(entry["accepted_at"].get<std::string>().ends_with("Z"));
        EXPECT_FALSE(entry["license"].get<std::string>().empty());
        EXPECT_EQ(entry["terms_url"].get<std::string>().rfind("http", 0), 0U);
    }

    ProcessResult table = cxrcat({"accept", "--list"});
    ASSERT_EQ(table.exit_code, 0) << table.describe();
    auto lines = split_lines(table.out);
    ASSERT_EQ(lines.size(), 3U) << table.out;
    EXPECT_EQ(lines[1].rfind("chexpert ", 0), 0U);
    EXPECT_TRUE(contains(lines[2], "current")) << lines[2];
}

TEST_F(Terms, AcceptanceLapsesWhenTheCatalogsTermsChange) {
    ASSERT_EQ(cxrcat({"accept", "luna16"}).exit_code, 0);

    // A user catalog overrides luna16 with different terms text.
    json changed = builtin_entry("luna16");
    changed["access"]["terms"] = changed["access"]["terms"].get<std::string>() + " New: no commercial use.";
    write_text_file(m_dir / "override" / "luna16.json", changed.dump());
    const std::string catalog = (m_dir / "override").string();

    ProcessResult terms = cxrcat({"--catalog", catalog, "terms", "luna16"});
    ASSERT_EQ(terms.exit_code, 0) << terms.describe();
    EXPECT_TRUE(contains(terms.out, "Status:   lapsed — the terms changed after you accepted them on ")) << terms.out;
    EXPECT_TRUE(contains(terms.out, "run: cxrcat accept luna16")) << terms.out;

    ProcessResult list = cxrcat({"--catalog", catalog, "accept", "--list", "--format", "json"});
    ASSERT_EQ(list.exit_code, 0) << list.describe();
    EXPECT_EQ(json::parse(list.out)[0]["status"], "lapsed");

    // Without the override the original acceptance still holds.
    ProcessResult original = cxrcat({"terms", "luna16", "--format", "json"});
    EXPECT_EQ(json::parse(original.out)["status"], "accepted");

    // Accepting again under the new terms makes them current.
    ASSERT_EQ(cxrcat({"--catalog", catalog, "accept", "luna16"}).exit_code, 0);
    ProcessResult again = cxrcat({"--catalog", catalog, "terms", "luna16", "--format", "json"});
    EXPECT_EQ(json::parse(again.out)["status"], "accepted");
    EXPECT_EQ(json::parse(cxrcat({"terms", "luna16", "--format", "json"}).out)["status"], "lapsed");
}

TEST_F(Terms, ChangedUrlOrLicenceAlsoLapses) {
    ASSERT_EQ(cxrcat({"accept", "nlst"}).exit_code, 0);
    for (const std::string field : {"terms_url", "license"}) {
        json changed = builtin_entry("nlst");
        if (field == "terms_url") {
            changed["access"]["terms_url"] = "https://example.org/new-terms";
        } else {
            changed["license"]["name"] = "Another licence";
        }
        write_text_file(m_dir / field / "nlst.json", changed.dump());
        ProcessResult result = cxrcat({"--catalog", (m_dir / field).string(), "terms", "nlst", "--format", "json"});
        ASSERT_EQ(result.exit_code, 0) << result.describe();
        EXPECT_EQ(json::parse(result.out)["status"], "lapsed") << field;
    }
    // A change outside licence, terms and URL does not lapse.
    json renamed = builtin_entry("nlst");
    renamed["name"] = "NLST with a new name";
    write_text_file(m_dir / "renamed" / "nlst.json", renamed.dump());
    ProcessResult result = cxrcat({"--catalog", (m_dir / "renamed").string(), "terms", "nlst", "--format", "json"});
    EXPECT_EQ(json::parse(result.out)["status"], "accepted");
}

TEST_F(Terms, CorruptedLedgerWarnsAndCountsAsNotAccepted) {
    write_text_file(ledger_file(), "{\"format\": 1, \"accepted\": {\"jsrt\": ");
    ProcessResult result = cxrcat({"terms", "jsrt"});
    EXPECT_EQ(result.exit_code, 0) << result.describe();
    EXPECT_TRUE(contains(result.out, "Status:   not accepted")) << result.out;
    auto warnings = split_lines(result.err);
    ASSERT_EQ(warnings.size(), 1U) << result.err;
    EXPECT_EQ(warnings[0].rfind("cxrcat: warning: " + ledger_file().string() + ": ", 0), 0U) << warnings[0];
    EXPECT_TRUE(contains(warnings[0], "damaged")) << warnings[0];

    ProcessResult list = cxrcat({"accept", "--list", "--format", "json"});
    EXPECT_EQ(list.exit_code, 0) << list.describe();
    EXPECT_EQ(json::parse(list.out), json::array());
    EXPECT_TRUE(contains(list.err, "damaged")) << list.err;
}

TEST_F(Terms, AcceptOverACorruptedLedgerKeepsItAside) {
    const std::string damaged = "not json at all";
    write_text_file(ledger_file(), damaged);
    ProcessResult result = cxrcat({"accept", "jsrt"});
    ASSERT_EQ(result.exit_code, 0) << result.describe();
    EXPECT_TRUE(contains(result.err, "damaged")) << result.err;

    std::vector<fs::path> aside;
    for (const auto& item : fs::directory_iterator(ledger_file().parent_path())) {
        if (item.path().filename().string().rfind("accepted-terms.json.damaged-", 0) == 0) {
            aside.push_back(item.path());
        }
    }
    ASSERT_EQ(aside.size(), 1U);
    EXPECT_EQ(read_text_file(aside[0]), damaged);
    EXPECT_TRUE(contains(result.err, "cxrcat: warning: the damaged ledger was kept as " + aside[0].string()))
        << result.err;

    ProcessResult terms = cxrcat({"terms", "jsrt", "--format", "json"});
    EXPECT_EQ(terms.err, "");
    EXPECT_EQ(json::parse(terms.out)["status"], "accepted");
}

TEST_F(Terms, OneDamagedEntryKeepsTheOthers) {
    ASSERT_EQ(cxrcat({"accept", "jsrt", "nlst"}).exit_code, 0);
    json ledger = json::parse(read_text_file(ledger_file()));
    ledger["accepted"]["nlst"]["terms_sha256"] = 12;
    write_text_file(ledger_file(), ledger.dump());

    ProcessResult nlst = cxrcat({"terms", "nlst", "--format", "json"});
    EXPECT_EQ(nlst.exit_code, 0) << nlst.describe();
    EXPECT_EQ(json::parse(nlst.out)["status"], "not-accepted");
    EXPECT_TRUE(contains(nlst.err, "entry 'nlst' is damaged")) << nlst.err;

    ProcessResult jsrt = cxrcat({"terms", "jsrt", "--format", "json"});
    EXPECT_EQ(json::parse(jsrt.out)["status"], "accepted");
}

} // namespace
} // namespace cxrcat::test
