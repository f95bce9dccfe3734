// SPDX-License-Identifier: Apache-2.0
// HashingWriter's first-write task: the resume record of a download is written off the network
// thread, and always before any byte it describes.
#include "hashing_writer.hpp"
#include "support/files.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <string>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

namespace cxrcat {
namespace {

struct OpenFile {
    explicit OpenFile(const std::filesystem::path& path) : fd(::open(path.c_str(), O_RDWR | O_CREAT, 0600)) {}
    OpenFile(const OpenFile&) = delete;
    OpenFile& operator=(const OpenFile&) = delete;
    OpenFile(OpenFile&&) = delete;
    OpenFile& operator=(OpenFile&&) = delete;
    ~OpenFile() { ::close(fd); }
    [[nodiscard]] off_t size() const {
        struct stat status {};
        return ::fstat(fd, &status) == 0 ? status.st_size : -1;
    }
    int fd;
};

TEST(HashingWriterFirstWrite, RunsOnTheWorkerBeforeTheFirstByteAndOnlyOnce) {
    test::TempDir dir;
    auto path = dir.path() / "data.part";
    OpenFile file(path);
    ASSERT_GE(file.fd, 0);
    std::string content(3 << 20, 'x');

    int runs = 0;
    off_t size_seen = -1;
    std::thread::id ran_on;
    HashingWriter writer(file.fd, path, 0, {DigestAlgorithm::sha256});
    writer.write_first([&]() -> Result<void> {
        ++runs;
        size_seen = file.size();
        ran_on = std::this_thread::get_id();
        return {};
    });
    ASSERT_TRUE(writer.append(content.data(), content.size()));
    ASSERT_TRUE(writer.finish().has_value());

    EXPECT_EQ(runs, 1);
    EXPECT_EQ(size_seen, 0) << "bytes were written before the first-write task ran";
    EXPECT_NE(ran_on, std::this_thread::get_id()) << "the task ran on the caller's thread";
    EXPECT_EQ(test::read_text_file(path), content);
    EXPECT_EQ(writer.digests().at(DigestAlgorithm::sha256), sha256_hex(content));
}

TEST(HashingWriterFirstWrite, ItsFailureFailsTheWriterAndNoByteIsWritten) {
    test::TempDir dir;
    auto path = dir.path() / "data.part";
    OpenFile file(path);
    ASSERT_GE(file.fd, 0);
    std::string content(1 << 20, 'y');

    HashingWriter writer(file.fd, path, 0, {DigestAlgorithm::sha256});
    writer.write_first([]() -> Result<void> { return Error(ErrorCode::local_io, "cannot write the resume record"); });
    (void)writer.append(content.data(), content.size());
    auto closed = writer.close();
    ASSERT_FALSE(closed.has_value());
    EXPECT_NE(closed.error().message().find("resume record"), std::string::npos) << closed.error().message();
    EXPECT_EQ(file.size(), 0);
}

} // namespace
} // namespace cxrcat
