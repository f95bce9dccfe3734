// SPDX-License-Identifier: Apache-2.0
// Archives are built here with libarchive's writer, so every hostile shape is explicit in the test.
#include "cxrcat/archive/extract.hpp"
#include "cxrcat/base/digest.hpp"
#include "fetch/series_archive.hpp"
#include "support/files.hpp"
#include "support/temp_dir.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <utility>
#include <vector>

namespace cxrcat {
namespace {

// What a refusal by the ratio adds: the two ways to let an honest, very compressible archive through.
const std::string k_ratio_advice = "; if it is legitimately this compressible (sparse masks), declare its "
                                   "extracted_size in the catalog or rerun with --max-expansion RATIO";

namespace fs = std::filesystem;

constexpr std::size_t k_mib = std::size_t{1} << 20U;
constexpr std::size_t k_quarter_mib = k_mib / 4;

enum class Kind { file, directory, symlink, hardlink, char_device, fifo };
enum class Format { tar, tar_gz, zip, zip_stored };

struct EntrySpec {
    std::string path;
    Kind kind = Kind::file;
    std::string data; // file contents
    std::string link; // symlink or hardlink target
    unsigned perm = 0644;
};

EntrySpec file(std::string path, std::string data, unsigned perm = 0644) {
    return EntrySpec{std::move(path), Kind::file, std::move(data), {}, perm};
}
EntrySpec dir(std::string path) {
    return EntrySpec{std::move(path), Kind::directory, {}, {}, 0755};
}
EntrySpec symlink(std::string path, std::string target) {
    return EntrySpec{std::move(path), Kind::symlink, {}, std::move(target), 0777};
}
EntrySpec hardlink(std::string path, std::string target) {
    return EntrySpec{std::move(path), Kind::hardlink, {}, std::move(target), 0644};
}

std::string read_file(const fs::path& path) {
    return test::read_text_file(path);
}

void write_file(const fs::path& path, std::string_view content) {
    test::write_text_file(path, content);
}

struct WriterDeleter {
    void operator()(archive* handle) const noexcept { archive_write_free(handle); }
};
struct EntryDeleter {
    void operator()(archive_entry* entry) const noexcept { archive_entry_free(entry); }
};

// Builds an archive file with libarchive's writer; throws (failing the test) on any error.
class ArchiveBuilder {
  public:
    ArchiveBuilder(const fs::path& path, Format format) : m_handle(archive_write_new()) {
        if (!m_handle) {
            throw std::runtime_error("archive_write_new failed");
        }
        if (format == Format::zip || format == Format::zip_stored) {
            check(archive_write_set_format_zip(get()), "set zip");
            if (format == Format::zip_stored) {
                check(archive_write_set_format_option(get(), "zip", "compression", "store"), "zip store");
            }
        } else {
            check(archive_write_set_format_pax_restricted(get()), "set pax");
            if (format == Format::tar_gz) {
                check(archive_write_add_filter_gzip(get()), "gzip");
            }
        }
        check(archive_write_open_filename(get(), path.c_str()), "open");
    }
    ~ArchiveBuilder() = default;
    ArchiveBuilder(const ArchiveBuilder&) = delete;
    ArchiveBuilder& operator=(const ArchiveBuilder&) = delete;
    ArchiveBuilder(ArchiveBuilder&&) = delete;
    ArchiveBuilder& operator=(ArchiveBuilder&&) = delete;

