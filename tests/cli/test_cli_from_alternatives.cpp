// SPDX-License-Identifier: Apache-2.0
// `fetch chexpert --from DIR` with the built-in entry's two alternative manual sources (the AIMI
// portal's batches, or the legacy small zip): the first whose files DIR holds completely is
// adopted and named on stderr, `--source NAME` picks one, and with none complete each is listed.
#include "cli_test.hpp"

namespace cxrcat::test {
namespace {

const std::vector<std::string> k_aimi_files = {"CheXpert-v1.0 batch 1 (validate & csv).zip",
                                               "CheXpert-v1.0 batch 2 (train 1).zip",
                                               "CheXpert-v1.0 batch 3 (train 2).zip",
                                               "CheXpert-v1.0 batch 4 (train 3).zip",
                                               "train_cheXbert.csv",
                                               "train_visualCheXbert.csv"};
const std::string k_small_zip = "CheXpert-v1.0-small.zip";

class FromAlternatives : public CliTest {
  protected:
    // Bytes standing in for a download: a zip's local-header magic for .zip names (archives stay
    // packed under --no-extract), CSV text otherwise.
    static std::string downloaded(const std::string& name) {
        return name.ends_with(".zip") ? std::string("PK\x03\x04", 4) + "stand-in for " + name
                                      : "Path,No Finding\nstand-in for " + name + ",1\n";
    }

    // A directory holding the named downloads, the way a person left them.
    fs::path downloads(const std::string& directory, const std::vector<std::string>& names) const {
        fs::path dir = m_dir / directory;
        for (const auto& name : names) {
            write_text_file(dir / name, downloaded(name));
        }
        return dir;
    }

    ProcessResult fetch_from(const fs::path& dir, const std::vector<std::string>& extra = {},
                             const std::string& home = "cxrcat-home") const {
        std::vector<std::string> args{"fetch", "chexpert", "--accept-terms", "--no-extract", "--from", dir.string()};
        args.insert(args.end(), extra.begin(), extra.end());
        return cxrcat(args, {{"CXRCAT_HOME", (m_dir / home).string()}});
    }

    [[nodiscard]] fs::path installed(const std::string& name, const std::string& home = "cxrcat-home") const {
        return m_dir / home / "datasets" / "chexpert" / name;
    }
};

TEST_F(FromAlternatives, TheSmallZipAloneIsAdoptedAsTheLegacyAlternative) {
    fs::path dir = downloads("small", {k_small_zip});
    ProcessResult result = fetch_from(dir);
    ASSERT_EQ(result.exit_code, 0) << result.describe();
    EXPECT_TRUE(contains(result.err, "holds the files of source 2 'legacy-small'")) << result.describe();
    EXPECT_EQ(read_text_file(installed(k_small_zip)), downloaded(k_small_zip));
    EXPECT_EQ(read_text_file(dir / k_small_zip), downloaded(k_small_zip)); // the person's copy is untouched
    for (const auto& name : k_aimi_files) {
        EXPECT_FALSE(fs::exists(installed(name))) << name;
    }
}

TEST_F(FromAlternatives, TheFirstCompleteAlternativeWinsAndSourceNamePicksAnother) {
    std::vector<std::string> everything = k_aimi_files;
    everything.push_back(k_small_zip);
    fs::path dir = downloads("both", everything);

    ProcessResult first = fetch_from(dir);
    ASSERT_EQ(first.exit_code, 0) << first.describe();
    EXPECT_TRUE(contains(first.err, "holds the files of source 1 'aimi'")) << first.describe();
    for (const auto& name : k_aimi_files) {
        EXPECT_EQ(read_text_file(installed(name)), downloaded(name)) << name;
    }
    EXPECT_FALSE(fs::exists(installed(k_small_zip)));

    ProcessResult picked = fetch_from(dir, {"--source", "legacy-small"}, "other-home");
    ASSERT_EQ(picked.exit_code, 0) << picked.describe();
    EXPECT_FALSE(contains(picked.err, "'aimi'")) << picked.describe();
    EXPECT_TRUE(contains(picked.err, "holds the files of source 2 'legacy-small'")) << picked.describe();
    EXPECT_EQ(read_text_file(installed(k_small_zip, "other-home")), downloaded(k_small_zip));
    for (const auto& name : k_aimi_files) {
        EXPECT_FALSE(fs::exists(installed(name, "other-home"))) << name;
    }
}

TEST_F(FromAlternatives, WithNoAlternativeCompleteEachOneIsListedWithWhatIsMissing) {
    fs::path dir = downloads("partial", {k_aimi_files[0], "train_cheXbert.csv"});
    ProcessResult result = fetch_from(dir);
    EXPECT_EQ(result.exit_code, 7) << result.describe();
    EXPECT_TRUE(contains(result.err, "--from holds the files of no alternative completely")) << result.describe();
    EXPECT_TRUE(contains(result.err, "source 1 'aimi' (Stanford AIMI portal"));
    EXPECT_TRUE(contains(result.err, "; not under --from: CheXpert-v1.0 batch 2 (train 1).zip, CheXpert-v1.0 batch 3 "
                                     "(train 2).zip, CheXpert-v1.0 batch 4 (train 3).zip, train_visualCheXbert.csv"));
    EXPECT_TRUE(contains(result.err, "source 2 'legacy-small' (CheXpert-v1.0-small (legacy direct link)) expects: "
                                     "CheXpert-v1.0-small.zip; not under --from: CheXpert-v1.0-small.zip"));
    // What the person already has is kept: the alternative with the most files present is used.
    EXPECT_TRUE(contains(result.err, "holds some of the files of source 1 'aimi'"));
    EXPECT_EQ(read_text_file(installed(k_aimi_files[0])), downloaded(k_aimi_files[0]));
    EXPECT_EQ(read_text_file(installed("train_cheXbert.csv")), downloaded("train_cheXbert.csv"));

    // --include narrows what each alternative expects: batch 1 alone is then complete.
    ProcessResult narrowed = fetch_from(dir, {"--include", "CheXpert-v1.0 batch 1*"}, "narrow-home");
    EXPECT_EQ(narrowed.exit_code, 0) << narrowed.describe();
    EXPECT_TRUE(contains(narrowed.err, "holds the files of source 1 'aimi'")) << narrowed.describe();
}

TEST_F(FromAlternatives, WithoutFromTheStepsListEveryAlternative) {
    ProcessResult result = cxrcat({"fetch", "chexpert", "--accept-terms"});
    EXPECT_EQ(result.exit_code, 7) << result.describe();
    EXPECT_TRUE(contains(result.err, "any one of these alternatives will do (--source NAME picks one)"));
    EXPECT_TRUE(contains(result.err, "source 2 'legacy-small' (CheXpert-v1.0-small (legacy direct link)) expects: "
                                     "CheXpert-v1.0-small.zip"))
        << result.describe();
    EXPECT_FALSE(contains(result.err, "not under --from"));
}

TEST_F(FromAlternatives, AnUnknownSourceNameIsAUsageErrorListingTheNames) {
    fs::path dir = downloads("small", {k_small_zip});
    ProcessResult result = fetch_from(dir, {"--source", "kaggle-mirror"});
    EXPECT_EQ(result.exit_code, 2) << result.describe();
    EXPECT_TRUE(contains(result.err, "no source of this dataset is 'kaggle-mirror'")) << result.describe();
    EXPECT_TRUE(contains(result.err, "its sources: manual, aimi, legacy-small")) << result.describe();
    EXPECT_FALSE(fs::exists(installed(k_small_zip)));
}

} // namespace
} // namespace cxrcat::test
