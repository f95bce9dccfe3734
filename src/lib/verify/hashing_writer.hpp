// SPDX-License-Identifier: Apache-2.0
// Private: overlaps receiving with hashing and writing, so each byte is touched once on its way to
// disk: the network thread copies into chunks from the shared ChunkPool, a worker thread hashes and
// writes them and gives each chunk back at once.
#pragma once

#include "base/chunk_pool.hpp"
#include "cxrcat/base/digest.hpp"
#include "cxrcat/base/result.hpp"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

namespace cxrcat {

class HashingWriter {
  public:
    // Writes sequentially to fd from `offset` (the bytes before it are already on disk). With no
    // algorithms it only writes (a segment of a split download, hashed later in file order).
    // `flushed`, when given, is kept equal to the end of the bytes written so far.
    HashingWriter(int fd, std::filesystem::path path, std::uint64_t offset,
                  const std::vector<DigestAlgorithm>& algorithms,
                  std::shared_ptr<std::atomic<std::uint64_t>> flushed = nullptr);
    ~HashingWriter();
    HashingWriter(const HashingWriter&) = delete;
    HashingWriter& operator=(const HashingWriter&) = delete;
    HashingWriter(HashingWriter&&) = delete;
    HashingWriter& operator=(HashingWriter&&) = delete;

    // Feeds the bytes already in [0, offset) to the digests by reading them back: a resumed
    // digest must cover the whole file. Call before the first append.
    Result<void> rehash_existing();
    // Queues bytes; false once a write has failed (the caller aborts the transfer).
    bool append(const char* data, std::size_t size);
    // Flushes, waits for the worker and returns the first write error, if any.
    Result<void> close();
    // close(), then the digests.
    Result<void> finish();
    // After close(): hands the running digests over (to continue them past this writer's bytes).
    [[nodiscard]] std::vector<Hasher> release_hashers() { return std::move(m_hashers); }
    // Lowercase hex digests; valid after a successful finish().
    [[nodiscard]] const std::map<DigestAlgorithm, std::string>& digests() const { return m_digests; }
    // Bytes of the file written so far, the starting offset included.
    [[nodiscard]] std::uint64_t end_offset() const { return m_offset + m_queued; }

  private:
    // Per writer, on top of the pool's budget: one stream cannot take every buffer.
    static constexpr std::size_t k_max_chunks_in_flight = 8;
    static constexpr std::size_t k_read_back_size = 1U << 20;

    void run_worker();
    void hand_over_current();
    void stop_worker();
    void release_current();

    int m_fd;
    std::filesystem::path m_path;
    std::uint64_t m_offset;
    std::uint64_t m_queued = 0;
    std::vector<Hasher> m_hashers;
    std::map<DigestAlgorithm, std::string> m_digests;

    ChunkPool& m_pool = ChunkPool::shared();
    std::atomic<std::size_t> m_held{0}; // chunks from m_pool: the current one and those queued
    std::vector<char> m_current;        // no capacity until the first append after a hand-over
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::deque<std::vector<char>> m_full;
    bool m_closing = false;
    std::optional<Error> m_error;
    std::shared_ptr<std::atomic<std::uint64_t>> m_flushed;
    std::thread m_worker;
};

} // namespace cxrcat
