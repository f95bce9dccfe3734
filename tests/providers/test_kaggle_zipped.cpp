// SPDX-License-Identifier: Apache-2.0
// The kaggle route when Kaggle answers a single-file download with a zip holding that file
// (Kaggle/kagglehub:src/kagglehub/clients.py `download_file`; tensorflow/datasets#844): the member
// is installed, checked against the listed size; a zip the catalog expects stays a zip.
#include "kaggle_route_test.hpp"

#include <set>

namespace cxrcat::test {
namespace {

// A stored zip of 124 bytes holding one member named "bundle.zip" ("hello\n"): a zip file whose
// only member even bears the file's own name, which must still be installed as it is.
const std::string k_bundle_zip(
    "\x50\x4b\x03\x04\x14\x00\x00\x00\x00\x00\x00\x00\x21\x58\x20\x30\x3a\x36\x06\x00\x00\x00\x06\x00\x00\x00"
    "\x0a\x00\x00\x00\x62\x75\x6e\x64\x6c\x65\x2e\x7a\x69\x70\x68\x65\x6c\x6c\x6f\x0a\x50\x4b\x01\x02\x14\x03"
    "\x14\x00\x00\x00\x00\x00\x00\x00\x21\x58\x20\x30\x3a\x36\x06\x00\x00\x00\x06\x00\x00\x00\x0a\x00\x00\x00"
    "\x00\x00\x00\x00\x00\x00\x00\x00\x80\x01\x00\x00\x00\x00\x62\x75\x6e\x64\x6c\x65\x2e\x7a\x69\x70\x50\x4b"
    "\x05\x06\x00\x00\x00\x00\x01\x00\x01\x00\x38\x00\x00\x00\x2e\x00\x00\x00\x00\x00",
    124);

// What fetch writes beside the data (src/lib/provenance.cpp) and its state directory.
bool is_bookkeeping(const std::string& path) {
    static const std::set<std::string> k_provenance = {"CITATION.bib", "CITATION.cff", "SOURCE.json", "TERMS.txt"};
    return path.rfind(".cxrcat/", 0) == 0 || k_provenance.count(path) > 0;
}

TEST_F(KaggleRoute, AFileSentAsAZipOfItselfIsUnpackedAndCheckedAgainstTheListedSize) {
    std::string slug = unique("comp");
    std::string csv = "ImageId,EncodedPixels\n";
    for (int i = 0; i < 400; ++i) {
        csv += "img" + std::to_string(i) + ".jpg,1 2 3 4\n";
    }
    std::map<std::string, std::string> files = {{"train.csv", csv},
                                                {"images/a.bin", random_bytes(30'001)},
                                                {"nested.zip", "PK\x03\x04" + random_bytes(5'000)},
                                                {"plain.csv", "a,b\n1,2\n"}};
    publish_competition(slug, files, {{"_zipped", "train.csv\nimages/*\nnested.zip\n"}});
    auto account = key_account(slug, true);
    std::string id = add_kaggle_dataset(slug);
    ASSERT_EQ(cxrcat({"accept", id}).exit_code, 0);

    // --include: per-file calls, where single files may come zipped (a whole competition is one zip).
    auto fetch = cxrcat({"fetch", id, "--include", "*"}, account);
    ASSERT_EQ(fetch.exit_code, 0) << fetch.describe();
    for (const auto& [path, content] : files) {
        EXPECT_EQ(read_text_file(dataset_dir(id) / path), content) << path;
    }
    // The zips were what arrived; none is left where a file is expected, nor beside it.
    for (const std::string path : {"train.csv", "images/a.bin", "nested.zip"}) {
        EXPECT_GE(stats("kaggle", "/__signed/" + slug + "/" + path + ".zip").value("requests", 0), 1) << path;
    }
    EXPECT_EQ(stats("kaggle", "/__signed/" + slug + "/plain.csv.zip").value("requests", 0), 0);
    for (const auto& [path, content] : files_under(dataset_dir(id))) {
        bool expected = files.count(path) > 0 || is_bookkeeping(path);
        EXPECT_TRUE(expected) << "left behind: " << path;
    }
    // The digest recorded at first download is the member's: a second run verifies and skips it.
    auto again = cxrcat({"fetch", id}, account);
    EXPECT_EQ(again.exit_code, 0) << again.describe();
    EXPECT_TRUE(has_text(again.out, "skipped  " + id + "/train.csv")) << again.describe();
    auto verify = cxrcat({"verify", id});
    EXPECT_EQ(verify.exit_code, 0) << verify.describe();
}

TEST_F(KaggleRoute, AZippedFileWhoseMemberIsNotTheListedSizeIsNeverInstalled) {
    std::string slug = unique("comp");
    std::string csv = "id,label\n1,0\n2,1\n";
    publish_competition(slug, {{"train.csv", csv}}, {{"_zipped", ""}, {"_zipped_padding", "7"}});
    auto account = key_account(slug, true);
    std::string id = add_kaggle_dataset(slug);
    ASSERT_EQ(cxrcat({"accept", id}).exit_code, 0);

    auto fetch = cxrcat({"fetch", id, "--retries", "0", "--include", "*"}, account);
    EXPECT_EQ(fetch.exit_code, 5) << fetch.describe();
    EXPECT_TRUE(has_text(fetch.err, "train.csv: size mismatch")) << fetch.describe();
    EXPECT_TRUE(has_text(fetch.err, "expected " + std::to_string(csv.size()) + " bytes"));
    EXPECT_TRUE(has_text(fetch.err, "actual   " + std::to_string(csv.size() + 7) + " bytes"));
    EXPECT_TRUE(has_text(fetch.err, "arrived as a zip"));
    EXPECT_FALSE(std::filesystem::exists(dataset_dir(id) / "train.csv"));
    for (const auto& [path, content] : files_under(dataset_dir(id))) {
        EXPECT_TRUE(is_bookkeeping(path)) << "left behind: " << path;
    }
}

TEST_F(KaggleRoute, AZipTheListingNamesIsInstalledAsItIsNeverUnpacked) {
    std::string slug = unique("comp");
    publish_competition(slug, {{"bundle.zip", k_bundle_zip}, {"labels.csv", "a,b\n"}});
    auto account = key_account(slug, true);
    std::string id = add_kaggle_dataset(slug);
    ASSERT_EQ(cxrcat({"accept", id}).exit_code, 0);

    auto fetch = cxrcat({"fetch", id}, account);
    ASSERT_EQ(fetch.exit_code, 0) << fetch.describe();
    EXPECT_EQ(read_text_file(dataset_dir(id) / "bundle.zip"), k_bundle_zip);
    auto installed = files_under(dataset_dir(id));
    for (const auto& [path, content] : installed) {
        bool expected = path == "bundle.zip" || path == "labels.csv" || is_bookkeeping(path);
        EXPECT_TRUE(expected) << "unexpected: " << path;
    }
}

} // namespace
} // namespace cxrcat::test