    void add(const EntrySpec& spec) {
        std::unique_ptr<archive_entry, EntryDeleter> entry(archive_entry_new());
        archive_entry_set_pathname(entry.get(), spec.path.c_str());
        archive_entry_set_perm(entry.get(), static_cast<mode_t>(spec.perm));
        archive_entry_set_mtime(entry.get(), 1'700'000'000, 0);
        switch (spec.kind) {
        case Kind::file:
            archive_entry_set_filetype(entry.get(), AE_IFREG);
            archive_entry_set_size(entry.get(), static_cast<la_int64_t>(spec.data.size()));
            break;
        case Kind::directory: archive_entry_set_filetype(entry.get(), AE_IFDIR); break;
        case Kind::symlink:
            archive_entry_set_filetype(entry.get(), AE_IFLNK);
            archive_entry_set_symlink(entry.get(), spec.link.c_str());
            break;
        case Kind::hardlink:
            archive_entry_set_filetype(entry.get(), AE_IFREG);
            archive_entry_set_hardlink(entry.get(), spec.link.c_str());
            archive_entry_set_size(entry.get(), 0);
            break;
        case Kind::char_device:
            archive_entry_set_filetype(entry.get(), AE_IFCHR);
            archive_entry_set_rdevmajor(entry.get(), 1);
            archive_entry_set_rdevminor(entry.get(), 3);
            break;
        case Kind::fifo: archive_entry_set_filetype(entry.get(), AE_IFIFO); break;
        }
        // ARCHIVE_WARN: a non-ASCII name that the C locale cannot convert is stored as raw bytes.
        if (int rc = archive_write_header(get(), entry.get()); rc != ARCHIVE_WARN) {
            check(rc, "header");
        }
        if (spec.kind == Kind::file) {
            write(spec.data);
        }
    }

    // A regular file of size zero bytes, written 1 MiB at a time.
    void add_zeros(const std::string& path, std::uint64_t size) {
        std::unique_ptr<archive_entry, EntryDeleter> entry(archive_entry_new());
        archive_entry_set_pathname(entry.get(), path.c_str());
        archive_entry_set_filetype(entry.get(), AE_IFREG);
        archive_entry_set_perm(entry.get(), 0644);
        archive_entry_set_size(entry.get(), static_cast<la_int64_t>(size));
        check(archive_write_header(get(), entry.get()), "header");
        std::string zeros(k_mib, '\0');
        for (std::uint64_t left = size; left > 0;) {
            auto piece = static_cast<std::size_t>(std::min<std::uint64_t>(left, zeros.size()));
            write(std::string_view(zeros).substr(0, piece));
            left -= piece;
        }
    }

    // A sparse regular file of logical size, holding extents (offset, bytes) and holes elsewhere.
    void add_sparse(const std::string& path, std::uint64_t size,
                    const std::vector<std::pair<std::uint64_t, std::string>>& extents) {
        std::unique_ptr<archive_entry, EntryDeleter> entry(archive_entry_new());
        archive_entry_set_pathname(entry.get(), path.c_str());
        archive_entry_set_filetype(entry.get(), AE_IFREG);
        archive_entry_set_perm(entry.get(), 0644);
        archive_entry_set_size(entry.get(), static_cast<la_int64_t>(size));
        for (const auto& [offset, bytes] : extents) {
            archive_entry_sparse_add_entry(entry.get(), static_cast<la_int64_t>(offset),
                                           static_cast<la_int64_t>(bytes.size()));
        }
        check(archive_write_header(get(), entry.get()), "header");
        // The writer takes the whole logical content and drops the holes itself.
        std::string chunk;
        for (std::uint64_t at = 0; at < size;) {
            auto piece = static_cast<std::size_t>(std::min<std::uint64_t>(size - at, k_mib));
            chunk.assign(piece, '\0');
            for (const auto& [offset, bytes] : extents) {
                for (std::size_t i = 0; i < bytes.size(); ++i) {
                    if (offset + i >= at && offset + i < at + piece) {
                        chunk[static_cast<std::size_t>(offset + i - at)] = bytes[i];
                    }
                }
            }
            write(chunk);
            at += piece;
        }
    }

    void close() { check(archive_write_close(get()), "close"); }

  private:
    archive* get() const { return m_handle.get(); }
    void check(int rc, const char* what) const {
        if (rc != ARCHIVE_OK) {
            const char* text = archive_error_string(get());
            throw std::runtime_error(std::string("libarchive writer: ") + what + ": " + (text != nullptr ? text : "?"));
        }
    }
    void write(std::string_view data) {
        if (data.empty()) {
            return;
        }
        la_ssize_t n = archive_write_data(get(), data.data(), data.size());
        if (n < 0 || static_cast<std::size_t>(n) != data.size()) {
            check(ARCHIVE_FATAL, "data");
        }
    }

    std::unique_ptr<archive, WriterDeleter> m_handle;
};

void build_archive(const fs::path& path, Format format, const std::vector<EntrySpec>& specs) {
    ArchiveBuilder builder(path, format);
    for (const auto& spec : specs) {
        builder.add(spec);
    }
    builder.close();
}

// Every path below root, with what it is and holds; symlinks are not followed.
using Snapshot = std::map<std::string, std::string>;

Snapshot snapshot(const fs::path& root) {
    Snapshot out;
    if (!fs::exists(fs::symlink_status(root))) {
        return out;
    }
    for (const auto& item : fs::recursive_directory_iterator(root)) {
        std::string rel = fs::relative(item.path(), root).generic_string();
        auto status = item.symlink_status();
        if (fs::is_symlink(status)) {
            out[rel] = "symlink:" + fs::read_symlink(item.path()).string();
        } else if (fs::is_directory(status)) {
            out[rel] = "dir";
        } else if (fs::is_regular_file(status)) {
            out[rel] = "file:" + sha256_hex(read_file(item.path()));
        } else {
            out[rel] = "other";
        }
    }
    return out;
}

std::set<std::string> listing(const fs::path& dir) {
    std::set<std::string> names;
    for (const auto& item : fs::directory_iterator(dir)) {
        names.insert(item.path().filename().string());
    }
    return names;
}

unsigned mode_of(const fs::path& path) {
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0) {
        return 0;
    }
    return st.st_mode & 07777U;
}

ino_t inode_of(const fs::path& path) {
    struct stat st {};
    return ::lstat(path.c_str(), &st) == 0 ? st.st_ino : 0;
}

// The outcome of an extraction run in a child process under RLIMIT_FSIZE.
struct ChildOutcome {
    bool succeeded = false;
    int code = -1;
    std::string message;
    long rss_growth_kib = -1;
};

// Runs extract_archive in a forked child whose files may not exceed file_size_limit bytes
// (SIGXFSZ ignored there, so writes fail with EFBIG); reports back through a pipe.
ChildOutcome extract_in_child(const fs::path& archive_path, const fs::path& destination, const ExtractLimits& limits,
                              rlim_t file_size_limit) {
    std::array<int, 2> fds{};
    if (::pipe(fds.data()) != 0) {
        throw std::runtime_error("pipe failed");
    }
    pid_t pid = ::fork();
    if (pid < 0) {
        throw std::runtime_error("fork failed");
    }
    if (pid == 0) {
        ::close(fds[0]);
        if (std::signal(SIGXFSZ, SIG_IGN) == SIG_ERR) {
            ::_exit(4);
        }
        rlimit limit{file_size_limit, file_size_limit};
        rusage before{};
        rusage after{};
        std::string report;
        if (::setrlimit(RLIMIT_FSIZE, &limit) != 0 || ::getrusage(RUSAGE_SELF, &before) != 0) {
            report = "x\n-1\n-1\nsetup failed";
        } else {
            auto result = extract_archive(archive_path, destination, limits);
            ::getrusage(RUSAGE_SELF, &after);
            report = std::string(result ? "ok" : "error") + "\n" +
                     std::to_string(result ? 0 : static_cast<int>(result.error().code())) + "\n" +
                     std::to_string(after.ru_maxrss - before.ru_maxrss) + "\n" +
                     (result ? std::string() : result.error().message());
        }
        std::size_t sent = 0;
        while (sent < report.size()) {
            ssize_t n = ::write(fds[1], report.data() + sent, report.size() - sent);
            if (n <= 0) {
                ::_exit(3);
            }
            sent += static_cast<std::size_t>(n);
        }
        ::_exit(0);
    }
    ::close(fds[1]);
    std::string report;
    std::array<char, 4096> buffer{};
    for (;;) {
        ssize_t n = ::read(fds[0], buffer.data(), buffer.size());
        if (n <= 0) {
            break;
        }
        report.append(buffer.data(), static_cast<std::size_t>(n));
    }
    ::close(fds[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        throw std::runtime_error("extraction child failed, status " + std::to_string(status));
    }
    ChildOutcome outcome;
    std::istringstream in(report);
    std::string verdict;
    std::string code;
    std::string growth;
    std::getline(in, verdict);
    std::getline(in, code);
    std::getline(in, growth);
    std::getline(in, outcome.message, '\0');
    outcome.succeeded = verdict == "ok";
    outcome.code = std::stoi(code);
    outcome.rss_growth_kib = std::stol(growth);
    return outcome;
}

class ExtractTest : public ::testing::Test {
  protected:
    void SetUp() override {
        m_root = m_temp.path();
        fs::create_directories(m_root / "archives");
        fs::create_directories(m_root / "work");
        m_dest = m_root / "work" / "dest";
    }

    fs::path archive(const std::string& name) const { return m_root / "archives" / name; }

    // Extracts an archive that must be refused with exactly message, twice: into a destination
    // that does not exist yet (it must not appear) and into one with content (it must not change).
    // Either way nothing else in the test's tree may change: no file outside destination, no
    // partial content, no staging directory left behind.
    void expect_refused(const fs::path& archive_path, const std::string& message, ErrorCode code = ErrorCode::integrity,
                        const ExtractLimits& limits = {}) {
        for (bool existing : {false, true}) {
            SCOPED_TRACE(existing ? "existing destination" : "new destination");
            std::error_code ignored;
            fs::remove_all(m_dest, ignored);
            if (existing) {
                write_file(m_dest / "already-here.txt", "keep me\n");
                write_file(m_dest / "good.txt", "old good\n");
            }
            Snapshot before = snapshot(m_root);
            auto work_before = listing(m_root / "work");

            auto result = extract_archive(archive_path, m_dest, limits);

            ASSERT_FALSE(result.has_value());
            EXPECT_EQ(result.error().code(), code);
            EXPECT_EQ(result.error().message(), message);
            EXPECT_EQ(listing(m_root / "work"), work_before) << "a staging directory was left behind";
            EXPECT_EQ(snapshot(m_root), before) << "something changed on disk";
            EXPECT_EQ(fs::exists(m_dest), existing);
        }
    }

    test::TempDir m_temp;
    fs::path m_root;
    fs::path m_dest;
};

// ---- archives that must extract ---------------------------------------------------------------

TEST_F(ExtractTest, TarGzWithNestedDirectoriesExtractsContentsSizesAndDigests) {
    const std::string big = test::seeded_bytes(3 * k_mib + 12345, 1); // several 1 MiB write buffers
    const std::string png = std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16) + test::seeded_bytes(5000, 2);
    const std::vector<EntrySpec> specs = {
        dir("images/"),
        dir("images/train/"),
        file("images/train/a.png", png),
        file("images/train/b.png", "bbbb"),
        file("images/test/c.bin", big), // its directory has no entry of its own
        file("readme.txt", "hello\n"),
        file("empty.txt", ""),
        file("scripts/run.sh", "#!/bin/sh\necho hi\n", 04755), // setuid must not survive
        file("private.txt", "secret-ish\n", 0600),             // nor narrower modes
        file("deep/x/y/z/leaf.txt", "leaf"),
        file("./dot/slash//name.txt", "normalised"),
        symlink("images/latest", "train/a.png"),
        symlink("images/train/up", "../test/c.bin"),
        hardlink("readme-copy.txt", "readme.txt"),
        file("donn\xc3\xa9"
             "es/r\xc3\xa9sum\xc3\xa9.txt",
             "utf-8 name"),
    };
    build_archive(archive("images.tar.gz"), Format::tar_gz, specs);

    auto result = extract_archive(archive("images.tar.gz"), m_dest);

    ASSERT_TRUE(result.has_value()) << result.error().message();
    std::vector<ExtractedFile> expected = {
        {"deep/x/y/z/leaf.txt", 4, sha256_hex("leaf")},
        {"donn\xc3\xa9"
         "es/r\xc3\xa9sum\xc3\xa9.txt",
         10, sha256_hex("utf-8 name")},
        {"dot/slash/name.txt", 10, sha256_hex("normalised")},
        {"empty.txt", 0, sha256_hex("")},
        {"images/test/c.bin", big.size(), sha256_hex(big)},
        {"images/train/a.png", png.size(), sha256_hex(png)},
        {"images/train/b.png", 4, sha256_hex("bbbb")},
        {"private.txt", 11, sha256_hex("secret-ish\n")},
        {"readme-copy.txt", 6, sha256_hex("hello\n")},
        {"readme.txt", 6, sha256_hex("hello\n")},
        {"scripts/run.sh", 18, sha256_hex("#!/bin/sh\necho hi\n")},
    };
    ASSERT_EQ(result->size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        SCOPED_TRACE(expected[i].path);
        EXPECT_EQ((*result)[i].path, expected[i].path);
        EXPECT_EQ((*result)[i].size, expected[i].size);
        EXPECT_EQ((*result)[i].sha256, expected[i].sha256);
        EXPECT_EQ(sha256_hex(read_file(m_dest / expected[i].path)), expected[i].sha256);
        EXPECT_EQ(fs::file_size(m_dest / expected[i].path), expected[i].size);
    }
    EXPECT_EQ(read_file(m_dest / "images/test/c.bin"), big);
    EXPECT_EQ(mode_of(m_dest / "scripts/run.sh"), 0755U);
    EXPECT_EQ(mode_of(m_dest / "private.txt"), 0644U);
    EXPECT_EQ(mode_of(m_dest / "readme.txt"), 0644U);
    EXPECT_EQ(mode_of(m_dest), 0755U);
    EXPECT_EQ(mode_of(m_dest / "images/test"), 0755U);
    EXPECT_EQ(mode_of(m_dest / "deep/x/y"), 0755U);
    EXPECT_EQ(fs::read_symlink(m_dest / "images/latest"), "train/a.png");
    EXPECT_EQ(read_file(m_dest / "images/train/up"), big);
    EXPECT_EQ(inode_of(m_dest / "readme-copy.txt"), inode_of(m_dest / "readme.txt"));
    EXPECT_EQ(listing(m_root / "work"), std::set<std::string>{"dest"}) << "staging left behind";
}

TEST_F(ExtractTest, ZipExtracts) {
    const std::string data = test::seeded_bytes(2 * k_mib, 3);
    build_archive(archive("subset0.zip"), Format::zip,
                  {dir("subset0/"), file("subset0/1.mhd", "ObjectType = Image\n"), file("subset0/1.raw", data),
                   file("subset0/tools/convert", "#!/bin/sh\n", 0755), symlink("subset0/current.raw", "1.raw")});

    auto result = extract_archive(archive("subset0.zip"), m_dest);

    ASSERT_TRUE(result.has_value()) << result.error().message();
    ASSERT_EQ(result->size(), 3U);
    EXPECT_EQ((*result)[0].path, "subset0/1.mhd");
    EXPECT_EQ((*result)[1].path, "subset0/1.raw");
    EXPECT_EQ((*result)[1].size, data.size());
    EXPECT_EQ((*result)[1].sha256, sha256_hex(data));
    EXPECT_EQ((*result)[2].path, "subset0/tools/convert");
    EXPECT_EQ(read_file(m_dest / "subset0/1.raw"), data);
    EXPECT_EQ(read_file(m_dest / "subset0/1.mhd"), "ObjectType = Image\n");
    EXPECT_EQ(mode_of(m_dest / "subset0/tools/convert"), 0755U);
    EXPECT_EQ(fs::read_symlink(m_dest / "subset0/current.raw"), "1.raw");
    EXPECT_EQ(listing(m_root / "work"), std::set<std::string>{"dest"});
}

TEST_F(ExtractTest, ExistingDestinationFilesAreReplacedByRename) {
    write_file(m_dest / "a.txt", "old a\n");
    write_file(m_dest / "keep.txt", "not in the archive\n");
    write_file(m_dest / "sub/b.txt", "old b\n");
    std::ifstream old_a(m_dest / "a.txt", std::ios::binary); // still sees the old inode afterwards
    ino_t old_inode = inode_of(m_dest / "a.txt");
    build_archive(archive("update.tar"), Format::tar,
                  {file("a.txt", "new a\n"), file("sub/b.txt", "new b\n"), file("sub/c.txt", "new c\n"),
                   file("fresh/d.txt", "new d\n")});

    auto result = extract_archive(archive("update.tar"), m_dest);

    ASSERT_TRUE(result.has_value()) << result.error().message();
    ASSERT_EQ(result->size(), 4U);
    EXPECT_EQ(read_file(m_dest / "a.txt"), "new a\n");
    EXPECT_EQ(read_file(m_dest / "sub/b.txt"), "new b\n");
    EXPECT_EQ(read_file(m_dest / "sub/c.txt"), "new c\n");
    EXPECT_EQ(read_file(m_dest / "fresh/d.txt"), "new d\n");
    EXPECT_EQ(read_file(m_dest / "keep.txt"), "not in the archive\n");
    EXPECT_NE(inode_of(m_dest / "a.txt"), old_inode);
    std::ostringstream seen;
    seen << old_a.rdbuf();
    EXPECT_EQ(seen.str(), "old a\n");
    EXPECT_EQ(listing(m_root / "work"), std::set<std::string>{"dest"});
}

TEST_F(ExtractTest, LaterDuplicateEntryWins) {
    build_archive(archive("dup.tar"), Format::tar,
                  {file("a.txt", "first"), hardlink("b.txt", "a.txt"), file("a.txt", "second")});

    auto result = extract_archive(archive("dup.tar"), m_dest);

    ASSERT_TRUE(result.has_value()) << result.error().message();
    ASSERT_EQ(result->size(), 2U);
    EXPECT_EQ((*result)[0].sha256, sha256_hex("second"));
    EXPECT_EQ((*result)[1].sha256, sha256_hex("first")); // b.txt kept the first inode
    EXPECT_EQ(read_file(m_dest / "a.txt"), "second");
    EXPECT_EQ(read_file(m_dest / "b.txt"), "first");
}

TEST_F(ExtractTest, SparseFileHolesBecomeZeros) {
    const std::uint64_t size = 5 * std::uint64_t{k_mib} + 1000; // ends in a hole
    const std::string head = test::seeded_bytes(4096, 10);
    const std::string middle = test::seeded_bytes(8192, 11);
    {
        ArchiveBuilder builder(archive("sparse.tar"), Format::tar);
        builder.add_sparse("disk.img", size, {{0, head}, {3 * std::uint64_t{k_mib}, middle}});
        builder.close();
    }
    ASSERT_LT(fs::file_size(archive("sparse.tar")), std::uintmax_t{k_mib}) << "the writer did not store holes";
    std::string expected(size, '\0');
    expected.replace(0, head.size(), head);
    expected.replace(3 * k_mib, middle.size(), middle);

    ExtractLimits limits;
    limits.max_ratio = 1000.0; // holes are output too: 5 MiB from a few KiB of archive
    auto result = extract_archive(archive("sparse.tar"), m_dest, limits);

    ASSERT_TRUE(result.has_value()) << result.error().message();
    ASSERT_EQ(result->size(), 1U);
    EXPECT_EQ((*result)[0].size, size);
    EXPECT_EQ((*result)[0].sha256, sha256_hex(expected));
    EXPECT_TRUE(read_file(m_dest / "disk.img") == expected);
}

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

TEST_F(ExtractTest, RefusesCompressionBombWhileStreaming) {
    const std::uint64_t bomb_size = 200 * std::uint64_t{k_mib};
    {
        ArchiveBuilder builder(archive("bomb.tar.gz"), Format::tar_gz);
        builder.add(file("good.txt", "good"));
        builder.add_zeros("zeros.bin", bomb_size);
        builder.close();
    }
    const auto archive_size = fs::file_size(archive("bomb.tar.gz"));
    ASSERT_LT(archive_size * 100, bomb_size) << "the archive must compress well enough to be a bomb";
    write_file(m_dest / "already-here.txt", "keep me\n");
    Snapshot before = snapshot(m_root);

    // 64 MiB per file is far above the 100x budget and far below the bomb: had the whole entry
    // been written first, the child would fail with a write error instead of a refusal.
    auto outcome = extract_in_child(archive("bomb.tar.gz"), m_dest, ExtractLimits{}, 64 * k_mib);

    ASSERT_FALSE(outcome.succeeded);
    EXPECT_EQ(outcome.code, static_cast<int>(ErrorCode::integrity));
    EXPECT_EQ(outcome.message, "refusing to extract bomb.tar.gz: output exceeds " + std::to_string(archive_size * 100) +
                                   " bytes (100 times the archive's " + std::to_string(archive_size) +
                                   " bytes) at entry 'zeros.bin'; it looks like a compression bomb" + k_ratio_advice);
    EXPECT_LT(outcome.rss_growth_kib, 64 * 1024) << "extraction must stream, not buffer";
    EXPECT_EQ(snapshot(m_root), before);
    EXPECT_EQ(listing(m_root / "work"), std::set<std::string>{"dest"});
}

TEST_F(ExtractTest, RefusesSparseFileWhoseHolesExceedTheBudget) {
    {
        ArchiveBuilder builder(archive("holes.tar"), Format::tar);
        builder.add(file("good.txt", "good"));
        builder.add_sparse("holes.img", 60 * std::uint64_t{k_mib}, {{0, test::seeded_bytes(4096, 12)}});
        builder.close();
    }
    const auto archive_size = fs::file_size(archive("holes.tar"));
    ASSERT_LT(archive_size * 100, 60 * std::uint64_t{k_mib});
    expect_refused(archive("holes.tar"),
                   "refusing to extract holes.tar: output exceeds " + std::to_string(archive_size * 100) +
                       " bytes (100 times the archive's " + std::to_string(archive_size) +
                       " bytes) at entry 'holes.img'; it looks like a compression bomb" + k_ratio_advice);
}

// Sparse masks pass the ratio honestly: a declared extracted size holds the output to that size
// (plus 1% and 1 MiB) instead.
TEST_F(ExtractTest, DeclaredExtractedSizeReplacesTheRatio) {
    {
        ArchiveBuilder builder(archive("mask.tar"), Format::tar);
        builder.add_sparse("mask.img", 60 * std::uint64_t{k_mib}, {{0, test::seeded_bytes(4096, 13)}});
        builder.close();
    }
    ExtractLimits limits;
    limits.declared_output_bytes = 60 * std::uint64_t{k_mib};
    auto result = extract_archive(archive("mask.tar"), m_dest, limits);
    ASSERT_TRUE(result) << result.error().message();
    EXPECT_EQ(fs::file_size(m_dest / "mask.img"), 60 * std::uint64_t{k_mib});

    limits.declared_output_bytes = 8 * std::uint64_t{k_mib};
    std::uint64_t allowed = declared_output_allowance(8 * std::uint64_t{k_mib});
    EXPECT_EQ(allowed, 8 * std::uint64_t{k_mib} + 8 * std::uint64_t{k_mib} / 100 + k_mib);
    expect_refused(archive("mask.tar"),
                   "refusing to extract mask.tar: output exceeds " + std::to_string(allowed) +
                       " bytes (the declared extracted size of " + std::to_string(8 * std::uint64_t{k_mib}) +
                       " bytes plus a margin) at entry 'mask.img'; it looks like a compression bomb",
                   ErrorCode::integrity, limits);
}

TEST_F(ExtractTest, RefusesOutputBeyondTheAbsoluteCap) {
    build_archive(archive("three.tar"), Format::tar,
                  {file("a.txt", std::string(1000, 'a')), file("b.txt", std::string(1000, 'b')),
                   file("c.txt", std::string(1000, 'c'))});
    ExtractLimits limits;
    limits.max_output_bytes = 2500;
    expect_refused(archive("three.tar"),
                   "refusing to extract three.tar: output exceeds 2500 bytes (the output limit) at entry 'c.txt'; "
                   "it looks like a compression bomb",
                   ErrorCode::integrity, limits);
}

TEST_F(ExtractTest, RefusesTooManyEntries) {
    build_archive(archive("many.tar"), Format::tar,
                  {file("1", "1"), file("2", "2"), file("3", "3"), file("4", "4"), file("5", "5")});
    ExtractLimits limits;
    limits.max_entries = 4;
    expect_refused(archive("many.tar"), "refusing to extract many.tar: it has more than 4 entries",
                   ErrorCode::integrity, limits);
}

TEST_F(ExtractTest, RefusesTruncatedArchive) {
    build_archive(archive("cut.tar.gz"), Format::tar_gz,
                  {file("a.bin", test::seeded_bytes(k_quarter_mib, 4)),
                   file("b.bin", test::seeded_bytes(k_quarter_mib, 5)),
                   file("c.bin", test::seeded_bytes(k_quarter_mib, 6))});
    fs::resize_file(archive("cut.tar.gz"), fs::file_size(archive("cut.tar.gz")) / 2);

    auto result = extract_archive(archive("cut.tar.gz"), m_dest);

    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().code(), ErrorCode::integrity);
    EXPECT_TRUE(result.error().message().starts_with("cannot extract cut.tar.gz: ")) << result.error().message();
    EXPECT_FALSE(fs::exists(m_dest));
    EXPECT_EQ(listing(m_root / "work"), std::set<std::string>{});
}

TEST_F(ExtractTest, RefusesTruncatedArchiveLeavingExistingDestinationUntouched) {
    build_archive(
        archive("cut.tar.gz"), Format::tar_gz,
        {file("good.txt", test::seeded_bytes(k_quarter_mib, 7)), file("b.bin", test::seeded_bytes(k_quarter_mib, 8))});
    fs::resize_file(archive("cut.tar.gz"), fs::file_size(archive("cut.tar.gz")) / 2);
    write_file(m_dest / "good.txt", "old good\n");
    Snapshot before = snapshot(m_root);

    auto result = extract_archive(archive("cut.tar.gz"), m_dest);

    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().code(), ErrorCode::integrity);
    EXPECT_EQ(snapshot(m_root), before);
}

