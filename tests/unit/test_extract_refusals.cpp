// SPDX-License-Identifier: Apache-2.0
// extract_archive's safety refusals: traversal, absolute paths, escaping links, devices, hostile names.
#include "extract_fixture.hpp"

#include <gtest/gtest.h>

namespace cxrcat::extract_test {
namespace {

// ---- archives that must be refused ------------------------------------------------------------

TEST_F(ExtractTest, RefusesParentTraversal) {
    build_archive(archive("evil.tar.gz"), Format::tar_gz, {file("good.txt", "good"), file("../x", "evil")});
    expect_refused(archive("evil.tar.gz"), "refusing to extract evil.tar.gz: entry '../x' escapes the destination");
}

TEST_F(ExtractTest, RefusesParentTraversalInZip) {
    build_archive(archive("slip.zip"), Format::zip, {file("good.txt", "good"), file("../../zip-slip.txt", "evil")});
    expect_refused(archive("slip.zip"),
                   "refusing to extract slip.zip: entry '../../zip-slip.txt' escapes the destination");
}

TEST_F(ExtractTest, RefusesTraversalHiddenInsideAPath) {
    build_archive(archive("evil.tar.gz"), Format::tar_gz, {file("good.txt", "good"), file("a/../../x", "evil")});
    expect_refused(archive("evil.tar.gz"),
                   "refusing to extract evil.tar.gz: entry 'a/../../x' escapes the destination");
}

TEST_F(ExtractTest, RefusesDotDotEvenWhenItStaysInside) {
    build_archive(archive("odd.tar"), Format::tar, {file("good.txt", "good"), file("a/../b.txt", "odd")});
    expect_refused(archive("odd.tar"), "refusing to extract odd.tar: entry 'a/../b.txt' has a '..' component");
}

TEST_F(ExtractTest, RefusesEntriesUnderAReservedName) {
    // fetch reserves the dataset directory's .cxrcat/ (its state and lock).
    ExtractLimits limits;
    limits.reserved_names = {".cxrcat"};
    build_archive(archive("state.tar"), Format::tar, {file("good.txt", "good"), file(".cxrcat/state.json", "{}")});
    expect_refused(archive("state.tar"),
                   "refusing to extract state.tar: entry '.cxrcat/state.json' would write into '.cxrcat', which "
                   "cxrcat reserves for its own state",
                   ErrorCode::integrity, limits);
    build_archive(archive("link.tar"), Format::tar, {file("good.txt", "good"), symlink(".cxrcat", "elsewhere")});
    expect_refused(archive("link.tar"),
                   "refusing to extract link.tar: entry '.cxrcat' would write into '.cxrcat', which cxrcat "
                   "reserves for its own state",
                   ErrorCode::integrity, limits);
}

TEST_F(ExtractTest, RefusesAbsolutePath) {
    build_archive(archive("abs.tar.gz"), Format::tar_gz, {file("good.txt", "good"), file("/abs", "evil")});
    expect_refused(archive("abs.tar.gz"), "refusing to extract abs.tar.gz: entry '/abs' has an absolute path");
    EXPECT_FALSE(fs::exists("/abs"));
}

TEST_F(ExtractTest, RefusesAbsolutePathPointingIntoTheTestTree) {
    // Had it been honoured, the file would show up in the snapshot of the test's tree.
    std::string target = (m_root / "work" / "planted.txt").string();
    build_archive(archive("abs.zip"), Format::zip, {file("good.txt", "good"), file(target, "evil")});
    expect_refused(archive("abs.zip"), "refusing to extract abs.zip: entry '" + target + "' has an absolute path");
}

TEST_F(ExtractTest, RefusesSymlinkToAbsolutePath) {
    build_archive(archive("etc.tar.gz"), Format::tar_gz, {file("good.txt", "good"), symlink("etc", "/etc")});
    expect_refused(archive("etc.tar.gz"),
                   "refusing to extract etc.tar.gz: entry 'etc' is a symlink to '/etc', an absolute path");
}

TEST_F(ExtractTest, RefusesSymlinkEscapingTheDestination) {
    build_archive(archive("link.tar.gz"), Format::tar_gz,
                  {file("good.txt", "good"), symlink("link", "../../outside"), file("after.txt", "x")});
    expect_refused(archive("link.tar.gz"), "refusing to extract link.tar.gz: entry 'link' is a symlink to "
                                           "'../../outside', which escapes the destination");
}

TEST_F(ExtractTest, RefusesSymlinkInZipEscapingTheDestination) {
    build_archive(archive("link.zip"), Format::zip, {file("good.txt", "good"), symlink("a/b/link", "../../../x")});
    expect_refused(archive("link.zip"), "refusing to extract link.zip: entry 'a/b/link' is a symlink to "
                                        "'../../../x', which escapes the destination");
}

TEST_F(ExtractTest, RefusesChainOfSymlinksThatEscapes) {
    // Each link alone stays inside; followed by the kernel, e/.. is d/l/../.. = destination/..
    build_archive(archive("chain.tar"), Format::tar,
                  {file("good.txt", "good"), dir("d/"), symlink("d/l", ".."), symlink("e", "d/l/..")});
    expect_refused(archive("chain.tar"),
                   "refusing to extract chain.tar: entry 'e' is a symlink to 'd/l/..', which escapes the destination");
}

TEST_F(ExtractTest, RefusesSymlinkThatEscapesThroughALinkAlreadyInDestination) {
    fs::create_directories(m_dest / "d");
    fs::create_symlink("..", m_dest / "d/l"); // left by an earlier, individually safe archive
    build_archive(archive("chain.tar"), Format::tar, {symlink("e", "d/l/..")});
    Snapshot before = snapshot(m_root);

    auto result = extract_archive(archive("chain.tar"), m_dest);

    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().code(), ErrorCode::integrity);
    EXPECT_EQ(result.error().message(),
              "refusing to extract chain.tar: entry 'e' is a symlink to 'd/l/..', which escapes the destination");
    EXPECT_EQ(snapshot(m_root), before);
}

TEST_F(ExtractTest, RefusesSymlinkLoop) {
    build_archive(archive("loop.tar"), Format::tar, {symlink("a", "b"), symlink("b", "a")});
    expect_refused(archive("loop.tar"), "refusing to extract loop.tar: entry 'a' is a symlink in a loop");
}

TEST_F(ExtractTest, RefusesWritingThroughASymlink) {
    build_archive(archive("through.tar"), Format::tar,
                  {dir("sub/"), symlink("l", "sub"), file("l/x.txt", "through the link")});
    expect_refused(archive("through.tar"),
                   "refusing to extract through.tar: entry 'l/x.txt' goes through the symlink 'l'");
}

TEST_F(ExtractTest, RefusesHardlinkToAbsolutePath) {
    build_archive(archive("passwd.tar.gz"), Format::tar_gz,
                  {file("good.txt", "good"), hardlink("passwd", "/etc/passwd")});
    expect_refused(archive("passwd.tar.gz"), "refusing to extract passwd.tar.gz: entry 'passwd' is a hardlink to "
                                             "'/etc/passwd', which escapes the destination");
}

TEST_F(ExtractTest, RefusesHardlinkEscapingTheDestination) {
    build_archive(archive("up.tar"), Format::tar, {file("good.txt", "good"), hardlink("x", "../work/y")});
    expect_refused(archive("up.tar"),
                   "refusing to extract up.tar: entry 'x' is a hardlink to '../work/y', which escapes the destination");
}

TEST_F(ExtractTest, RefusesHardlinkToAnEntryNotYetSeen) {
    build_archive(archive("later.tar"), Format::tar, {hardlink("x", "later.txt"), file("later.txt", "late")});
    expect_refused(archive("later.tar"), "refusing to extract later.tar: entry 'x' is a hardlink to 'later.txt', "
                                         "which is not an earlier file in the archive");
}

TEST_F(ExtractTest, RefusesHardlinkToAnEarlierDirectoryOrSymlink) {
    build_archive(archive("dirlink.tar"), Format::tar, {dir("d/"), hardlink("h", "d")});
    expect_refused(archive("dirlink.tar"), "refusing to extract dirlink.tar: entry 'h' is a hardlink to 'd', "
                                           "which is not an earlier file in the archive");
    build_archive(archive("symlink.tar"), Format::tar,
                  {file("good.txt", "good"), symlink("s", "good.txt"), hardlink("h", "s")});
    expect_refused(archive("symlink.tar"), "refusing to extract symlink.tar: entry 'h' is a hardlink to 's', "
                                           "which is not an earlier file in the archive");
}

TEST_F(ExtractTest, RefusesCharacterDevice) {
    build_archive(archive("dev.tar.gz"), Format::tar_gz,
                  {file("good.txt", "good"), EntrySpec{"null", Kind::char_device, {}, {}, 0666}});
    expect_refused(archive("dev.tar.gz"), "refusing to extract dev.tar.gz: entry 'null' is a character device");
}

TEST_F(ExtractTest, RefusesFifo) {
    build_archive(archive("fifo.tar"), Format::tar,
                  {file("good.txt", "good"), EntrySpec{"pipe", Kind::fifo, {}, {}, 0644}});
    expect_refused(archive("fifo.tar"), "refusing to extract fifo.tar: entry 'pipe' is a fifo");
}

TEST_F(ExtractTest, RefusesNamesWithControlCharactersWithoutEchoingThem) {
    build_archive(archive("esc.tar"), Format::tar, {file("../\x1b[2Jevil", "evil")});
    expect_refused(archive("esc.tar"), "refusing to extract esc.tar: entry '../\\x1b[2Jevil' escapes the destination");
}

} // namespace
} // namespace cxrcat::extract_test
