// SPDX-License-Identifier: Apache-2.0
#include "net/receive_limiter.hpp"

#include <algorithm>
#include <utility>

namespace cxrcat::net {

namespace {

// A tenth of a second of transfer (at least 16 KiB, one curl write) may arrive at once: small
// enough that a run of a few seconds keeps within a few percent of the rate.
constexpr double k_burst_seconds = 0.1;
constexpr double k_min_burst_bytes = 16.0 * 1024.0;

} // namespace

ReceiveLimiter::ReceiveLimiter(std::uint64_t bytes_per_second)
    : m_rate(static_cast<double>(std::max<std::uint64_t>(1, bytes_per_second))),
      m_capacity(std::max(k_min_burst_bytes, m_rate * k_burst_seconds)), m_tokens(m_capacity),
      m_refilled(Clock::now()) {}

void ReceiveLimiter::refill(Clock::time_point now) {
    std::chrono::duration<double> elapsed = now - m_refilled;
    m_refilled = now;
    m_tokens = std::min(m_capacity, m_tokens + elapsed.count() * m_rate);
}

bool ReceiveLimiter::admit(CURL* easy, std::size_t bytes) {
    refill(Clock::now());
    if (m_tokens <= 0.0) {
        if (std::find(m_paused.begin(), m_paused.end(), easy) == m_paused.end()) {
            m_paused.push_back(easy);
        }
        return false;
    }
    m_tokens -= static_cast<double>(bytes);
    return true;
}

void ReceiveLimiter::resume_due() {
    if (m_paused.empty()) {
        return;
    }
    refill(Clock::now());
    if (m_tokens <= 0.0) {
        return;
    }
    // Resuming may deliver the held bytes at once, through admit(), which may pause again.
    std::vector<CURL*> paused = std::exchange(m_paused, {});
    for (CURL* easy : paused) {
        curl_easy_pause(easy, CURLPAUSE_CONT);
    }
}

std::optional<std::chrono::milliseconds> ReceiveLimiter::until_resume() const {
    if (m_paused.empty()) {
        return std::nullopt;
    }
    std::chrono::duration<double> since = Clock::now() - m_refilled;
    double missing = std::max(0.0, -m_tokens - since.count() * m_rate);
    auto wait = std::chrono::duration<double>(missing / m_rate) + std::chrono::milliseconds(1);
    return std::chrono::ceil<std::chrono::milliseconds>(wait);
}

void ReceiveLimiter::forget(CURL* easy) {
    std::erase(m_paused, easy);
}

} // namespace cxrcat::net
