// SPDX-License-Identifier: Apache-2.0
#include "cxrcat/base/retry_policy.hpp"

#include <algorithm>
#include <cmath>
#include <ctime>
#include <string>

namespace cxrcat {

namespace {

// The longest wait a Retry-After can ask for (nine digits of delta-seconds; the caller caps it anyway).
constexpr long long k_longest_retry_after = 999'999'999;

} // namespace

std::chrono::milliseconds RetryPolicy::delay_before(int attempt, double jitter01,
                                                    std::optional<std::chrono::seconds> retry_after) const {
    int exponent = std::clamp(attempt - 2, 0, 30);
    double full = static_cast<double>(base_delay.count()) * std::pow(2.0, exponent);
    full = std::min(full, static_cast<double>(max_delay.count()));
    // Full jitter over the upper half: spreads clients without ever retrying immediately.
    auto delay = std::chrono::milliseconds(static_cast<long long>(full * (0.5 + 0.5 * std::clamp(jitter01, 0.0, 1.0))));
    if (retry_after) {
        auto asked = std::chrono::duration_cast<std::chrono::milliseconds>(*retry_after);
        delay = std::max(delay, std::min(asked, max_delay));
    }
    return delay;
}

std::optional<std::chrono::seconds> parse_retry_after(std::string_view value,
                                                      std::chrono::system_clock::time_point now) {
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) {
        value.remove_prefix(1);
    }
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t' || value.back() == '\r')) {
        value.remove_suffix(1);
    }
    if (value.empty()) {
        return std::nullopt;
    }
    if (std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        if (value.size() > 9) {
            return std::chrono::seconds(k_longest_retry_after);
        }
        return std::chrono::seconds(std::stoll(std::string(value)));
    }
    // IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT".
    std::tm parts{};
    std::string text(value);
    const char* end = strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &parts);
    if (end == nullptr || *end != '\0') {
        return std::nullopt;
    }
    // In seconds: system_clock counts nanoseconds, which overflow for dates after 2262 (strptime
    // takes any year up to 9999).
    long long when = timegm(&parts);
    long long now_seconds = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
    return std::chrono::seconds(std::clamp(when - now_seconds, 0LL, k_longest_retry_after));
}

bool is_transient_http_status(long status) {
    return status == 408 || status == 425 || status == 429 || (status >= 500 && status <= 599);
}

bool honours_retry_after(long status) {
    return status == 429 || status == 503;
}

} // namespace cxrcat
