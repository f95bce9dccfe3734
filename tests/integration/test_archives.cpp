// SPDX-License-Identifier: Apache-2.0
// Hostile archives fetched through the engine: every one is refused (exit 5), nothing is written
// outside the dataset directory, nothing of the archive is installed, and it is not marked extracted.
#include "archive_builder.hpp"
#include "cxrcat/base/digest.hpp"
#include "integration_test.hpp"

#include <ostream>

namespace cxrcat::test {
namespace {

// Every path below root (symlinks not followed) with what it is and holds.
std::map<std::string, std::string> snapshot(const fs::path& root, const fs::path& skip) {
    std::map<std::string, std::string> out;
    for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator(); ++it) {
        if (it->path() == skip) {
            it.disable_recursion_pending();
            continue;
        }
        auto status = it->symlink_status();
        std::string what = fs::is_symlink(status)        ? "symlink:" + fs::read_symlink(it->path()).string()
                           : fs::is_directory(status)    ? "dir"
                           : fs::is_regular_file(status) ? "file:" + sha256_hex(read_text_file(it->path()))
                                                         : "other";
        out[fs::relative(it->path(), root).string()] = what;
    }
    return out;
}

struct HostileCase {
    const char* name;
    const char* archive;   // file name in the catalog
    const char* complaint; // part of the error message
    // The entries, given the absolute path of a file outside the dataset that must stay untouched.
    std::vector<ArchiveEntry> (*entries)(const fs::path& victim);
};

std::vector<ArchiveEntry> dot_dot(const fs::path& /*victim*/) {
    return {entry_file("ok.txt", "fine"), entry_file("../escaped.txt", "pwned")};
}
std::vector<ArchiveEntry> absolute(const fs::path& victim) {
    return {entry_file("ok.txt", "fine"), entry_file(victim.string(), "pwned")};
}
std::vector<ArchiveEntry> escaping_symlink(const fs::path& victim) {
    return {entry_file("ok.txt", "fine"), entry_symlink("out", "../../../.."),
            entry_file("out/" + victim.filename().string(), "pwned")};
}
std::vector<ArchiveEntry> absolute_symlink(const fs::path& victim) {
    return {entry_file("ok.txt", "fine"), entry_symlink("victim-link", victim.string()),
            entry_file("victim-link", "pwned")};
}
std::vector<ArchiveEntry> hardlink_outside(const fs::path& victim) {
    return {entry_file("ok.txt", "fine"), entry_hardlink("hl", victim.string()), entry_file("hl", "pwned")};
}
std::vector<ArchiveEntry> hardlink_dot_dot(const fs::path& victim) {
    return {entry_file("ok.txt", "fine"), entry_hardlink("hl", "../../../../" + victim.filename().string())};
}
std::vector<ArchiveEntry> device_node(const fs::path& /*victim*/) {
    return {entry_file("ok.txt", "fine"), entry_char_device("null")};
}
std::vector<ArchiveEntry> bomb(const fs::path& /*victim*/) {
    // 128 MiB of zeros gzip to about 130 KB: a thousandfold, far beyond the 100 times allowed.
    return {entry_file("ok.txt", "fine"), entry_zeros("zeros.img", 128ULL << 20U)};
}

// Names the case in gtest's messages (gtest looks this name up).
void PrintTo(const HostileCase& param, std::ostream* out) { // NOLINT(readability-identifier-naming)
    *out << param.name;
}

class HostileArchive : public IntegrationTest, public ::testing::WithParamInterface<HostileCase> {};

TEST_P(HostileArchive, IsRefusedAndNothingIsWrittenOutside) {
    const HostileCase& param = GetParam();
    const std::string name = param.archive;
    // The victim lives next to the dataset directory, in the test's temporary tree.
    fs::path victim = cxrcat_home() / "victim.txt";
    write_text_file(victim, "original");
    fs::path archive = m_dir / "build" / name;
    fs::create_directories(archive.parent_path());
    ArchiveFormat format = name.ends_with(".tar.gz") ? ArchiveFormat::tar_gz : ArchiveFormat::tar;
    build_archive(archive, format, param.entries(victim));
    std::string bytes = read_text_file(archive);
    serve(name, bytes);
    write_catalog({{name, nginx_url("files", name), bytes.size(), sha256_hex(bytes), true}});
    ASSERT_EQ(cxrcat({"accept", "t1"}).exit_code, 0);
    fs::create_directories(dataset_dir());
    auto before = snapshot(m_dir.path(), dataset_dir());

    auto result = cxrcat({"fetch", "t1", "--format", "json"});
    EXPECT_EQ(result.exit_code, 5) << result.describe();
    EXPECT_THAT(result.err, HasSubstr("refusing to extract " + name)) << result.describe();
    EXPECT_THAT(result.err, HasSubstr(param.complaint)) << result.describe();
    auto json = stdout_json(result);
    EXPECT_EQ(json["files"][0]["status"], "failed") << json.dump();
    EXPECT_EQ(json["files"][0]["error"]["exit_code"], 5) << json.dump();

    // Nothing outside the dataset directory changed (the victim included).
    EXPECT_EQ(snapshot(m_dir.path(), dataset_dir()), before);
    EXPECT_EQ(read_text_file(victim), "original");
    // Inside it: none of the archive's entries and no staging directory; the verified archive
    // itself is kept for a later attempt.
    EXPECT_TRUE(fs::exists(installed(name)));
    for (const auto& item : fs::directory_iterator(dataset_dir())) {
        std::string entry = item.path().filename().string();
        EXPECT_EQ(entry.find(".extract-"), std::string::npos) << "staging left over: " << entry;
        for (const char* extracted : {"ok.txt", "escaped.txt", "out", "victim-link", "hl", "null", "zeros.img"}) {
            EXPECT_NE(entry, extracted) << "an entry of the refused archive was installed";
        }
    }
    EXPECT_FALSE(state_json().value("archives", nlohmann::json::object()).contains(name))
        << "a refused archive is marked extracted: " << state_json().dump(1);

    // A rerun does not take the half-done work as done.
    auto rerun = cxrcat({"fetch", "t1"});
    EXPECT_EQ(rerun.exit_code, 5) << rerun.describe();
    EXPECT_FALSE(fs::exists(installed("ok.txt")));
}

INSTANTIATE_TEST_SUITE_P(
    Extract, HostileArchive,
    ::testing::Values(HostileCase{"DotDot", "dotdot.tar", "entry '../escaped.txt'", &dot_dot},
                      HostileCase{"AbsolutePath", "absolute.tar", "has an absolute path", &absolute},
                      HostileCase{"EscapingSymlink", "symlink.tar", "symlink", &escaping_symlink},
                      HostileCase{"AbsoluteSymlink", "abs-symlink.tar", "an absolute path", &absolute_symlink},
                      HostileCase{"HardlinkOutside", "hardlink.tar", "is a hardlink to", &hardlink_outside},
                      HostileCase{"HardlinkDotDot", "hardlink-dotdot.tar", "is a hardlink to", &hardlink_dot_dot},
                      HostileCase{"DeviceNode", "device.tar", "is a character device", &device_node},
                      HostileCase{"CompressionBomb", "bomb.tar.gz", "times the archive", &bomb}),
    [](const ::testing::TestParamInfo<HostileCase>& param_info) { return std::string(param_info.param.name); });

} // namespace
} // namespace cxrcat::test