TEST_F(ExtractTest, RefusesZipWithBadCrc) {
    const std::string data = "0123456789abcdef0123456789abcdef";
    build_archive(archive("crc.zip"), Format::zip_stored, {file("good.txt", "good"), file("data.txt", data)});
    std::string bytes = read_file(archive("crc.zip"));
    auto at = bytes.find(data);
    ASSERT_NE(at, std::string::npos);
    bytes[at] = 'X';
    write_file(archive("crc.zip"), bytes);

    auto result = extract_archive(archive("crc.zip"), m_dest);

    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().code(), ErrorCode::integrity);
    EXPECT_TRUE(result.error().message().starts_with("cannot extract crc.zip: entry 'data.txt': ZIP bad CRC"))
        << result.error().message();
    EXPECT_FALSE(fs::exists(m_dest));
    EXPECT_EQ(listing(m_root / "work"), std::set<std::string>{});
}

TEST_F(ExtractTest, RefusesSomethingThatIsNotAnArchive) {
    write_file(archive("login.zip"), "<!doctype html><html><body>Please log in</body></html>\n");
    auto result = extract_archive(archive("login.zip"), m_dest);
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().code(), ErrorCode::integrity);
    EXPECT_EQ(result.error().message(), "cannot extract login.zip: unrecognized archive format");
    EXPECT_EQ(listing(m_root / "work"), std::set<std::string>{});
}

