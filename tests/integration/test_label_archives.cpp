// SPDX-License-Identifier: Apache-2.0
// fetch --where on the labels of a dataset shipped in archives (issue 20 §2, labels-facts.md §2
// "Selection before download": NIH is archive-granular). The catalog entry is NIH's own label table
// over the label fixture (its real 11-column header, tests/fixtures/labels/README.md) and two real
// tar.gz archives laid out as NIH's Box tarballs unpack (`images/<Image Index>`, labels-facts.md §1.1
// "Layout"). Every archive is fetched, only the selected members are installed, and a re-run asks
// the server nothing.
#include "archive_builder.hpp"
#include "cxrcat/base/digest.hpp"
#include "integration_test.hpp"

#include <gmock/gmock.h>

namespace cxrcat::test {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

const fs::path k_labels = fs::path(CXRCAT_FIXTURES_DIR) / "labels" / "nih-cxr14";

class LabelArchives : public IntegrationTest {
  protected:
    // The catalog: the label files and two archives over http, NIH's label table (reader, files, map).
    void write_nih_like_catalog() {
        nlohmann::json files = nlohmann::json::array();
        for (const char* name : {"Data_Entry_2017_v2020.csv", "train_val_list.txt", "test_list.txt"}) {
            std::string text = read_text_file(k_labels / name);
            serve(name, text);
            files.push_back({{"path", name}, {"url", nginx_url("files", name)}, {"sha256", sha256_hex(text)}});
        }
        add_archive(files, "images_001.tar.gz", {"00000001_000.png", "00000001_001.png", "00000002_000.png"});
        add_archive(files, "images_002.tar.gz", {"00000003_001.png", "00000013_005.png"});
        nlohmann::json nih = nlohmann::json::parse(
            read_text_file(fs::path(CXRCAT_SOURCE_DIR) / "catalog" / "datasets" / "nih-cxr14.json"));
        write_catalog({});
        nlohmann::json entry = nlohmann::json::parse(read_text_file(m_catalog));
        entry["sources"] = nlohmann::json::array({{{"provider", "http"}, {"files", files}}});
        entry["label_table"] = nih.at("label_table");
        entry["labels"] = nih.at("labels");
        write_text_file(m_catalog, entry.dump(2));
    }

    // A real tar.gz whose members are images/<name>, each holding "png:<name>".
    void add_archive(nlohmann::json& files, const std::string& name, const std::vector<std::string>& images) {
        std::vector<ArchiveEntry> entries{{"images", EntryKind::directory, {}, {}, 0}};
        for (const auto& image : images) {
            entries.push_back(entry_file("images/" + image, "png:" + image));
        }
        fs::path built = m_dir / "build" / name;
        fs::create_directories(built.parent_path());
        build_archive(built, ArchiveFormat::tar_gz, entries);
        std::string bytes = read_text_file(built);
        serve(name, bytes);
        m_archive_bytes += bytes.size();
        files.push_back({{"path", name},
                         {"url", nginx_url("files", name)},
                         {"size", bytes.size()},
                         {"sha256", sha256_hex(bytes)},
                         {"extract", true}});
    }

    // Requests nginx logged for the catalog's files.
    [[nodiscard]] std::size_t requests() const {
        std::size_t count = 0;
        for (const char* name : {"Data_Entry_2017_v2020.csv", "train_val_list.txt", "test_list.txt",
                                 "images_001.tar.gz", "images_002.tar.gz"}) {
            count += access_log("/files/" + served_path(name)).size();
        }
        return count;
    }

