// SPDX-License-Identifier: Apache-2.0
#include "base/rate_limit_header.hpp"
#include "cxrcat/base/retry_policy.hpp"

#include <gtest/gtest.h>

#include <chrono>

namespace cxrcat {
namespace {

using std::chrono::seconds;

// 2026-01-01T00:00:00Z.
const std::chrono::system_clock::time_point k_retry_now{seconds(1'767'225'600)};

TEST(RetryAfter, ReadsDeltaSeconds) {
    EXPECT_EQ(parse_retry_after("120", k_retry_now), seconds(120));
    EXPECT_EQ(parse_retry_after(" \t7\r", k_retry_now), seconds(7));
    EXPECT_EQ(parse_retry_after("99999999999999999999", k_retry_now), seconds(999'999'999));
}

TEST(RetryAfter, ReadsAnHttpDateRelativeToNow) {
    EXPECT_EQ(parse_retry_after("Thu, 01 Jan 2026 00:02:00 GMT", k_retry_now), seconds(120));
    EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", k_retry_now), seconds(0));
}

// Found by fuzzing (tests/fuzz/regressions/retry_after): a date after 2262 overflowed system_clock's
// nanoseconds (undefined behaviour); it is now a long wait, capped like a long delta.
TEST(RetryAfter, AFarFutureDateIsALongWaitNotAnOverflow) {
    EXPECT_EQ(parse_retry_after("Wed, 21 Oct 6394 07:28:00 GMT", k_retry_now), seconds(999'999'999));
    EXPECT_EQ(parse_retry_after("Fri, 31 Dec 9999 23:59:59 GMT", k_retry_now), seconds(999'999'999));
    // 2300 is past system_clock's nanosecond range and more than the cap (~31 years) away.
    EXPECT_EQ(parse_retry_after("Sat, 01 Jan 2300 00:00:00 GMT", k_retry_now), seconds(999'999'999));
    // Within the cap, the exact difference in seconds.
    EXPECT_EQ(parse_retry_after("Mon, 01 Jan 2046 00:00:00 GMT", k_retry_now),
              seconds(2'398'377'600LL - 1'767'225'600LL));
}

TEST(RetryAfter, RefusesWhatIsNeither) {
    EXPECT_FALSE(parse_retry_after("", k_retry_now).has_value());
    EXPECT_FALSE(parse_retry_after("soon", k_retry_now).has_value());
    EXPECT_FALSE(parse_retry_after("-5", k_retry_now).has_value());
}

TEST(RetryPolicy, AServerRetryAfterWinsWithinTheCap) {
    RetryPolicy policy;
    EXPECT_EQ(policy.delay_before(2, 0.0, seconds(30)), std::chrono::milliseconds(30'000));
    EXPECT_EQ(policy.delay_before(2, 0.0, seconds(999'999'999)), policy.max_delay);
}

// The Hub's RateLimit header (https://huggingface.co/docs/hub/rate-limits): t= is the wait.
TEST(RateLimitHeader, ReadsTheSecondsToTheWindowsReset) {
    EXPECT_EQ(parse_ratelimit_reset(R"("resolvers";r=0;t=42)"), seconds(42));
    EXPECT_EQ(parse_ratelimit_reset(R"("api";r=0;t=1)"), seconds(1));
    EXPECT_FALSE(parse_ratelimit_reset(R"("api";r=0)"));
    EXPECT_FALSE(parse_ratelimit_reset(R"("api";r=0;t=soon)"));
    EXPECT_FALSE(parse_ratelimit_reset(""));
}

} // namespace
} // namespace cxrcat