// ---- local failures ---------------------------------------------------------------------------

TEST_F(ExtractTest, FileSizeLimitIsALocalIoErrorAndLeavesNothing) {
    build_archive(archive("big.tar"), Format::tar,
                  {file("small.txt", "small"), file("big.bin", test::seeded_bytes(3 * k_mib, 9))});
    write_file(m_dest / "already-here.txt", "keep me\n");
    Snapshot before = snapshot(m_root);

    auto outcome = extract_in_child(archive("big.tar"), m_dest, ExtractLimits{}, k_mib);

    ASSERT_FALSE(outcome.succeeded);
    EXPECT_EQ(outcome.code, static_cast<int>(ErrorCode::local_io));
    EXPECT_TRUE(outcome.message.starts_with("cannot write " + (m_root / "work").string() + "/.dest.extract-"))
        << outcome.message;
    EXPECT_TRUE(outcome.message.ends_with("/big.bin: file too large (file size limit exceeded)")) << outcome.message;
    EXPECT_EQ(snapshot(m_root), before);
    EXPECT_EQ(listing(m_root / "work"), std::set<std::string>{"dest"});
}

TEST_F(ExtractTest, MissingArchiveIsALocalIoError) {
    auto result = extract_archive(archive("absent.tar.gz"), m_dest);
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().code(), ErrorCode::local_io);
    EXPECT_EQ(result.error().message(),
              "cannot read archive " + archive("absent.tar.gz").string() + ": no such file or directory");
    EXPECT_EQ(listing(m_root / "work"), std::set<std::string>{});
}

