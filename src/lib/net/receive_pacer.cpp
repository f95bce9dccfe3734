// SPDX-License-Identifier: Apache-2.0
#include "net/receive_pacer.hpp"

#include <algorithm>
#include <thread>

namespace cxrcat::net {

namespace {

// As ReceiveLimiter: a tenth of a second may arrive at once, so a transfer of a few seconds keeps
// within a few percent of the rate while a single callback never waits for nothing.
constexpr std::chrono::milliseconds k_pacer_burst{100};

} // namespace

ReceivePacer::ReceivePacer(std::uint64_t bytes_per_second)
    : m_rate(std::max<std::uint64_t>(1, bytes_per_second)), m_due(std::chrono::steady_clock::now()) {}

void ReceivePacer::pace(std::size_t bytes) {
    std::chrono::steady_clock::time_point wake;
    {
        std::lock_guard lock(m_mutex);
        auto now = std::chrono::steady_clock::now();
        // Idle time does not bank more than one burst.
        m_due = std::max(m_due, now - k_pacer_burst);
        m_due += std::chrono::duration_cast<std::chrono::steady_clock::duration>(
            std::chrono::duration<double>(static_cast<double>(bytes) / static_cast<double>(m_rate)));
        wake = m_due - k_pacer_burst;
    }
    std::this_thread::sleep_until(wake);
}

} // namespace cxrcat::net
