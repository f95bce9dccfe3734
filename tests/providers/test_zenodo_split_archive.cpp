// SPDX-License-Identifier: Apache-2.0
// A split archive on the Zenodo stub, shaped like LUNA25's nodule blocks: one zip cut by bytes into
// luna25_nodule_blocks.zip.001, .002, .003 (7-Zip volume naming, provider-facts.md section 6), each
// part a file of the record with its own md5 in the record API, declared in the catalog entry's
// split_archives. The parts are verified one by one and extracted as one archive.
#include "cxrcat/base/digest.hpp"
#include "stub_route_test.hpp"

namespace cxrcat::test {
namespace {

namespace fs = std::filesystem;

constexpr const char* k_archive = "luna25_nodule_blocks.zip";

class ZenodoSplitArchive : public StubRouteTest {
  protected:
    void SetUp() override {
        StubRouteTest::SetUp();
        m_members = {{"luna25_nodule_blocks/image/1.2.840.1-1.npy", random_bytes(120'000)},
                     {"luna25_nodule_blocks/metadata/1.2.840.1-1.npy", random_bytes(900)},
                     {"luna25_nodule_blocks/image/1.2.840.2-1.npy", random_bytes(150'000)}};
    }

    // The members zipped (deflate) by Python's zipfile, as the LUNA25 producers' tools write zips.
    std::string zipped_members() {
        fs::path input = m_dir / "members";
        for (const auto& [name, data] : m_members) {
            write_text_file(input / name, data);
        }
        fs::path zip = m_dir / "whole.zip";
        auto made =
            run_process({"/usr/bin/python3", "-c",
                         "import os, sys, zipfile\n"
                         "root, out = sys.argv[1], sys.argv[2]\n"
                         "with zipfile.ZipFile(out, 'w', zipfile.ZIP_DEFLATED) as z:\n"
                         "    for name in sys.argv[3:]:\n"
                         "        z.write(os.path.join(root, name), name)\n",
                         input.string(), zip.string(), m_members[0].first, m_members[1].first, m_members[2].first},
                        {});
        EXPECT_EQ(made.exit_code, 0) << made.describe();
        return read_text_file(zip);
    }

    // Publishes record `m_record` holding the zip cut into three parts plus an annotation CSV, and
    // a dataset whose catalog entry declares the parts as one split archive.
    void publish(const std::string& zip) {
        m_record = unique_digits();
        fs::path staging = world("zenodo") / ("_staging-" + m_record);
        std::size_t piece = zip.size() / 3 + 1;
        for (std::size_t i = 0; i < 3; ++i) {
            std::string part = part_name(i);
            m_parts[part] = zip.substr(i * piece, piece);
            write_text_file(staging / part, m_parts[part]);
        }
        write_text_file(staging / "annotations.csv", m_csv);
        fs::rename(staging, world("zenodo") / m_record);

        m_id = unique("luna25-like");
        nlohmann::json files = nlohmann::json::array({{{"path", "annotations.csv"}}});
        nlohmann::json parts = nlohmann::json::array();
        for (std::size_t i = 0; i < 3; ++i) {
            files.push_back({{"path", part_name(i)}});
            parts.push_back(part_name(i));
        }
        nlohmann::json source = {{"provider", "zenodo"},
                                 {"record", m_record},
                                 {"files", files},
                                 {"split_archives", {{{"archive", k_archive}, {"parts", parts}}}}};
        add_dataset(dataset_entry(m_id, "open", source));
        ASSERT_EQ(cxrcat({"accept", m_id}).exit_code, 0);
    }

    static std::string part_name(std::size_t index) {
        return std::string(k_archive) + ".00" + std::to_string(index + 1);
    }

    [[nodiscard]] std::string content_path(const std::string& key) const {
        return "/api/records/" + m_record + "/files/" + key + "/content";
    }

    void expect_nothing_extracted() const {
        for (const auto& [name, data] : m_members) {
            EXPECT_FALSE(fs::exists(dataset_dir(m_id) / name)) << name;
        }
    }

    std::vector<std::pair<std::string, std::string>> m_members;
    std::map<std::string, std::string> m_parts;
    std::string m_csv = "SeriesInstanceUID,AnnotationID,label\n1.2.840.1,1.2.840.1-1,1\n";
    std::string m_record;
    std::string m_id;
};

TEST_F(ZenodoSplitArchive, EachPartIsVerifiedAndTheWholeIsExtractedOnce) {
    ASSERT_NO_FATAL_FAILURE(publish(zipped_members()));

    auto plan = cxrcat({"fetch", m_id, "--dry-run", "--format", "json"});
    ASSERT_EQ(plan.exit_code, 0) << plan.describe();
    std::size_t parts_planned = 0;
    nlohmann::json planned = nlohmann::json::parse(plan.out);
    for (const auto& file : planned["plans"][0]["files"]) {
        if (file["path"].get<std::string>().rfind(k_archive, 0) == 0) {
            ++parts_planned;
            EXPECT_EQ(file["part_of"], k_archive) << file;
            EXPECT_EQ(file["digests"]["md5"].get<std::string>().size(), 32U) << file; // each part has its own md5
        }
    }
    EXPECT_EQ(parts_planned, 3U) << plan.out;

    auto fetch = cxrcat({"fetch", m_id});
    ASSERT_EQ(fetch.exit_code, 0) << fetch.describe();
    fs::path dir = dataset_dir(m_id);
    for (const auto& [name, data] : m_members) {
        EXPECT_EQ(read_text_file(dir / name), data) << name;
    }
    EXPECT_EQ(read_text_file(dir / "annotations.csv"), m_csv);
    EXPECT_TRUE(has_text(fetch.out, "(extracted 3 files)"));
    EXPECT_TRUE(has_text(fetch.out, "note: extracted luna25_nodule_blocks.zip from its 3 parts"));
    for (const auto& [part, bytes] : m_parts) {
        EXPECT_FALSE(fs::exists(dir / part)) << part << " is removed once extracted (no --keep-archives)";
        EXPECT_EQ(stats("zenodo", content_path(part)).value("requests", 0), 1) << part;
    }
    EXPECT_FALSE(fs::exists(dir / k_archive)) << "no joined copy is written";

    // Extracted and intact: a rerun downloads nothing, and verify accepts the members.
    auto again = cxrcat({"fetch", m_id});
    EXPECT_EQ(again.exit_code, 0) << again.describe();
    EXPECT_TRUE(has_text(again.out, "skipped  " + m_id + "/" + part_name(2)));
    for (const auto& [part, bytes] : m_parts) {
        EXPECT_EQ(stats("zenodo", content_path(part)).value("requests", 0), 1) << part;
    }
    auto verified = cxrcat({"verify", m_id});
    EXPECT_EQ(verified.exit_code, 0) << verified.describe();
}

TEST_F(ZenodoSplitArchive, ACorruptPartIsNamedTheOthersAreKeptAndNothingIsExtracted) {
    ASSERT_NO_FATAL_FAILURE(publish(zipped_members()));
    // The record API publishes the md5 of the original bytes; then the second part's bytes change.
    ASSERT_EQ(cxrcat({"fetch", m_id, "--dry-run"}).exit_code, 0);
    fs::path served = world("zenodo") / m_record / part_name(1);
    corrupt_keeping_metadata(served);

    auto fetch = cxrcat({"fetch", m_id, "--retries", "0"});
    EXPECT_EQ(fetch.exit_code, 5) << fetch.describe();
    EXPECT_TRUE(has_text(fetch.err, part_name(1) + ": md5 mismatch"));
    EXPECT_TRUE(has_text(fetch.err, "this is a part of the split archive luna25_nodule_blocks.zip; the verified "
                                    "parts are kept"));
    fs::path dir = dataset_dir(m_id);
    EXPECT_EQ(read_text_file(dir / part_name(0)), m_parts[part_name(0)]);
    EXPECT_EQ(read_text_file(dir / part_name(2)), m_parts[part_name(2)]);
    EXPECT_FALSE(fs::exists(dir / part_name(1)));
    expect_nothing_extracted();

    // The part is fixed upstream: the rerun fetches only that part, then extracts the whole.
    write_text_file(served, m_parts[part_name(1)]);
    auto fixed = cxrcat({"fetch", m_id});
    ASSERT_EQ(fixed.exit_code, 0) << fixed.describe();
    EXPECT_EQ(stats("zenodo", content_path(part_name(0))).value("requests", 0), 1);
    EXPECT_EQ(stats("zenodo", content_path(part_name(2))).value("requests", 0), 1);
    for (const auto& [name, data] : m_members) {
        EXPECT_EQ(read_text_file(dir / name), data) << name;
    }
}

TEST_F(ZenodoSplitArchive, AnUnsupportedCompressionMethodIsNamedAndThePartsAreKept) {
    std::string zip = zipped_members();
    // Method 9 (Deflate64) in every local and central header, as 7-Zip's -mm=Deflate64 writes it:
    // libarchive has no decoder for it (libarchive#2867, provider-facts.md section 6).
    for (std::size_t at = zip.find("PK\x03\x04"); at != std::string::npos; at = zip.find("PK\x03\x04", at + 4)) {
        zip[at + 8] = 9;
    }
    for (std::size_t at = zip.find("PK\x01\x02"); at != std::string::npos; at = zip.find("PK\x01\x02", at + 4)) {
        zip[at + 10] = 9;
    }
    ASSERT_NO_FATAL_FAILURE(publish(zip));

    auto fetch = cxrcat({"fetch", m_id});
    EXPECT_EQ(fetch.exit_code, 5) << fetch.describe();
    EXPECT_TRUE(has_text(fetch.err, "cannot extract luna25_nodule_blocks.zip.001..003"));
    EXPECT_TRUE(has_text(fetch.err, "unsupported ZIP compression method (9: deflation-64-bit) (Deflate64)"));
    EXPECT_TRUE(has_text(fetch.err, "the archive is not known to be damaged"));
    EXPECT_TRUE(has_text(fetch.err, "the 3 verified parts of luna25_nodule_blocks.zip are kept"));
    fs::path dir = dataset_dir(m_id);
    for (const auto& [part, bytes] : m_parts) {
        EXPECT_EQ(read_text_file(dir / part), bytes) << part;
    }
    expect_nothing_extracted();
    EXPECT_EQ(read_text_file(dir / "annotations.csv"), m_csv); // the rest of the dataset is installed
}

} // namespace
} // namespace cxrcat::test