TEST_F(ExtractTest, DestinationThatIsAFileIsALocalIoError) {
    build_archive(archive("ok.tar"), Format::tar, {file("a.txt", "a")});
    write_file(m_dest, "I am a file\n");
    auto result = extract_archive(archive("ok.tar"), m_dest);
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().code(), ErrorCode::local_io);
    EXPECT_EQ(result.error().message(), "cannot extract into " + m_dest.string() + ": not a directory");
    EXPECT_EQ(listing(m_root / "work"), std::set<std::string>{"dest"});
}

TEST_F(ExtractTest, DirectoryInTheWayOfAFileIsRefusedBeforeAnythingMoves) {
    fs::create_directories(m_dest / "b.txt");
    build_archive(archive("clash.tar"), Format::tar, {file("a.txt", "a"), file("b.txt", "b")});
    Snapshot before = snapshot(m_root);

    auto result = extract_archive(archive("clash.tar"), m_dest);

    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().code(), ErrorCode::local_io);
    EXPECT_EQ(result.error().message(), "cannot install clash.tar: " + (m_dest / "b.txt").string() +
                                            " is a directory, the archive has a file there");
    EXPECT_EQ(snapshot(m_root), before);
}

// The vet hook sees every staged file (with its MD5 when asked) before anything is published.
TEST_F(ExtractTest, VetSeesStagedFilesWithMd5AndPublishesOnlyWhenItAgrees) {
    build_archive(archive("series.zip"), Format::zip,
                  {file("00000001.dcm", "first image"), file("00000002.dcm", "second image")});
    ExtractLimits limits;
    limits.member_md5 = true;
    std::vector<std::string> seen;
    limits.vet = [&](const fs::path& staging, const std::vector<ExtractedFile>& files) -> Result<void> {
        EXPECT_FALSE(fs::exists(m_dest)); // nothing published yet
        for (const auto& f : files) {
            EXPECT_EQ(read_file(staging / f.path).size(), f.size);
            seen.push_back(f.path + " " + f.md5);
        }
        return {};
    };
    auto result = extract_archive(archive("series.zip"), m_dest, limits);
    ASSERT_TRUE(result) << result.error().message();
    EXPECT_EQ(seen, (std::vector<std::string>{"00000001.dcm 4267fc8d1f686c805196d298e5f9c733",
                                              "00000002.dcm bded49eea5c99cc4c0b51e8748d9e110"}));
    EXPECT_EQ(read_file(m_dest / "00000002.dcm"), "second image");
}

