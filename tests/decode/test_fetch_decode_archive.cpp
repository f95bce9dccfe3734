// SPDX-License-Identifier: Apache-2.0
// `cxrcat fetch --decode` on archive members through the real binary: an archive laid out as the
// Montgomery zip (make_fixtures.py archive_fixtures: an intact PNG, a PNG cut inside IDAT, a
// Thumbs.db stand-in) installed with `fetch --from` (a manual source, no network). The cut member
// is refused (exit 5, named with its check) while the others are installed; listed as an erratum it
// is installed with the known-erratum note; without --decode everything is installed as before.
// `--decode --to s3://` is refused as a usage error (exit 2): a bucket install has no local copy.
#include "cli/cli_test.hpp"

#include <gmock/gmock.h>

#include <cstdlib>

namespace cxrcat::test {
namespace {

using ::testing::HasSubstr;

class FetchDecodeArchive : public CliTest {
  protected:
    void SetUp() override {
        const char* dir = std::getenv("CXRCAT_DECODE_FIXTURES"); // NOLINT(concurrency-mt-unsafe): read at start
        ASSERT_NE(dir, nullptr) << "CXRCAT_DECODE_FIXTURES is not set (the decode_fixtures CTest fixture)";
        m_archives = fs::path(dir) / "archives";
        ASSERT_TRUE(fs::exists(m_archives / "images.zip")) << "make_fixtures.py made no archives";
    }

    // A registration dataset whose manual source is the one archive, extracted; with the cut PNG
    // listed as an erratum (by its member path below the archive's top) when with_erratum.
    void write_catalog(const std::string& archive, bool with_erratum) {
        nlohmann::json dataset = {
            {"id", "t21z"},
            {"name", "Decode archive test dataset"},
            {"modality", "cxr"},
            {"category", "general"},
            {"license", {{"name", "CC-BY-4.0"}}},
            {"access",
             {{"class", "registration"}, {"terms", "Cite the test."}, {"terms_url", "https://example.org/terms"}}},
            {"sources",
             nlohmann::json::array({{{"provider", "manual"},
                                     {"url", "https://example.org/"},
                                     {"files", nlohmann::json::array({{{"path", archive}, {"extract", true}}})}}})}};
        if (with_erratum) {
            dataset["errata"] = nlohmann::json::array(
                {{{"path", "CXR_png/cut_in_idat.png"}, {"problem", "truncated"}, {"source", "make_fixtures.py"}}});
        }
        m_catalog = m_dir / "catalog-t21z.json";
        write_text_file(m_catalog, dataset.dump(2));
    }

    ProcessResult fetch(const std::vector<std::string>& extra) const {
        std::vector<std::string> args{"--catalog", m_catalog.string(), "fetch", "t21z", "--accept-terms",
                                      "--from",    m_archives.string()};
        args.insert(args.end(), extra.begin(), extra.end());
        return cxrcat(args);
    }

    [[nodiscard]] fs::path dataset() const { return m_dir / "cxrcat-home" / "datasets" / "t21z"; }

    [[nodiscard]] nlohmann::json archive_record(const std::string& archive) const {
        auto state = nlohmann::json::parse(read_text_file(dataset() / ".cxrcat" / "state.json"));
        return state.value("archives", nlohmann::json::object()).value(archive, nlohmann::json());
    }

