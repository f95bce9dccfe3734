// SPDX-License-Identifier: Apache-2.0
// The pure parsers behind the Zenodo, PhysioNet and IDC clients.
#include "providers/parsers.hpp"
#include "providers/provider_common.hpp"
#include "providers/s5cmd_manifest.hpp"
#include "providers/sha256sums.hpp"

#include <gtest/gtest.h>

#include <cctype>

namespace cxrcat::providers {
namespace {

const std::string k_hex_a(64, 'a');
const std::string k_hex_b = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

// --- Zenodo record ---------------------------------------------------------------------------------------

TEST(ZenodoRecordParser, ReadsTheCurrentShape) {
    auto record = parse_zenodo_record(R"({"id": 3723295, "metadata": {"access_right": "open"},
        "files": [{"id": "6f1c", "key": "subset0.zip", "size": 6811924508,
                   "checksum": "md5:0123456789ABCDEF0123456789abcdef",
                   "links": {"self": "https://zenodo.org/api/records/3723295/files/subset0.zip/content"}},
                  {"key": "dir/notes file.txt", "size": 12, "checksum": "md5:00000000000000000000000000000001"}]})");
    ASSERT_TRUE(record) << record.error().message();
    EXPECT_EQ(record->access_right, "open");
    ASSERT_EQ(record->files.size(), 2U);
    EXPECT_EQ(record->files[0].key, "subset0.zip");
    EXPECT_EQ(record->files[0].size, 6811924508ULL);
    EXPECT_EQ(record->files[0].md5, "0123456789abcdef0123456789abcdef");
    EXPECT_EQ(record->files[1].key, "dir/notes file.txt");
}

TEST(ZenodoRecordParser, ReadsThePostMigrationShape) {
    auto record = parse_zenodo_record(R"({"files": [{"id": "x", "filename": "candidates.csv", "filesize": 345,
        "checksum": "0123456789abcdef0123456789abcdef", "links": {}}]})");
    ASSERT_TRUE(record) << record.error().message();
    ASSERT_EQ(record->files.size(), 1U);
    EXPECT_EQ(record->files[0].key, "candidates.csv");
    EXPECT_EQ(record->files[0].size, 345U);
    EXPECT_EQ(record->files[0].md5, "0123456789abcdef0123456789abcdef");
}

// The download link of each of the three shapes (api-drift-2026.md §4.1).
TEST(ZenodoRecordParser, PicksTheDownloadLinkOfEachShape) {
    auto record = parse_zenodo_record(R"({"id": 7, "files": [
        {"key": "now.bin", "links": {"self": "https://zenodo.org/api/records/7/files/now.bin/content"}},
        {"filename": "compat.bin", "links": {"self": "https://zenodo.org/api/files/x/compat.bin",
                                             "download": "https://zenodo.org/records/7/files/compat.bin"}},
        {"key": "old.bin", "bucket": "b-1", "links": {"self": "https://zenodo.org/api/files/b-1/old.bin"}},
        {"key": "none.bin", "links": {"self": "https://zenodo.org/api/records/7/files/none.bin"}}]})");
    ASSERT_TRUE(record) << record.error().message();
    EXPECT_EQ(record->id, "7");
    EXPECT_TRUE(record->files_listed);
    ASSERT_EQ(record->files.size(), 4U);
    EXPECT_EQ(record->files[0].link, "https://zenodo.org/api/records/7/files/now.bin/content");
    EXPECT_EQ(record->files[1].link, "https://zenodo.org/records/7/files/compat.bin"); // its self answered 404
    EXPECT_EQ(record->files[2].link, "https://zenodo.org/api/files/b-1/old.bin");
    EXPECT_EQ(record->files[3].link, ""); // a metadata link: the client builds the /content URL
}

TEST(ZenodoRecordParser, TellsAnEmptyFileListFromNone) {
    auto hidden = parse_zenodo_record(R"({"recid": "12", "files": []})");
    ASSERT_TRUE(hidden);
    EXPECT_TRUE(hidden->files_listed); // a restricted record
    EXPECT_EQ(hidden->id, "12");
    auto metadata_only = parse_zenodo_record(R"({"id": 13})");
    ASSERT_TRUE(metadata_only);
    EXPECT_FALSE(metadata_only->files_listed);
}

