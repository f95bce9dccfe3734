// SPDX-License-Identifier: Apache-2.0
#include "net/rate_budget.hpp"

#include <algorithm>

namespace cxrcat::net {

namespace {

// Bytes the process may receive ahead of the average: a fiftieth of a second's budget, so pacing
// does not pause for every small read.
constexpr std::uint64_t k_burst_divisor = 50;

} // namespace

RateBudget::RateBudget(std::uint64_t bytes_per_second) : m_budget(bytes_per_second), m_start(Clock::now()) {}

void RateBudget::count(const std::set<CURL*>& in_flight) {
    if (m_budget == 0) {
        return;
    }
    std::map<CURL*, curl_off_t> seen;
    for (CURL* easy : in_flight) {
        curl_off_t now = 0;
        if (curl_easy_getinfo(easy, CURLINFO_SIZE_DOWNLOAD_T, &now) != CURLE_OK) {
            continue;
        }
        auto before = m_seen.find(easy);
        // A handle that restarted (a retry reuses it) counts from zero again.
        curl_off_t earlier = before != m_seen.end() && before->second <= now ? before->second : 0;
        m_received += static_cast<std::uint64_t>(now - earlier);
        seen.emplace(easy, now);
    }
    m_seen = std::move(seen);
}

std::chrono::milliseconds RateBudget::pace(const std::set<CURL*>& in_flight) {
    if (m_budget == 0) {
        return std::chrono::milliseconds(0);
    }
    double elapsed = std::chrono::duration<double>(Clock::now() - m_start).count();
    double allowed = static_cast<double>(m_budget) * elapsed + static_cast<double>(m_budget / k_burst_divisor);
    std::set<CURL*> paused;
    if (static_cast<double>(m_received) > allowed) {
        for (CURL* easy : in_flight) {
            if (m_paused.count(easy) != 0 || curl_easy_pause(easy, CURLPAUSE_RECV) == CURLE_OK) {
                paused.insert(easy);
            }
        }
        m_paused = std::move(paused);
        double wait = (static_cast<double>(m_received) - allowed) / static_cast<double>(m_budget);
        return std::chrono::milliseconds(std::max<long long>(1, static_cast<long long>(wait * 1000.0)));
    }
    for (CURL* easy : m_paused) {
        if (in_flight.count(easy) != 0) {
            curl_easy_pause(easy, CURLPAUSE_CONT);
        }
    }
    m_paused.clear();
    return std::chrono::milliseconds(0);
}

} // namespace cxrcat::net
