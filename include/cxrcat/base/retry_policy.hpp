// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace cxrcat {

// Exponential backoff with jitter, bounded in attempts and in total time.
struct RetryPolicy {
    int max_attempts = 6;                              // including the first try
    std::chrono::milliseconds base_delay{1000};        // delay before the 2nd attempt, doubled after
    std::chrono::milliseconds max_delay{60'000};       // cap for one wait
    std::chrono::milliseconds max_total_wait{300'000}; // cap for all waits of one file

    // The wait before attempt number `attempt` (2 = first retry). jitter01 in [0,1) spreads the
    // wait over [delay/2, delay). A server's Retry-After wins when it is longer, within max_delay.
    [[nodiscard]] std::chrono::milliseconds delay_before(int attempt, double jitter01,
                                                         std::optional<std::chrono::seconds> retry_after) const;
};

// Parses a Retry-After value: delta-seconds or an HTTP date (relative to now). nullopt if invalid.
[[nodiscard]] std::optional<std::chrono::seconds> parse_retry_after(std::string_view value,
                                                                    std::chrono::system_clock::time_point now);

// True for HTTP statuses worth retrying: 408, 425, 429 and 5xx.
[[nodiscard]] bool is_transient_http_status(long status);

// True for the answers whose Retry-After is a request to wait (429, 503; RFC 9110 §10.2.3). Other
// answers may carry one too — Zenodo's rate limiter (Flask-Limiter) sets it on every response,
// 200 and 206 included — and there it says nothing about a retry: the normal backoff applies.
[[nodiscard]] bool honours_retry_after(long status);

} // namespace cxrcat
