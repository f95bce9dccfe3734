// SPDX-License-Identifier: Apache-2.0
#include "cxrcat/dataset_lock.hpp"

#include "cxrcat/dataset_state.hpp"

#include <array>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <system_error>
#include <unistd.h>

namespace cxrcat {

namespace {

std::string read_holder(int fd) {
    std::array<char, 512> buffer{};
    ssize_t got = ::pread(fd, buffer.data(), buffer.size() - 1, 0);
    std::string text = got > 0 ? std::string(buffer.data(), static_cast<std::size_t>(got)) : "";
    while (!text.empty() && (text.back() == '\n' || text.back() == '\0')) {
        text.pop_back();
    }
    return text.empty() ? "another cxrcat process" : text;
}

int lock_blocking(int fd) {
    int result = 0;
    do {
        result = ::flock(fd, LOCK_EX);
    } while (result != 0 && errno == EINTR);
    return result;
}

} // namespace

Result<DatasetLock> DatasetLock::acquire(const std::filesystem::path& dataset_dir,
                                         const std::string& holder_description,
                                         const std::function<void(const std::string&)>& on_wait) {
    std::filesystem::path directory = state_dir(dataset_dir);
    std::error_code ec;
    std::filesystem::create_directories(directory, ec);
    if (ec) {
        return Error(ErrorCode::local_io, "cannot create " + directory.string() + ": " + ec.message());
    }
    std::filesystem::path path = directory / "lock";
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
        return Error(ErrorCode::local_io,
                     "cannot open the lock " + path.string() + ": " + std::generic_category().message(errno));
    }
    DatasetLock lock(fd);
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        if (errno != EWOULDBLOCK) {
            return Error(ErrorCode::local_io,
                         "cannot lock " + path.string() + ": " + std::generic_category().message(errno));
        }
        if (on_wait) {
            on_wait(read_holder(fd));
        }
        if (lock_blocking(fd) != 0) {
            return Error(ErrorCode::local_io,
                         "cannot lock " + path.string() + ": " + std::generic_category().message(errno));
        }
    }
    // Say who holds it, for the next process that has to wait.
    std::string holder = "pid " + std::to_string(::getpid()) + ": " + holder_description + "\n";
    if (::ftruncate(fd, 0) == 0) {
        (void)::pwrite(fd, holder.data(), holder.size(), 0);
    }
    return lock;
}

DatasetLock::DatasetLock(DatasetLock&& other) noexcept : m_fd(std::exchange(other.m_fd, -1)) {}

DatasetLock& DatasetLock::operator=(DatasetLock&& other) noexcept {
    if (this != &other) {
        if (m_fd >= 0) {
            ::close(m_fd);
        }
        m_fd = std::exchange(other.m_fd, -1);
    }
    return *this;
}

DatasetLock::~DatasetLock() {
    if (m_fd >= 0) {
        ::close(m_fd); // closing releases the flock
    }
}

} // namespace cxrcat
