// SPDX-License-Identifier: Apache-2.0
#include "cxrcat/files/atomic_file.hpp"

#include "cxrcat/files/install_mode.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <string>
#include <sys/stat.h>
#include <system_error>
#include <unistd.h>

namespace cxrcat {

namespace {

Error io_error(const std::string& what, const std::filesystem::path& path, int error_number) {
    return {ErrorCode::local_io, what + " " + path.string() + ": " + std::generic_category().message(error_number)};
}

// Closes a descriptor on every path out of write_file_atomically.
class FdCloser {
  public:
    explicit FdCloser(int fd) : m_fd(fd) {}
    ~FdCloser() {
        if (m_fd >= 0) {
            ::close(m_fd);
        }
    }
    FdCloser(const FdCloser&) = delete;
    FdCloser& operator=(const FdCloser&) = delete;
    FdCloser(FdCloser&&) = delete;
    FdCloser& operator=(FdCloser&&) = delete;
    // Closes now and reports close()'s own failure (it can reveal a lost write on NFS).
    int close_now() {
        int result = ::close(m_fd);
        m_fd = -1;
        return result;
    }

  private:
    int m_fd;
};

} // namespace

namespace {

Result<void> write_and_rename(const std::filesystem::path& path, std::string_view content, bool flush) {
    std::error_code ec;
    std::filesystem::create_directories(path.parent_path(), ec);
    if (ec) {
        return Error(ErrorCode::local_io,
                     "cannot create directory " + path.parent_path().string() + ": " + ec.message());
    }
    std::string temp = path.string() + ".tmp-XXXXXX";
    int fd = ::mkstemp(temp.data());
    if (fd < 0) {
        return io_error("cannot create a temporary file beside", path, errno);
    }
    FdCloser closer(fd);
    auto fail = [&](const std::string& what) {
        int saved = errno;
        ::unlink(temp.c_str());
        return io_error(what, path, saved);
    };
    std::size_t written = 0;
    while (written < content.size()) {
        ssize_t n = ::write(fd, content.data() + written, content.size() - written);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return fail("cannot write");
        }
        written += static_cast<std::size_t>(n);
    }
    if (::fchmod(fd, install_mode(0644)) != 0 || (flush && ::fsync(fd) != 0)) {
        return fail("cannot flush");
    }
    if (closer.close_now() != 0) {
        return fail("cannot close");
    }
    if (::rename(temp.c_str(), path.c_str()) != 0) {
        return fail("cannot rename into place");
    }
    return {};
}

} // namespace

Result<void> write_file_atomically(const std::filesystem::path& path, std::string_view content) {
    return write_and_rename(path, content, true);
}

Result<void> replace_file_without_flush(const std::filesystem::path& path, std::string_view content) {
    return write_and_rename(path, content, false);
}

} // namespace cxrcat
