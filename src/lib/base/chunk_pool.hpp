// SPDX-License-Identifier: Apache-2.0
// Private: the buffers between the network and the disk, shared by every writer of the process and
// bounded by a byte budget rather than by the number of connections, so that peak memory stays the
// same for -j 1 and -j 16, one stream or many segments. Buffers are reused, not reallocated.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <vector>

namespace cxrcat {

class ChunkPool {
  public:
    // Buffers of chunk_size bytes; at most budget bytes of them in use, except that a holder with
    // none gets one anyway (so that no writer waits on buffers only other idle writers hold).
    ChunkPool(std::size_t chunk_size, std::size_t budget);

    // An empty buffer with chunk_size bytes reserved. Blocks while the budget is used up and the
    // caller still holds buffers (`held`, kept by the caller, falls when one of them is released).
    [[nodiscard]] std::vector<char> acquire(const std::atomic<std::size_t>& held);
    // Gives a buffer back (its holder has already lowered its own count).
    void release(std::vector<char> chunk);
    [[nodiscard]] std::size_t chunk_size() const { return m_chunk_size; }
    // Buffers handed out and not yet released.
    [[nodiscard]] std::size_t in_use() const;

    // The process's pool: 256 KiB buffers, 8 MiB budget.
    [[nodiscard]] static ChunkPool& shared();

  private:
    std::size_t m_chunk_size;
    std::size_t m_budget_chunks;
    mutable std::mutex m_mutex;
    std::condition_variable m_released;
    std::vector<std::vector<char>> m_free;
    std::size_t m_in_use = 0;
};

} // namespace cxrcat
