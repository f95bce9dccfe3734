// SPDX-License-Identifier: Apache-2.0
// Fuzzes the Retry-After parser (delta-seconds and HTTP dates) and the backoff it feeds.
#include "cxrcat/base/retry_policy.hpp"
#include "fuzz_support.hpp"

#include <chrono>

using namespace cxrcat;
using namespace cxrcat::fuzz;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view value = fuzz_text(data, size);
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
    return 0;
}
