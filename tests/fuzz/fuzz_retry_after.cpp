// SPDX-License-Identifier: Apache-2.0
// Fuzzes the Retry-After parser (delta-seconds and HTTP dates) and the backoff it feeds.
#include "cxrcat/base/retry_policy.hpp"
#include "fuzz_support.hpp"

#include <chrono>

CXRCAT_FUZZ_TEXT_HARNESS(value) {
    // A fixed "now" (2026-01-01T00:00:00Z) keeps a crash reproducible.
    const auto now = std::chrono::system_clock::time_point(std::chrono::seconds(1'767'225'600));
    auto wait = parse_retry_after(value, now);
    if (wait) {
        fuzz_require(wait->count() >= 0, "a Retry-After wait is never negative");
    }
    RetryPolicy policy;
    for (int attempt : {2, 3, 7, 40}) {
        auto delay = policy.delay_before(attempt, 0.5, wait);
        fuzz_require(delay.count() >= 0 && delay <= policy.max_delay, "a retry delay stays within [0, max_delay]");
    }
}
