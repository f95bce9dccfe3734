// SPDX-License-Identifier: Apache-2.0
#include "base/chunk_pool.hpp"

#include <algorithm>

namespace cxrcat {

namespace {

// Large enough that a write and a digest update per buffer cost nothing next to the bytes; small
// enough that the one buffer every writer may hold over the budget stays small with many writers.
constexpr std::size_t k_shared_chunk_size = 256U * 1024;
constexpr std::size_t k_shared_budget = 8U << 20;

} // namespace

ChunkPool::ChunkPool(std::size_t chunk_size, std::size_t budget)
    : m_chunk_size(chunk_size), m_budget_chunks(std::max<std::size_t>(1, budget / chunk_size)) {}

std::vector<char> ChunkPool::acquire(const std::atomic<std::size_t>& held) {
    std::unique_lock lock(m_mutex);
    m_released.wait(lock, [&] { return m_in_use < m_budget_chunks || held.load() == 0; });
    ++m_in_use;
    if (!m_free.empty()) {
        std::vector<char> chunk = std::move(m_free.back());
        m_free.pop_back();
        return chunk;
    }
    lock.unlock();
    std::vector<char> chunk;
    chunk.reserve(m_chunk_size);
    return chunk;
}

void ChunkPool::release(std::vector<char> chunk) {
    {
        std::lock_guard lock(m_mutex);
        --m_in_use;
        // Keep what the budget allows for reuse; a buffer handed out over the budget is freed.
        if (chunk.capacity() >= m_chunk_size && m_free.size() + m_in_use < m_budget_chunks) {
            chunk.clear();
            m_free.push_back(std::move(chunk));
        }
    }
    m_released.notify_all();
}

std::size_t ChunkPool::in_use() const {
    std::lock_guard lock(m_mutex);
    return m_in_use;
}

ChunkPool& ChunkPool::shared() {
    static ChunkPool pool(k_shared_chunk_size, k_shared_budget);
    return pool;
}

} // namespace cxrcat
