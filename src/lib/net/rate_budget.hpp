// SPDX-License-Identifier: Apache-2.0
// --limit-rate: one receive budget for the whole process, shared by every connection in flight.
#pragma once

#include <curl/curl.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <set>

namespace cxrcat::net {

// libcurl's own cap (CURLOPT_MAX_RECV_SPEED_LARGE) is per handle and averages over several seconds
// (short transfers are not held back at all), so the process paces itself: it counts what every
// handle received and pauses them all (curl_easy_pause) while it is ahead of budget x elapsed time.
class RateBudget {
  public:
    // bytes_per_second 0: no limit (every call does nothing).
    explicit RateBudget(std::uint64_t bytes_per_second);

    // Adds what the handles received since the last call. Call it after curl_multi_perform and
    // before finished handles are removed, so their last bytes count.
    void count(const std::set<CURL*>& in_flight);
    // Pauses every handle while the process is ahead of its budget and resumes them when it is
    // not; returns how long until it may receive again (zero when receiving).
    std::chrono::milliseconds pace(const std::set<CURL*>& in_flight);

  private:
    using Clock = std::chrono::steady_clock;
    std::uint64_t m_budget;
    Clock::time_point m_start;
    std::uint64_t m_received = 0;
    std::map<CURL*, curl_off_t> m_seen; // bytes each handle had received at the last count
    std::set<CURL*> m_paused;
};

} // namespace cxrcat::net
