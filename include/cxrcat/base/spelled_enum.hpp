// SPDX-License-Identifier: Apache-2.0
// Enums written as words (in catalog files, JSON output and messages). Each such enum declares one
// table next to it, `constexpr std::array<std::string_view, N> spellings(Enum)`, indexed by the
// enumerator's value; these templates read it, so no enum spells itself a second time.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace cxrcat {

// An enum with a spellings() table.
template <typename Enum>
concept SpelledEnum = std::is_enum_v<Enum> && requires(Enum value) {
    spellings(value);
};

// The spelling of value.
template <SpelledEnum Enum> [[nodiscard]] constexpr std::string_view to_string(Enum value) {
    return spellings(value).at(static_cast<std::size_t>(value));
}

// The value spelled text (exactly: case and blanks count); nullopt when there is none.
template <SpelledEnum Enum> [[nodiscard]] constexpr std::optional<Enum> parse_enum(std::string_view text) {
    constexpr auto k_names = spellings(Enum{});
    for (std::size_t i = 0; i < k_names.size(); ++i) {
        if (k_names[i] == text) {
            return static_cast<Enum>(i);
        }
    }
    return std::nullopt;
}

// Every spelling of Enum, in declaration order (for messages and --help).
template <SpelledEnum Enum> [[nodiscard]] std::vector<std::string> enum_names() {
    constexpr auto k_names = spellings(Enum{});
    return {k_names.begin(), k_names.end()};
}

} // namespace cxrcat