TEST(ZenodoRecordParser, IgnoresChecksumsOfOtherAlgorithms) {
    auto record = parse_zenodo_record(R"({"files": [{"key": "a", "size": 1, "checksum": "sha256:)" + k_hex_a +
                                      R"("}, {"key": "b"}]})");
    ASSERT_TRUE(record);
    EXPECT_EQ(record->files[0].md5, "");
    EXPECT_EQ(record->files[1].md5, "");
    EXPECT_FALSE(record->files[1].size);
}

TEST(ZenodoRecordParser, AcceptsARecordWithoutFiles) {
    auto record = parse_zenodo_record(R"({"id": 1, "metadata": {"access_right": "restricted"}})");
    ASSERT_TRUE(record);
    EXPECT_TRUE(record->files.empty());
    EXPECT_EQ(record->access_right, "restricted");
}

TEST(ZenodoRecordParser, RejectsWhatIsNotARecord) {
    EXPECT_FALSE(parse_zenodo_record("<!DOCTYPE html><html></html>"));
    EXPECT_FALSE(parse_zenodo_record("[1, 2]"));
    EXPECT_FALSE(parse_zenodo_record(R"({"files": {"key": "a"}})"));
    auto nameless = parse_zenodo_record(R"({"files": [{"size": 3}]})");
    ASSERT_FALSE(nameless);
    EXPECT_EQ(nameless.error().message(), "file entry 0 has no `key` or `filename`");
}

// --- SHA256SUMS.txt --------------------------------------------------------------------------------------

TEST(Sha256SumsParser, ReadsPhysioNetsSingleSpaceForm) {
    auto entries = parse_sha256sums(k_hex_b + " LICENSE.txt\n" + k_hex_a + " files/p10/p10000032/s5/02aa.jpg\n");
    ASSERT_TRUE(entries) << entries.error().message();
    ASSERT_EQ(entries->size(), 2U);
    EXPECT_EQ((*entries)[0].sha256, k_hex_b);
    EXPECT_EQ((*entries)[0].path, "LICENSE.txt");
    EXPECT_EQ((*entries)[1].path, "files/p10/p10000032/s5/02aa.jpg");
}

