// SPDX-License-Identifier: Apache-2.0
#include "verify/hashing_writer.hpp"

#include "files/part_file.hpp"

#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

namespace cxrcat {

namespace {

Result<void> write_fully(int fd, const char* data, std::size_t size, std::uint64_t offset,
                         const std::filesystem::path& path) {
    while (size > 0) {
        ssize_t written = ::pwrite(fd, data, size, static_cast<off_t>(offset));
        if (written < 0) {
            if (errno == EINTR) {
                continue;
            }
            return file_error("cannot write", path, errno);
        }
        data += written;
        size -= static_cast<std::size_t>(written);
        offset += static_cast<std::uint64_t>(written);
    }
    return {};
}

} // namespace

HashingWriter::HashingWriter(int fd, std::filesystem::path path, std::uint64_t offset,
                             const std::vector<DigestAlgorithm>& algorithms,
                             std::shared_ptr<std::atomic<std::uint64_t>> flushed)
    : m_fd(fd), m_path(std::move(path)), m_offset(offset), m_flushed(std::move(flushed)) {
    if (m_flushed) {
        m_flushed->store(offset);
    }
    for (auto algorithm : algorithms) {
        m_hashers.emplace_back(algorithm);
    }
    m_worker = std::thread([this] { run_worker(); });
}

HashingWriter::~HashingWriter() {
    stop_worker();
    release_current();
}

void HashingWriter::release_current() {
    if (m_current.capacity() > 0) {
        --m_held;
        m_pool.release(std::exchange(m_current, {}));
    }
}

void HashingWriter::stop_worker() {
    {
        std::lock_guard lock(m_mutex);
        m_closing = true;
    }
    m_changed.notify_all();
    if (m_worker.joinable()) {
        m_worker.join();
    }
}

Result<void> HashingWriter::rehash_existing() {
    std::vector<char> buffer(k_read_back_size);
    std::uint64_t position = 0;
    while (position < m_offset) {
        auto want = static_cast<std::size_t>(std::min<std::uint64_t>(buffer.size(), m_offset - position));
        ssize_t got = ::pread(m_fd, buffer.data(), want, static_cast<off_t>(position));
        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got <= 0) {
            return file_error("cannot read back", m_path, got < 0 ? errno : EIO);
        }
        for (auto& hasher : m_hashers) {
            hasher.update(std::as_bytes(std::span(buffer.data(), static_cast<std::size_t>(got))));
        }
        position += static_cast<std::uint64_t>(got);
    }
    return {};
}

bool HashingWriter::append(const char* data, std::size_t size) {
    const std::size_t chunk_size = m_pool.chunk_size();
    while (size > 0) {
        if (m_current.capacity() == 0) {
            m_current = m_pool.acquire(m_held);
            ++m_held;
        }
        std::size_t room = chunk_size - m_current.size();
        std::size_t take = std::min(room, size);
        m_current.insert(m_current.end(), data, data + take);
        data += take;
        size -= take;
        m_queued += take;
        if (m_current.size() == chunk_size) {
            hand_over_current();
        }
    }
    std::lock_guard lock(m_mutex);
    return !m_error.has_value();
}

void HashingWriter::hand_over_current() {
    std::unique_lock lock(m_mutex);
    // Back-pressure: the network waits when the disk falls behind, which bounds memory.
    m_changed.wait(lock, [this] { return m_full.size() < k_max_chunks_in_flight || m_error.has_value(); });
    m_full.push_back(std::exchange(m_current, {}));
    lock.unlock();
    m_changed.notify_all();
}

void HashingWriter::run_worker() {
    std::uint64_t offset = m_offset;
    std::unique_lock lock(m_mutex);
    while (true) {
        m_changed.wait(lock, [this] { return !m_full.empty() || m_closing; });
        if (m_full.empty()) {
            return; // closing and drained
        }
        std::vector<char> chunk = std::move(m_full.front());
        m_full.pop_front();
        bool failed = m_error.has_value();
        lock.unlock();
        m_changed.notify_all();
        if (!failed) {
            for (auto& hasher : m_hashers) {
                hasher.update(std::as_bytes(std::span(chunk.data(), chunk.size())));
            }
            auto written = write_fully(m_fd, chunk.data(), chunk.size(), offset, m_path);
            if (written) {
                // Start writing the chunk back now, without waiting: the fsync before install then
                // finds little left to flush, so durability overlaps the transfer instead of
                // following it. Only a hint; filesystems that cannot do it are fine.
                (void)::sync_file_range(m_fd, static_cast<off_t>(offset), static_cast<off_t>(chunk.size()),
                                        SYNC_FILE_RANGE_WRITE);
            }
            offset += chunk.size();
            if (written && m_flushed) {
                m_flushed->store(offset);
            }
            lock.lock();
            if (!written && !m_error) {
                m_error = written.error();
            }
        } else {
            lock.lock();
        }
        --m_held;
        m_pool.release(std::move(chunk));
        m_changed.notify_all();
    }
}

Result<void> HashingWriter::close() {
    if (!m_current.empty()) {
        hand_over_current();
    }
    stop_worker();
    release_current();
    if (m_error) {
        return *m_error;
    }
    return {};
}

Result<void> HashingWriter::finish() {
    if (auto closed = close(); !closed) {
        return closed;
    }
    for (auto& hasher : m_hashers) {
        m_digests[hasher.algorithm()] = hasher.finish_hex();
    }
    return {};
}

} // namespace cxrcat