    // fetch --decode of archive without errata: the cut member alone is refused, the archive is
    // kept and recorded with it; a rerun with it listed as an erratum installs it from the kept archive.
    void expect_cut_member_refused(const std::string& archive) {
        write_catalog(archive, false);
        auto refused = fetch({"--decode"});
        EXPECT_EQ(refused.exit_code, 5) << refused.describe();
        EXPECT_THAT(refused.err, HasSubstr("CXR_png/cut_in_idat.png: does not decode: png truncated: ")) << refused.err;
        EXPECT_THAT(refused.err, HasSubstr("a member of " + archive)) << refused.err;
        EXPECT_TRUE(fs::exists(dataset() / "CXR_png" / "good.png")) << "the intact member is installed";
        EXPECT_TRUE(fs::exists(dataset() / "CXR_png" / "Thumbs.db")) << "a non-image member is installed unchecked";
        EXPECT_FALSE(fs::exists(dataset() / "CXR_png" / "cut_in_idat.png")) << "the cut member is not installed";
        EXPECT_TRUE(fs::exists(dataset() / archive)) << "the verified archive is kept for a rerun";
        nlohmann::json record = archive_record(archive);
        EXPECT_EQ(record.value("refused", nlohmann::json::array()), nlohmann::json::array({"CXR_png/cut_in_idat.png"}))
            << record.dump();
        EXPECT_EQ(record.value("files", nlohmann::json::array()).size(), 2U) << record.dump();

        auto again = fetch({"--decode"});
        EXPECT_EQ(again.exit_code, 5) << "a rerun checks the refused member again: " << again.describe();

        write_catalog(archive, true);
        auto known = fetch({"--decode", "--format", "json"});
        EXPECT_EQ(known.exit_code, 0) << known.describe();
        EXPECT_THAT(known.out, HasSubstr("CXR_png/cut_in_idat.png: known erratum (truncated, make_fixtures.py): png "
                                         "truncated: "))
            << known.out;
        EXPECT_TRUE(fs::exists(dataset() / "CXR_png" / "cut_in_idat.png")) << "the listed erratum is installed";
        EXPECT_FALSE(fs::exists(dataset() / archive)) << "extracted completely, the archive goes as usual";
        EXPECT_FALSE(archive_record(archive).contains("refused")) << archive_record(archive).dump();
    }

    fs::path m_archives;
    fs::path m_catalog;
};

TEST_F(FetchDecodeArchive, ZipMemberThatDoesNotOpenIsNotInstalledTheOthersAre) {
    expect_cut_member_refused("images.zip");
}

TEST_F(FetchDecodeArchive, TarGzMemberThatDoesNotOpenIsNotInstalledTheOthersAre) {
    expect_cut_member_refused("images.tar.gz");
}

TEST_F(FetchDecodeArchive, ListedErratumMemberIsInstalledWithANote) {
    write_catalog("images.zip", true);
    auto fetched = fetch({"--decode"});
    EXPECT_EQ(fetched.exit_code, 0) << fetched.describe();
    EXPECT_THAT(fetched.out, HasSubstr("note: CXR_png/cut_in_idat.png: known erratum (truncated, make_fixtures.py): "
                                       "png truncated: "))
        << fetched.out;
    EXPECT_THAT(fetched.out, HasSubstr("decode: checked 2 image member(s) of images.zip: 1 open, 1 known errata, 0 "
                                       "refused; 1 non-image member(s) skipped"))
        << fetched.out;
    for (const char* name : {"good.png", "cut_in_idat.png", "Thumbs.db"}) {
        EXPECT_TRUE(fs::exists(dataset() / "CXR_png" / name)) << name;
    }
}

TEST_F(FetchDecodeArchive, WithoutDecodeEveryMemberIsInstalled) {
    write_catalog("images.zip", false);
    auto fetched = fetch({});
    EXPECT_EQ(fetched.exit_code, 0) << fetched.describe();
    EXPECT_THAT(fetched.out, ::testing::Not(HasSubstr("decode: checked"))) << fetched.out;
    for (const char* name : {"good.png", "cut_in_idat.png", "Thumbs.db"}) {
        EXPECT_TRUE(fs::exists(dataset() / "CXR_png" / name)) << name;
    }
    EXPECT_FALSE(archive_record("images.zip").contains("refused"));
}

// The bucket transfer streams each file from its source into the bucket with no local copy
// (src/lib/net/bucket_upload.hpp), so there is nothing to check before the upload.
TEST_F(FetchDecodeArchive, DecodeWithToIsAUsageError) {
    write_catalog("images.zip", false);
    auto refused = cxrcat(
        {"--catalog", m_catalog.string(), "fetch", "t21z", "--accept-terms", "--decode", "--to", "s3://bucket/prefix"});
    EXPECT_EQ(refused.exit_code, 2) << refused.describe();
    EXPECT_THAT(refused.err, HasSubstr("--decode cannot be used with --to")) << refused.err;
    EXPECT_THAT(refused.err, HasSubstr("cxrcat verify ID --decode")) << refused.err;
}

} // namespace
} // namespace cxrcat::test
