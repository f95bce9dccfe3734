// SPDX-License-Identifier: Apache-2.0
// `cxrcat labels jsrt` on tests/fixtures/labels/jsrt (README there cites labels-facts.md §1.10 and the
// third-party parsers that read the files without a header): the nodule from the file name, age and
// sex from the tab-separated fields, images found wherever they are installed, a bad line named.
#include "labels_test.hpp"

namespace cxrcat::test {
namespace {

TEST_F(LabelsTest, JsrtNoduleFromTheFileNameAgeAndSexFromTheTabSeparatedFiles) {
    install("jsrt");
    touch("jsrt", {"All247images/JPCLN001.IMG", "All247images/JPCNN001.IMG", "All247images/JPCNN002.IMG"});
    ProcessResult result = cxrcat({"labels", "jsrt"});
    ASSERT_EQ(result.exit_code, 0) << result.describe();
    EXPECT_EQ(lines(result.out),
              (std::vector<std::string>{k_fixed + "Nodule", "jsrt,All247images/JPCLN001.IMG,JPCLN001,,,M,53,,,1",
                                        "jsrt,JPCLN002.IMG,JPCLN002,,,F,,,,1",
                                        "jsrt,All247images/JPCNN001.IMG,JPCNN001,,,F,48,,,0",
                                        "jsrt,All247images/JPCNN002.IMG,JPCNN002,,,M,62,,,0"}));
    EXPECT_TRUE(contains(result.err, "1")) << "the image not on disk is counted: " << result.err;
}

TEST_F(LabelsTest, JsrtLineWithoutItsFileNameIsExit5NamingFileAndLine) {
    std::filesystem::path dir = install("jsrt");
    write_text_file(dir / "CNNDAT_EN.TXT",
                    "JPCNN001.IMG\t48\tfemale\tnon-nodule\nJPCLN003.IMG\t50\tmale\tnon-nodule\n");
    ProcessResult result = cxrcat({"labels", "jsrt"});
    EXPECT_EQ(result.exit_code, 5) << result.describe();
    EXPECT_TRUE(contains(result.err, "CNNDAT_EN.TXT:2: expected a JPCNN###.IMG file name")) << result.err;
}

TEST_F(LabelsTest, JsrtWithoutItsTextFilesIsExit7NamingThem) {
    std::filesystem::create_directories(dataset_dir("jsrt"));
    ProcessResult result = cxrcat({"labels", "jsrt"});
    EXPECT_EQ(result.exit_code, 7) << result.describe();
    EXPECT_TRUE(contains(result.err, "CLNDAT_EN.txt")) << result.err;
    EXPECT_TRUE(contains(result.err, "CNNDAT_EN.TXT")) << result.err;
}

} // namespace
} // namespace cxrcat::test
