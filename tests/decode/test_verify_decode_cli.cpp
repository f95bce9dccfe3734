// SPDX-License-Identifier: Apache-2.0
// `cxrcat verify ID --decode` through the real binary: the fixtures installed with `fetch --from`
// (a manual source, no network), each broken image reported with its check, exit 5; listed as errata
// in the catalog they are reported as known and the run exits 0; --emit-errata turns the findings
// into catalog entries; show prints the errata count by source.
#include "cli/cli_test.hpp"

#include <gmock/gmock.h>

#include <cstdlib>

namespace cxrcat::test {
namespace {

using ::testing::HasSubstr;

class VerifyDecode : public CliTest {
  protected:
    void SetUp() override {
        const char* dir = std::getenv("CXRCAT_DECODE_FIXTURES"); // NOLINT(concurrency-mt-unsafe): read at start
        ASSERT_NE(dir, nullptr) << "CXRCAT_DECODE_FIXTURES is not set (the decode_fixtures CTest fixture)";
        m_fixtures = dir;
        m_expected = nlohmann::json::parse(read_text_file(m_fixtures / "expected.json"));
    }

    // A registration dataset whose manual source lists every fixture (plus two non-images), with
    // errata for the broken ones when with_errata.
    void write_catalog(bool with_errata, const nlohmann::json& pixels = nullptr) {
        nlohmann::json files =
            nlohmann::json::array({{{"path", "labels.csv"}}, {{"path", "Thumbs.db"}}, {{"path", "good.raw"}}});
        nlohmann::json errata = nlohmann::json::array();
        for (const auto& [name, want] : m_expected.items()) {
            files.push_back({{"path", name}});
            if (!want["check"].get<std::string>().empty()) {
                errata.push_back({{"path", name}, {"problem", "corrupt"}, {"source", "make_fixtures.py"}});
            }
        }
        nlohmann::json dataset = {
            {"id", "t21"},
            {"name", "Decode test dataset"},
            {"modality", "cxr"},
            {"category", "general"},
            {"license", {{"name", "CC-BY-4.0"}}},
            {"access",
             {{"class", "registration"}, {"terms", "Cite the test."}, {"terms_url", "https://example.org/terms"}}},
            {"sources",
             nlohmann::json::array({{{"provider", "manual"}, {"url", "https://example.org/"}, {"files", files}}})}};
        if (with_errata) {
            dataset["errata"] = errata;
        }
        if (!pixels.is_null()) {
            dataset["pixels"] = pixels;
        }
        m_catalog = m_dir / "catalog-t21.json";
        write_text_file(m_catalog, dataset.dump(2));
    }

    ProcessResult run(std::vector<std::string> args) const {
        args.insert(args.begin(), {"--catalog", m_catalog.string()});
        return cxrcat(args);
    }

    void install() {
        auto fetched = run({"fetch", "t21", "--accept-terms", "--from", m_fixtures.string()});
        ASSERT_EQ(fetched.exit_code, 0) << fetched.describe();
    }

    [[nodiscard]] std::size_t broken_count() const {
        std::size_t count = 0;
        for (const auto& [name, want] : m_expected.items()) {
            count += want["check"].get<std::string>().empty() ? 0U : 1U;
        }
        return count;
    }

