// SPDX-License-Identifier: Apache-2.0
#include "verify/file_hash.hpp"

#include "files/part_file.hpp"

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace cxrcat {

namespace {

// Closes the descriptor when the hashing ends, whichever way.
class OpenFile {
  public:
    explicit OpenFile(const std::filesystem::path& path) : m_fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC)) {}
    OpenFile(const OpenFile&) = delete;
    OpenFile& operator=(const OpenFile&) = delete;
    ~OpenFile() {
        if (m_fd >= 0) {
            ::close(m_fd);
        }
    }
    [[nodiscard]] int fd() const { return m_fd; }

  private:
    int m_fd;
};

// read(2) retried on EINTR: the count, 0 at the end, -1 with errno set.
ssize_t read_some(int fd, void* into, std::size_t size) {
    while (true) {
        ssize_t got = ::read(fd, into, size);
        if (got >= 0 || errno != EINTR) {
            return got;
        }
    }
}

struct Hashers {
    explicit Hashers(const std::vector<DigestAlgorithm>& algorithms) {
        for (auto algorithm : algorithms) {
            list.emplace_back(algorithm);
        }
    }
    void update(std::span<const std::byte> bytes) {
        for (auto& hasher : list) {
            hasher.update(bytes);
        }
    }
    void finish(FileDigests& into) {
        for (auto& hasher : list) {
            into.digests[hasher.algorithm()] = hasher.finish_hex();
        }
    }
    std::vector<Hasher> list;
};

// Reads the rest of fd through a 1 MiB buffer into the hashers.
Result<void> hash_stream(int fd, const std::filesystem::path& path, Hashers& hashers, FileDigests& result) {
    (void)::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    constexpr std::size_t k_buffer_size = 1U << 20;
    std::vector<std::byte> buffer(k_buffer_size);
    while (true) {
        ssize_t got = read_some(fd, buffer.data(), buffer.size());
        if (got < 0) {
            return file_error("cannot read", path, errno);
        }
        if (got == 0) {
            return {};
        }
        hashers.update(std::span(buffer.data(), static_cast<std::size_t>(got)));
        result.size += static_cast<std::uint64_t>(got);
    }
}

// Reads all of fd into bytes (grown as needed, should the file be longer than its stat said).
Result<void> read_whole(int fd, const std::filesystem::path& path, std::uint64_t expected,
                        std::vector<std::byte>& bytes) {
    bytes.resize(static_cast<std::size_t>(expected) + 1); // one byte more to see the end in the same call
    std::size_t have = 0;
    while (true) {
        if (have == bytes.size()) {
            bytes.resize(bytes.size() * 2);
        }
        ssize_t got = read_some(fd, bytes.data() + have, bytes.size() - have);
        if (got < 0) {
            return file_error("cannot read", path, errno);
        }
        if (got == 0) {
            bytes.resize(have);
            return {};
        }
        have += static_cast<std::size_t>(got);
    }
}

} // namespace

Result<FileDigests> hash_file(const std::filesystem::path& path, const std::vector<DigestAlgorithm>& algorithms) {
    std::vector<std::byte> unused;
    return hash_file(path, algorithms, unused, 0);
}

Result<FileDigests> hash_file(const std::filesystem::path& path, const std::vector<DigestAlgorithm>& algorithms,
                              std::vector<std::byte>& bytes, std::uint64_t keep_up_to) {
    bytes.clear();
    OpenFile file(path);
    if (file.fd() < 0) {
        return file_error("cannot open", path, errno);
    }
    Hashers hashers(algorithms);
    FileDigests result;
    struct stat status {};
    bool keep =
        keep_up_to > 0 && ::fstat(file.fd(), &status) == 0 && static_cast<std::uint64_t>(status.st_size) <= keep_up_to;
    if (keep) {
        if (auto read = read_whole(file.fd(), path, static_cast<std::uint64_t>(status.st_size), bytes); !read) {
            return read.error();
        }
        hashers.update(bytes);
        result.size = bytes.size();
    } else if (auto streamed = hash_stream(file.fd(), path, hashers, result); !streamed) {
        return streamed.error();
    }
    hashers.finish(result);
    return result;
}

} // namespace cxrcat
