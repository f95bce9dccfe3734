// SPDX-License-Identifier: Apache-2.0
// The `RateLimit` response header of the IETF draft that the Hugging Face Hub sends
// (`"resolvers";r=0;t=42`): `t` is the seconds until the window resets. huggingface_hub ≥ 1.2 waits
// that long on a 429 (api-drift-2026.md §5.3; https://huggingface.co/docs/hub/rate-limits).
#pragma once

#include <charconv>
#include <chrono>
#include <optional>
#include <string_view>

namespace cxrcat {

// The `t=` seconds of a RateLimit value, or nullopt when it has none (or it is not a number).
[[nodiscard]] inline std::optional<std::chrono::seconds> parse_ratelimit_reset(std::string_view value) {
    for (std::size_t at = value.find(";t="); at != std::string_view::npos; at = value.find(";t=", at + 1)) {
        std::string_view digits = value.substr(at + 3);
        long long seconds = 0;
        auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), seconds);
        if (error == std::errc() && end != digits.data() && seconds >= 0) {
            return std::chrono::seconds(seconds);
        }
    }
    return std::nullopt;
}

} // namespace cxrcat