TEST(Sha256SumsParser, AcceptsSha256sumStylesCrlfAndBlankLines) {
    std::string upper = k_hex_b;
    for (auto& c : upper) {
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    auto entries = parse_sha256sums("\n" + k_hex_a + "  two spaces.txt\r\n" + upper + " *binary.dcm\n\n" + k_hex_a +
                                    "   a b/c d.csv");
    ASSERT_TRUE(entries) << entries.error().message();
    ASSERT_EQ(entries->size(), 3U);
    EXPECT_EQ((*entries)[0].path, "two spaces.txt");
    EXPECT_EQ((*entries)[1].path, "binary.dcm");
    EXPECT_EQ((*entries)[1].sha256, k_hex_b);
    EXPECT_EQ((*entries)[2].path, "a b/c d.csv");
}

TEST(Sha256SumsParser, NamesTheLineOfAMalformedEntry) {
    auto short_hex = parse_sha256sums(k_hex_a + " ok.txt\n" + "abc123 broken.txt\n");
    ASSERT_FALSE(short_hex);
    EXPECT_EQ(short_hex.error().code(), ErrorCode::integrity);
    EXPECT_EQ(short_hex.error().message(), "line 2: expected `<64 hex digits> <path>`, got 'abc123 broken.txt'");
    EXPECT_FALSE(parse_sha256sums(k_hex_a + "nospace.txt\n"));
    EXPECT_FALSE(parse_sha256sums(k_hex_a + "\n"));
    EXPECT_FALSE(parse_sha256sums(k_hex_a + "    \n"));
    EXPECT_FALSE(parse_sha256sums("<!DOCTYPE html>\n"));
}

TEST(Sha256SumsParser, RefusesPathsThatLeaveTheProject) {
    for (const std::string path : {"../etc/passwd", "/etc/passwd", "a/../../b", "a//b", "./a", "a/"}) {
        auto entries = parse_sha256sums(k_hex_a + " ok\n" + k_hex_a + " " + path + "\n");
        ASSERT_FALSE(entries) << path;
        EXPECT_EQ(entries.error().code(), ErrorCode::integrity);
        EXPECT_NE(entries.error().message().find("line 2: refusing the path"), std::string::npos)
            << entries.error().message();
    }
}

// --- s5cmd manifest --------------------------------------------------------------------------------------

TEST(S5cmdManifestParser, ReadsWhatIdcIndexAndThePortalWrite) {
    auto series = parse_s5cmd_manifest(
        "# To download the files in this manifest, first install s5cmd (https://github.com/peak/s5cmd),\n"
        "# s5cmd --no-sign-request --endpoint-url https://s3.amazonaws.com run manifest.s5cmd\n"
        "cp s3://idc-open-data/28621ba9-1aca-4aab-a2a1-f6d2c3e2ab19/* .\n"
        "\n"
        "   cp   s3://idc-open-data-two/f0b76401-c6d1-4b61-a5fd-3fa596e6cc41/*   \"/dest/my dir\"\r\n"
        "sync 's3://public-datasets-idc/4ea3bbe6-98da-4b92-abe6-2ee18927e3c9/*' '.'\n"
        "cp \"s3://idc-open-data/28621ba9-1aca-4aab-a2a1-f6d2c3e2ab19/*\" other\n"
        "cp s3://idc-open-data/5aa1/*");
    ASSERT_TRUE(series) << series.error().message();
    const auto& list = series->series;
    ASSERT_EQ(list.size(), 4U); // the repeated series is kept once
    EXPECT_EQ(list[0].bucket, "idc-open-data");
    EXPECT_EQ(list[0].series, "28621ba9-1aca-4aab-a2a1-f6d2c3e2ab19");
    EXPECT_EQ(list[0].line, 3U);
    EXPECT_TRUE(list[0].whole);
    EXPECT_EQ(list[1].bucket, "idc-open-data-two");
    EXPECT_EQ(list[1].line, 5U);
    EXPECT_EQ(list[2].bucket, "public-datasets-idc");
    EXPECT_EQ(list[2].series, "4ea3bbe6-98da-4b92-abe6-2ee18927e3c9");
    EXPECT_EQ(list[3].series, "5aa1");
    EXPECT_EQ(list[3].line, 8U);
    EXPECT_EQ(series->skipped_lines, 0U);
}

TEST(S5cmdManifestParser, SkipsHeadersAndOtherCommandsAndAcceptsSingleFileLines) {
    // `bq query --format=csv` writes the column name first; IDC's 2022-2024 documentation produced
    // one line per file (`.../<series uuid>/<instance>.dcm`).
    auto manifest = parse_s5cmd_manifest("s5cmd_manifest\n"
                                         "# a comment\n"
                                         "\n"
                                         "cp s3://idc-open-data/s1/i1.dcm .\n"
                                         "aws s3 cp s3://idc-open-data/x/y.dcm .\n"
                                         "cp s3://idc-open-data/s1/i2.dcm .\n"
                                         "cp s3://idc-open-data/s2/i9.dcm .\n"
                                         "cp s3://idc-open-data/s2/* .\n"
                                         "cp s3://idc-open-data/s2/i8.dcm .\n");
    ASSERT_TRUE(manifest) << manifest.error().message();
    EXPECT_EQ(manifest->skipped_lines, 2U);
    ASSERT_EQ(manifest->series.size(), 2U);
    EXPECT_EQ(manifest->series[0].series, "s1");
    EXPECT_FALSE(manifest->series[0].whole);
    EXPECT_EQ(manifest->series[0].instances, (std::vector<std::string>{"i1.dcm", "i2.dcm"}));
    EXPECT_EQ(manifest->series[0].line, 4U);
    EXPECT_TRUE(manifest->series[1].whole); // the series line wins over its single-file lines
    EXPECT_TRUE(manifest->series[1].instances.empty());
}

TEST(S5cmdManifestParser, RejectsAnythingElseWithTheLineNumber) {
    struct Case {
        std::string line;
        std::string expected;
    };
    const std::vector<Case> cases = {
        {"cp", "line 2: expected `cp s3://BUCKET/SERIES_UUID/* DESTINATION`"},
        {"cp s3://idc-open-data/abc/* . extra", "line 2: expected `cp s3://BUCKET/SERIES_UUID/* DESTINATION`"},
        {"cp s3://idc-open-data/abc/d/file.dcm .", "line 2: expected a series `s3://BUCKET/SERIES_UUID/*`"},
        {"cp s3://idc-open-data/abc/f*.dcm .", "line 2: expected a series `s3://BUCKET/SERIES_UUID/*`"},
        {"cp s3://idc-open-data/* .", "line 2: expected a series `s3://BUCKET/SERIES_UUID/*`"},
        {"cp s3://idc-open-data/../* .", "line 2: expected a series `s3://BUCKET/SERIES_UUID/*`"},
        {"cp s3://idc-open-data/a/b/* .", "line 2: expected a series `s3://BUCKET/SERIES_UUID/*`"},
        {"cp s3://Bad_Bucket/abc/* .", "line 2: expected a series `s3://BUCKET/SERIES_UUID/*`"},
        {"cp gs://idc-open-data/abc/* .", "line 2: expected a series `s3://BUCKET/SERIES_UUID/*`"},
        {"cp \"s3://idc-open-data/abc/* .", "line 2: a quote is not closed"},
    };
    for (const auto& c : cases) {
        auto series = parse_s5cmd_manifest("cp s3://idc-open-data/ok/* .\n" + c.line + "\n");
        ASSERT_FALSE(series) << c.line;
        EXPECT_EQ(series.error().code(), ErrorCode::usage);
        EXPECT_EQ(series.error().message().rfind(c.expected, 0), 0U) << series.error().message();
    }
}

TEST(S5cmdManifestParser, AnEmptyManifestHasNoSeries) {
    auto series = parse_s5cmd_manifest("# only a comment\n\n");
    ASSERT_TRUE(series);
    EXPECT_TRUE(series->series.empty());
    EXPECT_EQ(series->skipped_lines, 0U);
}

TEST(IdcBuckets, MapsTheAwsBucketsThatHaveAnotherNameOnGcs) {
    EXPECT_EQ(gcs_bucket_for("idc-open-data"), "idc-open-data");
    EXPECT_EQ(gcs_bucket_for("idc-open-data-two"), "idc-open-idc1");
    EXPECT_EQ(gcs_bucket_for("idc-open-data-cr"), "idc-open-cr");
    EXPECT_EQ(gcs_bucket_for("public-datasets-idc"), "public-datasets-idc");
}

// --- GCS listing and md5Hash -----------------------------------------------------------------------------

TEST(Base64Md5, DecodesKnownAnswers) {
    // md5("") = d41d8cd98f00b204e9800998ecf8427e; md5("abc") = 900150983cd24fb0d6963f7d28e17f72
    EXPECT_EQ(base64_md5_to_hex("1B2M2Y8AsgTpgAmY7PhCfg=="), "d41d8cd98f00b204e9800998ecf8427e");
    EXPECT_EQ(base64_md5_to_hex("kAFQmDzST7DWlj99KOF/cg=="), "900150983cd24fb0d6963f7d28e17f72");
    EXPECT_EQ(base64_md5_to_hex("kAFQmDzST7DWlj99KOF/cg"), "900150983cd24fb0d6963f7d28e17f72");
}

TEST(Base64Md5, RejectsWhatIsNotSixteenBytes) {
    EXPECT_FALSE(base64_md5_to_hex(""));
    EXPECT_FALSE(base64_md5_to_hex("J7JKcA=="));                 // a crc32c: 4 bytes
    EXPECT_FALSE(base64_md5_to_hex("kAFQmDzST7DWlj99KOF/cg!=")); // not base64
    EXPECT_FALSE(base64_md5_to_hex("kAFQmDzST7DWlj99KOF/cgAA")); // 18 bytes
}

TEST(GcsListingParser, ReadsItemsSizesMd5AndTheNextPageToken) {
    auto page = parse_gcs_listing(R"({"kind": "storage#objects", "nextPageToken": "CiQ",
        "items": [{"kind": "storage#object", "name": "s1/a.dcm", "bucket": "b", "size": "526340",
                   "md5Hash": "kAFQmDzST7DWlj99KOF/cg==", "crc32c": "J7JKcA=="},
                  {"name": "s1/b.dcm", "size": "7", "componentCount": 2, "crc32c": "J7JKcA=="}]})");
    ASSERT_TRUE(page) << page.error().message();
    EXPECT_EQ(page->next_page_token, "CiQ");
    ASSERT_EQ(page->objects.size(), 2U);
    EXPECT_EQ(page->objects[0].name, "s1/a.dcm");
    EXPECT_EQ(page->objects[0].size, 526340U);
    EXPECT_EQ(page->objects[0].md5, "900150983cd24fb0d6963f7d28e17f72");
    EXPECT_EQ(page->objects[1].md5, ""); // composite: no md5Hash
}

