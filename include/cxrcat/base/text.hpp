// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cxrcat {

// ASCII lowercase copy of text.
[[nodiscard]] std::string to_lower(std::string_view text);
[[nodiscard]] std::string to_upper(std::string_view text);
// text without leading and trailing ASCII white space (space, tab, CR, LF).
[[nodiscard]] std::string_view trim(std::string_view text);
// True when needle occurs in haystack, ignoring ASCII case.
[[nodiscard]] bool contains_ignoring_case(std::string_view haystack, std::string_view needle);
// Levenshtein distance, for "did you mean" suggestions.
[[nodiscard]] std::size_t edit_distance(std::string_view a, std::string_view b);
// "45 GB", "617 MB", "1.2 KB", "12 B" (decimal units, as dataset pages quote them; one decimal
// below 10 of a unit).
[[nodiscard]] std::string human_size(std::uint64_t bytes);
// Bytes per second of "50M", "512k", "1.5G" or "100000", read as curl's --limit-rate reads it
// (K, M, G: powers of 1024, either case); nullopt when malformed or zero.
[[nodiscard]] std::optional<std::uint64_t> parse_rate(std::string_view text);
// Percent-encodes text for a URL: RFC 3986 unreserved characters stay, '/' stays when keep_slash
// (a path), every other byte becomes %XX (upper-case hex, the form SigV4 signs).
[[nodiscard]] std::string url_encode(std::string_view text, bool keep_slash);
// "112,120".
[[nodiscard]] std::string group_thousands(std::uint64_t value);
// Joins parts with separator.
[[nodiscard]] std::string join(const std::vector<std::string>& parts, std::string_view separator);
// Text with each character that has a replacement replaced by it (escaping for JSON pointers, roff,
// shell quotes); other characters are kept.
[[nodiscard]] std::string replace_chars(std::string_view text,
                                        std::initializer_list<std::pair<char, std::string_view>> replacements);
// Number of display columns (UTF-8 code points; good enough for the catalog's text).
[[nodiscard]] std::size_t display_width(std::string_view text);
// Cuts text to at most width display columns, ending with "…" when cut.
[[nodiscard]] std::string truncate_display(std::string_view text, std::size_t width);

} // namespace cxrcat