// A series zip whose member does not match md5hashes.csv installs nothing (NBIA getImageWithMD5Hash).
TEST_F(ExtractTest, ASeriesZipWithAWrongMemberIsRefusedWhole) {
    std::string list = "Filename,MD5Hash\n00000002.dcm," + std::string(32, '0') + "\n00000001.dcm," +
                       "4267fc8d1f686c805196d298e5f9c733\n";
    build_archive(
        archive("bad.zip"), Format::zip,
        {file("00000001.dcm", "first image"), file("00000002.dcm", "second image"), file("md5hashes.csv", list)});
    ExtractLimits limits;
    limits.member_md5 = true;
    limits.vet = [](const fs::path& staging, const std::vector<ExtractedFile>& files) {
        return check_series_members("md5hashes.csv", staging, files, "1.2.3");
    };
    expect_refused(archive("bad.zip"), "1.2.3: member 00000002.dcm: md5 mismatch", ErrorCode::integrity, limits);

    build_archive(archive("extra.zip"), Format::zip,
                  {file("00000001.dcm", "first image"), file("stray.dcm", "x"),
                   file("md5hashes.csv", "Filename,MD5Hash\n00000001.dcm,4267fc8d1f686c805196d298e5f9c733\n")});
    expect_refused(archive("extra.zip"), "1.2.3: member stray.dcm is not listed in md5hashes.csv", ErrorCode::integrity,
                   limits);

    build_archive(archive("short.zip"), Format::zip,
                  {file("LICENSE", "CC BY 3.0\n"),
                   file("md5hashes.csv", "Filename,MD5Hash\n00000001.dcm,4267fc8d1f686c805196d298e5f9c733\n")});
    expect_refused(archive("short.zip"), "1.2.3: md5hashes.csv lists 00000001.dcm, which the series zip does not hold",
                   ErrorCode::integrity, limits);

    build_archive(archive("empty.zip"), Format::zip, {file("md5hashes.csv", "Filename,MD5Hash\n")});
    expect_refused(archive("empty.zip"),
                   "1.2.3: md5hashes.csv lists no files: the server has no images for this series",
                   ErrorCode::integrity, limits);
}

} // namespace
} // namespace cxrcat
