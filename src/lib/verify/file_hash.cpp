// SPDX-License-Identifier: Apache-2.0
#include "verify/file_hash.hpp"

#include "files/part_file.hpp"

#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

namespace cxrcat {

Result<FileDigests> hash_file(const std::filesystem::path& path, const std::vector<DigestAlgorithm>& algorithms) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return file_error("cannot open", path, errno);
    }
    (void)::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    std::vector<Hasher> hashers;
    for (auto algorithm : algorithms) {
        hashers.emplace_back(algorithm);
    }
    constexpr std::size_t k_buffer_size = 1U << 20;
    std::vector<char> buffer(k_buffer_size);
    FileDigests result;
    while (true) {
        ssize_t got = ::read(fd, buffer.data(), buffer.size());
        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got < 0) {
            int saved = errno;
            ::close(fd);
            return file_error("cannot read", path, saved);
        }
        if (got == 0) {
            break;
        }
        for (auto& hasher : hashers) {
            hasher.update(std::as_bytes(std::span(buffer.data(), static_cast<std::size_t>(got))));
        }
        result.size += static_cast<std::uint64_t>(got);
    }
    ::close(fd);
    for (auto& hasher : hashers) {
        result.digests[hasher.algorithm()] = hasher.finish_hex();
    }
    return result;
}

} // namespace cxrcat
