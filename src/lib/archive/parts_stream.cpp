// SPDX-License-Identifier: Apache-2.0
#include "archive/parts_stream.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <fcntl.h>
#include <sys/stat.h>
#include <system_error>

namespace cxrcat::extraction {

namespace {

// libarchive's read block for split archives (as for single archive files).
constexpr std::size_t k_parts_block_size = std::size_t{1} << 20U;

} // namespace

Result<PartsStream> PartsStream::open(const std::vector<std::filesystem::path>& parts) {
    PartsStream stream;
    for (const auto& path : parts) {
        Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC)); // NOLINT(cppcoreguidelines-pro-type-vararg)
        struct stat info {};
        if (!fd.valid() || ::fstat(fd.get(), &info) != 0) {
            std::error_code error(errno, std::generic_category());
            return Error(ErrorCode::local_io, "cannot read " + path.string() + ": " + error.message());
        }
        auto size = static_cast<std::uint64_t>(info.st_size);
        stream.m_parts.push_back({std::move(fd), stream.m_total, size});
        stream.m_total += size;
    }
    stream.m_buffer.resize(k_parts_block_size);
    return stream;
}

std::int64_t PartsStream::read(const void** block) {
    *block = m_buffer.data();
    // The part holding the position: the last whose start is at or before it (empty parts skipped).
    auto part =
        std::find_if(m_parts.begin(), m_parts.end(), [this](const Part& p) { return m_position < p.start + p.size; });
    if (part == m_parts.end()) {
        return 0;
    }
    std::uint64_t within = m_position - part->start;
    auto want = static_cast<std::size_t>(std::min<std::uint64_t>(m_buffer.size(), part->size - within));
    ssize_t got = ::pread(part->fd.get(), m_buffer.data(), want, static_cast<off_t>(within));
    if (got < 0) {
        return -1;
    }
    if (got == 0) {
        errno = EIO; // the part shrank since it was opened
        return -1;
    }
    m_position += static_cast<std::uint64_t>(got);
    return got;
}

std::int64_t PartsStream::seek(std::int64_t offset, int whence) {
    std::int64_t base = 0;
    switch (whence) {
    case SEEK_SET: base = 0; break;
    case SEEK_CUR: base = static_cast<std::int64_t>(m_position); break;
    case SEEK_END: base = static_cast<std::int64_t>(m_total); break;
    default: return -1;
    }
    std::int64_t target = base + offset;
    if (target < 0 || target > static_cast<std::int64_t>(m_total)) {
        return -1;
    }
    m_position = static_cast<std::uint64_t>(target);
    return target;
}

std::int64_t PartsStream::skip(std::int64_t request) {
    if (request <= 0) {
        return 0;
    }
    std::uint64_t moved = std::min(static_cast<std::uint64_t>(request), m_total - m_position);
    m_position += moved;
    return static_cast<std::int64_t>(moved);
}

} // namespace cxrcat::extraction
