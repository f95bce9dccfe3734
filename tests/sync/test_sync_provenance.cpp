// SPDX-License-Identifier: Apache-2.0
// The provenance bundle sync writes beside the lock.
#include "sync_fixture.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace cxrcat::test {
namespace {

// --- provenance -------------------------------------------------------------------------------------

TEST_F(SyncTest, ProvenanceFilesArePresentAndCorrect) {
    std::string a_bytes = seeded_bytes(15'000, 111);
    std::string b_bytes = "b,c\n1,2\n";
    serve("a.bin", a_bytes);
    serve("b.csv", b_bytes);
    const std::string secret = "s3cr3t-t0ken-value";
    const std::string citation =
        "@article{sy-prov,\n  title={A {Chest} Dataset},\n  author={Doe, Jane},\n  year={2024}\n}";
    Machine a = machine(
        "a", write_catalog("c", {dataset_entry("sy-prov",
                                               {{"a.bin", origin_url("a.bin") + "?token=" + secret},
                                                {"t/b.csv", origin_url("b.csv"), b_bytes.size(), sha256_hex(b_bytes)}},
                                               {"open", "allowed", citation})}));
    fs::path manifest = write_manifest("project", {{"datasets", {{{"id", "sy-prov"}}}}});
    sync_ok(a, manifest);
    fs::path dir = a.dataset("sy-prov");

    ASSERT_TRUE(fs::exists(dir / "CITATION.bib"));
    EXPECT_EQ(read_text_file(dir / "CITATION.bib"), citation + "\n");

    ASSERT_TRUE(fs::exists(dir / "CITATION.cff"));
    std::string cff = read_text_file(dir / "CITATION.cff");
    EXPECT_TRUE(contains(cff, "cff-version: 1.2.0")) << cff;
    EXPECT_TRUE(contains(cff, "title: \"Sync test sy-prov\"")) << cff;
    EXPECT_TRUE(contains(cff, "license: \"CC-BY-4.0\"")) << cff;

    // When the terms were accepted: the ledger of the machine (XDG_CONFIG_HOME/cxrcat/accepted-terms.json).
    json ledger = json::parse(read_text_file(a.config() / "cxrcat" / "accepted-terms.json"));
    std::string ledger_text = ledger.dump(2);
    std::string accepted_at = ledger.at("accepted").at("sy-prov").value("accepted_at", "");
    ASSERT_FALSE(accepted_at.empty()) << ledger_text;

    ASSERT_TRUE(fs::exists(dir / "TERMS.txt"));
    std::string terms = read_text_file(dir / "TERMS.txt");
    EXPECT_TRUE(contains(terms, "Licence: CC-BY-4.0")) << terms;
    EXPECT_TRUE(contains(terms, "Terms: Cite the sync test sy-prov.")) << terms;
    EXPECT_TRUE(contains(terms, "Terms URL: https://example.org/terms/sy-prov")) << terms;
    EXPECT_TRUE(contains(terms, "Accepted: " + accepted_at)) << "TERMS.txt lacks the acceptance time\n" << terms;
    json lock = json::parse(read_text_file(manifest.parent_path() / "cxrcat.lock"));
    EXPECT_TRUE(contains(terms, "Catalog SHA-256 at acceptance: ")) << terms;
    EXPECT_TRUE(
        contains(terms, "Terms SHA-256: " + lock.at("datasets").at("sy-prov").at("terms_sha256").get<std::string>()))
        << terms;

    ASSERT_TRUE(fs::exists(dir / "SOURCE.json"));
    std::string source_text = read_text_file(dir / "SOURCE.json");
    json source = json::parse(source_text, nullptr, false);
    ASSERT_FALSE(source.is_discarded()) << source_text;
    EXPECT_EQ(source.at("cxrcat_version"), version());
    EXPECT_EQ(source.at("dataset").at("id"), "sy-prov");
    EXPECT_EQ(source.at("catalog_sha256"), lock.at("catalog_sha256"));
    const json& files = source.at("files");
    ASSERT_EQ(files.size(), 2U) << source.dump(2);
    EXPECT_EQ(files.at("a.bin").at("size").get<std::uint64_t>(), a_bytes.size());
    EXPECT_EQ(files.at("a.bin").at("digests").at("sha256"), sha256_hex(a_bytes));
    EXPECT_EQ(files.at("t/b.csv").at("size").get<std::uint64_t>(), b_bytes.size());
    EXPECT_EQ(files.at("t/b.csv").at("digests").at("sha256"), sha256_hex(b_bytes));
    EXPECT_FALSE(source.at("last_fetch").at("at").get<std::string>().empty());
    ASSERT_TRUE(source.at("sources").at(0).at("urls").is_array());
    EXPECT_EQ(source.at("sources").at(0).at("urls").size(), 2U);
    EXPECT_FALSE(contains(source_text, secret)) << "SOURCE.json leaks a URL token\n" << source_text;
    EXPECT_FALSE(contains(read_text_file(manifest.parent_path() / "cxrcat.lock"), secret));
    EXPECT_FALSE(contains(terms + cff, secret));
}

} // namespace
} // namespace cxrcat::test