TEST(GcsListingParser, TheLastPageOfNothingHasNoItems) {
    auto page = parse_gcs_listing(R"({"kind": "storage#objects"})");
    ASSERT_TRUE(page);
    EXPECT_TRUE(page->objects.empty());
    EXPECT_EQ(page->next_page_token, "");
    EXPECT_FALSE(parse_gcs_listing("<?xml version='1.0'?><Error/>"));
    EXPECT_FALSE(parse_gcs_listing(R"({"items": [{"size": "1"}]})"));
}

// --- shared helpers --------------------------------------------------------------------------------------

TEST(SafeRelativePath, AcceptsOnlyPathsInside) {
    EXPECT_TRUE(is_safe_relative_path("a"));
    EXPECT_TRUE(is_safe_relative_path("a/b c/d..e"));
    EXPECT_FALSE(is_safe_relative_path(""));
    EXPECT_FALSE(is_safe_relative_path("/a"));
    EXPECT_FALSE(is_safe_relative_path("a/../b"));
    EXPECT_FALSE(is_safe_relative_path(".."));
    EXPECT_FALSE(is_safe_relative_path("a\\b"));
}

TEST(LooksLikeHtml, ByContentTypeOrFirstBytes) {
    EXPECT_TRUE(looks_like_html("text/html; charset=utf-8", ""));
    EXPECT_TRUE(looks_like_html("TEXT/HTML", "x"));
    EXPECT_TRUE(looks_like_html("text/plain", "\n  <!DOCTYPE html><html>"));
    EXPECT_TRUE(looks_like_html("", "<HTML><body>"));
    EXPECT_FALSE(looks_like_html("text/plain", k_hex_a + " LICENSE.txt\n"));
}

TEST(CatalogFiles, MarkExtractByPathOrNameAndReportWhatIsMissing) {
    Source source;
    FileEntry zip;
    zip.path = "images/subset0.zip";
    zip.extract = true;
    zip.digests[DigestAlgorithm::sha256] = k_hex_a;
    FileEntry absent;
    absent.path = "subset9.zip";
    source.files = {zip, absent};
    std::vector<ResolvedFile> files(2);
    files[0].path = "subset0.zip";
    files[0].digests[DigestAlgorithm::md5] = "0123456789abcdef0123456789abcdef";
    files[0].digest_origin = "from the Zenodo record API (record 1)";
    files[1].path = "annotations.csv";
    CatalogMatch match = apply_catalog_files(source, files);
    EXPECT_EQ(match.missing, std::vector<std::string>{"subset9.zip"});
    EXPECT_TRUE(match.conflicts.empty());
    EXPECT_EQ(files[0].path, "images/subset0.zip");
    EXPECT_TRUE(files[0].extract);
    EXPECT_EQ(files[0].digests.size(), 2U);
    EXPECT_EQ(files[0].digest_origin, "from the Zenodo record API (record 1) and the catalog");
    EXPECT_FALSE(files[1].extract);
}

TEST(CatalogFiles, ReportsDigestsThatDisagree) {
    Source source;
    FileEntry entry;
    entry.path = "a.csv";
    entry.digests[DigestAlgorithm::md5] = "00000000000000000000000000000000";
    source.files = {entry};
    std::vector<ResolvedFile> files(1);
    files[0].path = "a.csv";
    files[0].digests[DigestAlgorithm::md5] = "11111111111111111111111111111111";
    CatalogMatch match = apply_catalog_files(source, files);
    ASSERT_EQ(match.conflicts.size(), 1U);
    EXPECT_EQ(match.conflicts[0].first, "a.csv");
    EXPECT_EQ(match.conflicts[0].second, "a.csv: md5 00000000000000000000000000000000 in the catalog, "
                                         "11111111111111111111111111111111 from the provider");
}

TEST(CatalogFiles, OneCheckMarksEachMissingOrContradictedFileAndKeepsTheRest) {
    Dataset dataset;
    dataset.id = "luna16";
    dataset.origin = "catalog/datasets/luna16.json";
    Source source;
    FileEntry missing;
    missing.path = "candidates_V2.csv";
    FileEntry contradicted;
    contradicted.path = "b.csv";
    contradicted.digests[DigestAlgorithm::md5] = std::string(32, '0');
    FileEntry present;
    present.path = "annotations.csv";
    source.files = {missing, contradicted, present};
    std::vector<ResolvedFile> files(3);
    files[0].path = "annotations.csv";
    files[1].path = "b.csv";
    files[1].digests[DigestAlgorithm::md5] = std::string(32, '1');
    files[2].path = "candidates_V2.zip";
    check_catalog_files(dataset, source, {"Zenodo record 3723295", "https://zenodo.org/records/3723295"}, files);
    ASSERT_EQ(files.size(), 4U);
    EXPECT_FALSE(files[0].unavailable);
    EXPECT_FALSE(files[2].unavailable);
    ASSERT_TRUE(files[1].unavailable);
    EXPECT_EQ(files[1].unavailable->code(), ErrorCode::integrity);
    ASSERT_EQ(files[3].path, "candidates_V2.csv");
    ASSERT_TRUE(files[3].unavailable);
    const Error& error = *files[3].unavailable;
    EXPECT_EQ(error.code(), ErrorCode::not_found);
    EXPECT_EQ(error.message(), "luna16: Zenodo record 3723295 lacks files the catalog lists: candidates_V2.csv");
    EXPECT_EQ(error.notes()[0], "see https://zenodo.org/records/3723295");
    EXPECT_EQ(error.notes()[1], "the catalog entry needs updating (catalog/datasets/luna16.json)");
    EXPECT_TRUE(files[3].urls.empty());
}

TEST(Sha256SumsReader, ChunksCutAnywhereReadAsTheWholeText) {
    std::string text =
        k_hex_b + " LICENSE.txt\n" + k_hex_a + " files/p10/p10000032/s5/02aa.jpg\r\n\n" + k_hex_a + " IMAGE_FILENAMES";
    auto whole = parse_sha256sums(text);
    ASSERT_TRUE(whole) << whole.error().message();
    for (std::size_t cut = 0; cut <= text.size(); ++cut) {
        for (std::size_t second = cut; second <= text.size(); second += 7) {
            Sha256SumsReader reader;
            ASSERT_TRUE(reader.feed(std::string_view(text).substr(0, cut)));
            ASSERT_TRUE(reader.feed(std::string_view(text).substr(cut, second - cut)));
            ASSERT_TRUE(reader.feed(std::string_view(text).substr(second)));
            auto entries = reader.finish();
            ASSERT_TRUE(entries) << cut;
            ASSERT_EQ(entries->size(), whole->size()) << cut;
            for (std::size_t i = 0; i < entries->size(); ++i) {
                EXPECT_EQ((*entries)[i].path, (*whole)[i].path) << cut;
                EXPECT_EQ((*entries)[i].sha256, (*whole)[i].sha256) << cut;
            }
        }
    }
}

TEST(Sha256SumsReader, KeepsOnlyWhatItIsAskedForAndStartsOverOnReset) {
    Sha256SumsReader reader([](std::string_view path) { return path.starts_with("files/"); });
    ASSERT_TRUE(reader.feed(k_hex_a + " stale.txt\n"));
    reader.reset(); // a retried request sends the listing again
    EXPECT_TRUE(reader.feed(k_hex_b + " LICENSE.txt\n" + k_hex_a + " files/p10/a.jpg\n" + k_hex_a + " README\n"));
    auto entries = reader.finish();
    ASSERT_TRUE(entries) << entries.error().message();
    ASSERT_EQ(entries->size(), 1U);
    EXPECT_EQ((*entries)[0].path, "files/p10/a.jpg");
    // A malformed line fails the listing even when it would not be kept.
    Sha256SumsReader strict([](std::string_view) { return false; });
    EXPECT_FALSE(strict.feed(k_hex_a + " ok\nbroken line\n"));
    auto failed = strict.finish();
    ASSERT_FALSE(failed);
    EXPECT_EQ(failed.error().message(), "line 2: expected `<64 hex digits> <path>`, got 'broken line'");
    // The first bytes are kept to tell a login page from a listing.
    Sha256SumsReader page;
    EXPECT_FALSE(page.feed("<!DOCTYPE html>\n<html>"));
    EXPECT_EQ(page.head().rfind("<!DOCTYPE html>", 0), 0U);
}

} // namespace
} // namespace cxrcat::providers