    fs::path m_fixtures;
    fs::path m_catalog;
    nlohmann::json m_expected;
};

TEST_F(VerifyDecode, BrokenImagesFailWithTheirCheckAndExit5) {
    write_catalog(false);
    install();
    auto result = run({"verify", "t21", "--decode", "-j", "2"});
    EXPECT_EQ(result.exit_code, 5) << result.describe();
    EXPECT_THAT(result.out, HasSubstr("failed  t21/crc_flipped.png  png  chunk-crc: ")) << result.out;
    EXPECT_THAT(result.out, HasSubstr("failed  t21/no_transfer_syntax.dcm  dicom  transfer-syntax: ")) << result.out;
    EXPECT_THAT(result.out, HasSubstr("warning  t21/constant.png  png  constant: every sample is 0")) << result.out;
    EXPECT_THAT(result.out, HasSubstr("0 known errata, " + std::to_string(broken_count()) +
                                      " new failures; 3 "
                                      "non-image files skipped"))
        << result.out;
    EXPECT_THAT(result.err, HasSubstr("do not decode and the catalog lists no erratum")) << result.err;

    auto json = run({"verify", "t21", "--decode", "--format", "json"});
    EXPECT_EQ(json.exit_code, 5) << json.describe();
    auto document = nlohmann::json::parse(json.out);
    EXPECT_EQ(document["images"].size(), m_expected.size());
    for (const auto& row : document["images"]) {
        std::string name = row["path"];
        EXPECT_EQ(row["check"], m_expected[name]["check"]) << row.dump();
    }
    EXPECT_EQ(document["decode"][0]["failed"], broken_count());
}

TEST_F(VerifyDecode, ListedErrataAreKnownAndExit0) {
    write_catalog(true);
    install();
    auto result = run({"verify", "t21", "--decode"});
    EXPECT_EQ(result.exit_code, 0) << result.describe();
    EXPECT_THAT(result.out, HasSubstr("known  t21/cut_in_idat.png  png  truncated: ")) << result.out;
    EXPECT_THAT(result.out, HasSubstr("(known erratum: corrupt, make_fixtures.py)")) << result.out;
    EXPECT_THAT(result.out, HasSubstr(std::to_string(broken_count()) + " known errata, 0 new failures")) << result.out;

    auto strict = run({"verify", "t21", "--decode", "--strict"});
    EXPECT_EQ(strict.exit_code, 5) << "the constant image fails under --strict: " << strict.describe();

    auto shown = run({"show", "t21"});
    EXPECT_THAT(shown.out, HasSubstr("errata: " + std::to_string(broken_count()) + " known problems")) << shown.out;
    EXPECT_THAT(shown.out, HasSubstr(std::to_string(broken_count()) + " from make_fixtures.py")) << shown.out;
}

// A declared 8-bit grey dataset: the RGBA PNG (NIH's 519) and the 16-bit PNG are warnings that name
// the declaration, the 8-bit grey images are not; --strict fails them.
TEST_F(VerifyDecode, ImagesThatDifferFromTheDeclaredPixelsAreWarnings) {
    write_catalog(true, {{"bit_depth", 8}, {"colour", "grey"}, {"source", "test declaration"}});
    install();
    auto result = run({"verify", "t21", "--decode"});
    EXPECT_EQ(result.exit_code, 0) << result.describe();
    const std::string declared = "declared: the catalog declares 8-bit grey images (test declaration); this one is ";
    EXPECT_THAT(result.out, HasSubstr("warning  t21/rgba.png  png  " + declared + "8-bit RGBA")) << result.out;
    EXPECT_THAT(result.out, HasSubstr("warning  t21/good16.png  png  " + declared + "16-bit grey")) << result.out;
    EXPECT_THAT(result.out, ::testing::Not(HasSubstr("t21/good.png "))) << result.out;
    EXPECT_THAT(result.out, ::testing::Not(HasSubstr("t21/good.jpg "))) << result.out;

    auto strict = run({"verify", "t21", "--decode", "--strict", "--format", "json"});
    EXPECT_EQ(strict.exit_code, 5) << strict.describe();
    EXPECT_THAT(strict.out, HasSubstr("this one is 8-bit RGBA")) << strict.out;

    auto shown = run({"show", "t21"});
    EXPECT_THAT(shown.out, HasSubstr("pixels: 8-bit grey (test declaration;")) << shown.out;
}

TEST_F(VerifyDecode, EmitErrataPrintsCatalogEntriesForNewFailures) {
    write_catalog(false);
    install();
    auto result = run({"verify", "t21", "--decode", "--emit-errata"});
    EXPECT_EQ(result.exit_code, 5) << result.describe();
    auto errata = nlohmann::json::parse(result.out)["errata"];
    ASSERT_EQ(errata.size(), broken_count()) << result.out;
    for (const auto& entry : errata) {
        EXPECT_TRUE(entry.contains("source") && entry.contains("note")) << entry.dump();
        if (entry["path"] == "no_eoi.jpg") {
            EXPECT_EQ(entry["problem"], "truncated");
            EXPECT_THAT(entry["note"].get<std::string>(), HasSubstr("jpeg eoi: "));
        }
    }
}

TEST_F(VerifyDecode, FetchDecodeInstallsOnlyImagesThatOpenOrAreKnownErrata) {
    write_catalog(false);
    auto fetched = run({"fetch", "t21", "--accept-terms", "--decode", "--from", m_fixtures.string()});
    EXPECT_EQ(fetched.exit_code, 5) << fetched.describe();
    EXPECT_THAT(fetched.err, HasSubstr("crc_flipped.png: does not decode: png chunk-crc: ")) << fetched.err;
    fs::path dataset = m_dir / "cxrcat-home" / "datasets" / "t21";
    for (const auto& [name, want] : m_expected.items()) {
        EXPECT_EQ(fs::exists(dataset / name), want["check"].get<std::string>().empty()) << name;
    }
    EXPECT_TRUE(fs::exists(dataset / "labels.csv")) << "a non-image is installed unchecked";

    write_catalog(true);
    auto known = run({"fetch", "t21", "--accept-terms", "--decode", "--from", m_fixtures.string()});
    EXPECT_EQ(known.exit_code, 0) << known.describe();
    EXPECT_TRUE(fs::exists(dataset / "crc_flipped.png")) << "a listed erratum is installed";
}

} // namespace
} // namespace cxrcat::test
