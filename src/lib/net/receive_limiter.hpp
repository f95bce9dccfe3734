// SPDX-License-Identifier: Apache-2.0
// Private: the cap on received bytes per second (--limit-rate) shared by every connection of one
// download loop — a token bucket refilled with time. A write callback that finds the bucket empty
// pauses its transfer (CURL_WRITEFUNC_PAUSE, libcurl keeps the bytes and hands them over again);
// the loop resumes the paused transfers once the bucket has refilled. One thread only: the loop's.
#pragma once

#include <curl/curl.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <vector>

namespace cxrcat::net {

class ReceiveLimiter {
  public:
    using Clock = std::chrono::steady_clock;

    explicit ReceiveLimiter(std::uint64_t bytes_per_second);

    // True when bytes may be consumed now. The bucket may go into debt by one callback's worth, so
    // a resumed transfer always moves; false means the caller returns CURL_WRITEFUNC_PAUSE and easy
    // waits for resume_due().
    bool admit(CURL* easy, std::size_t bytes);
    // Refills the bucket by the time gone by and, once it holds tokens, resumes the paused transfers.
    void resume_due();
    // How long the loop may sleep before paused transfers are due; nullopt when none is paused.
    [[nodiscard]] std::optional<std::chrono::milliseconds> until_resume() const;
    // easy leaves the multi handle (done, failed or detached): it must not be resumed later.
    void forget(CURL* easy);

  private:
    void refill(Clock::time_point now);

    double m_rate;     // bytes per second
    double m_capacity; // the largest burst
    double m_tokens;
    Clock::time_point m_refilled;
    std::vector<CURL*> m_paused;
};

} // namespace cxrcat::net
