// SPDX-License-Identifier: Apache-2.0
// Issue 10, shared clusters: permissions of private datasets whatever the umask, --group, the
// inode check before anything starts, and doctor's warning about a world-readable private install.
#include "archive_builder.hpp"
#include "cxrcat/base/digest.hpp"
#include "integration_test.hpp"

#include <grp.h>
#include <sys/stat.h>
#include <unistd.h>

namespace cxrcat::test {
namespace {

class SharedCluster : public IntegrationTest {
  protected:
    // A catalog entry like write_catalog's, with another access class or redistribution.
    void write_private_catalog(const std::vector<CatalogFile>& files, const std::string& access_class,
                               const std::string& redistribution = "unknown") {
        write_catalog(files);
        auto entry = nlohmann::json::parse(read_text_file(m_catalog));
        entry["access"]["class"] = access_class;
        entry["redistribution"] = redistribution;
        write_text_file(m_catalog, entry.dump(2));
    }
    // Runs cxrcat under `umask mask` (set by a shell, since the test's own umask is unknown).
    [[nodiscard]] ProcessResult cxrcat_with_umask(const std::string& mask, const std::vector<std::string>& args,
                                                  const std::map<std::string, std::string>& env = {}) const {
        std::vector<std::string> argv{"/bin/sh", "-c", "umask " + mask + " && exec \"$@\"", "sh"};
        auto command = cxrcat_argv(args);
        argv.insert(argv.end(), command.begin(), command.end());
        return run_process(argv, child_env(env), unset_vars());
    }
    // Every entry under root (root included) whose mode lets others read it.
    static std::vector<std::string> world_readable(const fs::path& root) {
        std::vector<std::string> out;
        struct stat info {};
        if (::lstat(root.c_str(), &info) == 0 && (info.st_mode & S_IROTH) != 0) {
            out.push_back(root.string());
        }
        for (const auto& entry : fs::recursive_directory_iterator(root)) {
            if (::lstat(entry.path().c_str(), &info) == 0 && (info.st_mode & S_IROTH) != 0) {
                out.push_back(entry.path().string());
            }
        }
        return out;
    }
    std::vector<CatalogFile> serve_dataset() {
        std::string bytes = random_bytes(30'000);
        serve("p/a.bin", bytes);
        fs::path zip = m_dir / "b.zip";
        build_archive(zip, ArchiveFormat::zip_stored, {entry_file("inner/x.txt", "x"), entry_file("y.txt", "y")});
        std::string archive = read_text_file(zip);
        serve("p/b.zip", archive);
        return {{"p/a.bin", nginx_url("files", "p/a.bin"), bytes.size(), sha256_hex(bytes)},
                {"p/b.zip", nginx_url("files", "p/b.zip"), archive.size(), sha256_hex(archive), true}};
    }
};

TEST_F(SharedCluster, CredentialedDatasetUnderUmask022HasNoWorldReadableEntry) {
    write_private_catalog(serve_dataset(), "credentialed");
    auto result = cxrcat_with_umask("022", {"fetch", "t1", "--accept-terms"});
    ASSERT_EQ(result.exit_code, 0) << result.describe();
    ASSERT_TRUE(fs::exists(installed("p/inner/x.txt")));
    EXPECT_EQ(world_readable(dataset_dir()), std::vector<std::string>{});
    // The shared parent stays as the umask says: other datasets remain reachable.
    struct stat info {};
    ASSERT_EQ(::stat(dataset_dir().parent_path().c_str(), &info), 0);
    EXPECT_NE(info.st_mode & S_IXOTH, 0U);
}

TEST_F(SharedCluster, OpenDatasetHonoursTheUmask) {
    write_catalog(serve_dataset());
    auto result = cxrcat_with_umask("022", {"fetch", "t1", "--accept-terms"});
    ASSERT_EQ(result.exit_code, 0) << result.describe();
    struct stat info {};
    ASSERT_EQ(::stat(installed("p/a.bin").c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777, 0644U);
    ASSERT_EQ(::stat(installed("p/inner/x.txt").c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777, 0644U);

    set_cxrcat_home(m_dir / "tight-home");
    auto tight = cxrcat_with_umask("077", {"fetch", "t1"});
    ASSERT_EQ(tight.exit_code, 0) << tight.describe();
    ASSERT_EQ(::stat(installed("p/a.bin").c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777, 0600U);
    ASSERT_EQ(::stat(installed("p/inner/x.txt").c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777, 0600U);
}

TEST_F(SharedCluster, GroupGetsTheInstallWithSetgidDirectories) {
    // A group this process may give files to: a supplementary one when there is one, else its own.
    gid_t gid = ::getegid();
    std::vector<gid_t> groups(static_cast<std::size_t>(std::max(::getgroups(0, nullptr), 0)));
    if (!groups.empty() && ::getgroups(static_cast<int>(groups.size()), groups.data()) > 0) {
        for (gid_t candidate : groups) {
            if (candidate != gid) {
                gid = candidate;
                break;
            }
        }
    }
    write_private_catalog(serve_dataset(), "open", "organisation-only");
    auto result = cxrcat_with_umask("022", {"fetch", "t1", "--accept-terms", "--group", std::to_string(gid)});
    ASSERT_EQ(result.exit_code, 0) << result.describe();
    struct stat info {};
    ASSERT_EQ(::stat(dataset_dir().c_str(), &info), 0);
    EXPECT_EQ(info.st_gid, gid);
    EXPECT_NE(info.st_mode & S_ISGID, 0U);
    EXPECT_NE(info.st_mode & S_IWGRP, 0U); // the group may add files, as the owner may
    for (const char* name : {"p/a.bin", "p/inner/x.txt"}) {
        ASSERT_EQ(::stat(installed(name).c_str(), &info), 0) << name;
        EXPECT_EQ(info.st_gid, gid) << name;
        EXPECT_NE(info.st_mode & S_IRGRP, 0U) << name;
    }
    ASSERT_EQ(::stat(installed("p").c_str(), &info), 0);
    EXPECT_NE(info.st_mode & S_ISGID, 0U);
    EXPECT_EQ(world_readable(dataset_dir()), std::vector<std::string>{}); // organisation-only stays private

    auto unknown = cxrcat({"fetch", "t1", "--group", "no-such-group-cxrcat"});
    EXPECT_EQ(unknown.exit_code, 2) << unknown.describe();
    EXPECT_THAT(unknown.err, HasSubstr("unknown group")) << unknown.describe();
}

TEST_F(SharedCluster, DoctorWarnsAboutAWorldReadablePrivateInstall) {
    write_private_catalog(serve_dataset(), "gated");
    ASSERT_EQ(cxrcat({"fetch", "t1", "--accept-terms"}).exit_code, 0);
    auto quiet = cxrcat({"doctor"});
    EXPECT_THAT(quiet.out, ::testing::Not(HasSubstr("readable by everyone"))) << quiet.describe();
    fs::permissions(installed("p/a.bin"), fs::perms::others_read, fs::perm_options::add);
    fs::permissions(dataset_dir(), fs::perms::others_read | fs::perms::others_exec, fs::perm_options::add);
    auto warned = cxrcat({"doctor"});
    EXPECT_THAT(warned.out, HasSubstr("t1: ")) << warned.describe();
    EXPECT_THAT(warned.out, HasSubstr("readable by everyone")) << warned.describe();
    EXPECT_THAT(warned.out, HasSubstr("chmod -R o-rwx")) << warned.describe();
}

TEST_F(SharedCluster, TooFewInodesIsRefusedBeforeAnyRequest) {
    if (::system("unshare -rm true >/dev/null 2>&1") != 0 && ::system("unshare -m true >/dev/null 2>&1") != 0) {
        GTEST_SKIP() << "cannot create a mount namespace here (unshare -rm) for a small tmpfs";
    }
    std::vector<CatalogFile> files;
    for (int i = 0; i < 30; ++i) {
        std::string name = "many/" + std::to_string(i) + ".txt";
        serve(name, name);
        files.push_back({name, nginx_url("files", name), name.size(), sha256_hex(name)});
    }
    write_catalog(files);
    fs::path mount = m_dir / "small";
    fs::create_directories(mount);
    // A tmpfs of 16 inodes in a private mount namespace, CXRCAT_HOME on it.
    std::string script = "mount -t tmpfs -o size=8m,nr_inodes=16 cxrcat-test " + mount.string() +
                         " && CXRCAT_HOME=" + mount.string() + "/home exec \"$@\"";
    std::vector<std::string> argv{"unshare", "-rm", "/bin/sh", "-c", script, "sh"};
    auto command = cxrcat_argv({"fetch", "t1", "--accept-terms"});
    argv.insert(argv.end(), command.begin(), command.end());
    auto result = run_process(argv, child_env({}), unset_vars());
    EXPECT_EQ(result.exit_code, 8) << result.describe();
    EXPECT_THAT(result.err, HasSubstr("not enough free inodes")) << result.describe();
    EXPECT_THAT(result.err, HasSubstr("need 30")) << result.describe();
    for (const auto& file : files) {
        EXPECT_EQ(access_log("/files/" + served_path(file.path)).size(), 0U) << file.path;
    }
}

} // namespace
} // namespace cxrcat::test