    std::uint64_t m_archive_bytes = 0;
};

// The fixture's train rows without Cardiomegaly: 00000002_000 (No Finding) in the first archive and
// 00000003_001 (Hernia) in the second; 00000013_005 is in the test split.
const std::vector<std::string> k_where{"--where", "split=train", "--where", "finding.Cardiomegaly=0"};

std::vector<std::string> with(std::vector<std::string> args, const std::vector<std::string>& more) {
    args.insert(args.end(), more.begin(), more.end());
    return args;
}

TEST_F(LabelArchives, FetchWhereInstallsOnlyTheSelectedMembersAndARerunAsksNothing) {
    write_nih_like_catalog();
    ASSERT_EQ(cxrcat({"accept", "t1"}).exit_code, 0);

    auto dry = cxrcat(with({"fetch", "t1", "--dry-run", "--format", "json"}, k_where));
    ASSERT_EQ(dry.exit_code, 0) << dry.describe();
    EXPECT_THAT(dry.err, HasSubstr("the labels select 2 image(s); they come inside 2 archive(s)")) << dry.err;
    nlohmann::json plan = stdout_json(dry)["plans"][0];
    std::vector<std::string> planned;
    for (const auto& file : plan["files"]) {
        planned.push_back(file["path"]);
    }
    // The archives, never a per-image URL; their bytes are the download.
    EXPECT_EQ(planned, (std::vector<std::string>{"images_001.tar.gz", "images_002.tar.gz"})) << plan.dump(1);
    EXPECT_EQ(plan["bytes_to_download"], m_archive_bytes) << plan.dump(1);

    auto fetched = cxrcat(with({"fetch", "t1"}, k_where));
    ASSERT_EQ(fetched.exit_code, 0) << fetched.describe();
    EXPECT_THAT(fetched.err, HasSubstr("t1: installed 2 member(s) of 2 archive(s), skipped 3 as not selected"))
        << fetched.err;
    EXPECT_EQ(read_text_file(installed("images/00000002_000.png")), "png:00000002_000.png");
    EXPECT_EQ(read_text_file(installed("images/00000003_001.png")), "png:00000003_001.png");
    for (const char* left_out : {"00000001_000.png", "00000001_001.png", "00000013_005.png"}) {
        EXPECT_FALSE(fs::exists(installed(std::string("images/") + left_out))) << left_out;
    }
    EXPECT_TRUE(fs::exists(installed("Data_Entry_2017_v2020.csv")));
    EXPECT_FALSE(fs::exists(installed("images_001.tar.gz"))) << "the archive is removed once extracted";
    nlohmann::json state = state_json();
    EXPECT_EQ(state["archives"]["images_001.tar.gz"]["files"], nlohmann::json::array({"images/00000002_000.png"}))
        << state.dump(1);
    EXPECT_EQ(state["archives"]["images_001.tar.gz"]["not_selected"],
              nlohmann::json::array({"images/00000001_000.png", "images/00000001_001.png"}))
        << state.dump(1);
    EXPECT_EQ(state["files"]["images/00000003_001.png"]["from_archive"], "images_002.tar.gz") << state.dump(1);

    // The same selection again: the label files and both archives are done, nothing is requested.
    std::size_t before = requests();
    EXPECT_GE(before, 5U) << "the label files and both archives were requested";
    auto again = cxrcat(with({"fetch", "t1"}, k_where));
    ASSERT_EQ(again.exit_code, 0) << again.describe();
    EXPECT_EQ(requests(), before) << again.describe();
    EXPECT_THAT(again.err, Not(HasSubstr("installed"))) << again.err;

    // Without a selection the archives left members out: both are fetched again and extracted whole.
    auto whole = cxrcat({"fetch", "t1"});
    ASSERT_EQ(whole.exit_code, 0) << whole.describe();
    EXPECT_GT(requests(), before);
    EXPECT_EQ(read_text_file(installed("images/00000013_005.png")), "png:00000013_005.png");
    EXPECT_FALSE(state_json()["archives"]["images_001.tar.gz"].contains("not_selected")) << state_json().dump(1);
}

TEST_F(LabelArchives, ANewSelectionKeepsWhatAnEarlierOneInstalled) {
    write_nih_like_catalog();
    ASSERT_EQ(cxrcat({"accept", "t1"}).exit_code, 0);
    ASSERT_EQ(cxrcat(with({"fetch", "t1"}, k_where)).exit_code, 0);
    // 00000001_001.png is the fixture's only Emphysema: its archive was extracted without it.
    auto more = cxrcat({"fetch", "t1", "--where", "finding.Emphysema=1"});
    ASSERT_EQ(more.exit_code, 0) << more.describe();
    EXPECT_THAT(more.err, HasSubstr("t1: installed 2 member(s) of 1 archive(s), skipped 1 as not selected"))
        << more.err;
    EXPECT_TRUE(fs::exists(installed("images/00000001_001.png")));
    EXPECT_TRUE(fs::exists(installed("images/00000002_000.png")));
    EXPECT_FALSE(fs::exists(installed("images/00000001_000.png")));
}

} // namespace
} // namespace cxrcat::test
