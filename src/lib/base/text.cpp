// SPDX-License-Identifier: Apache-2.0
#include "cxrcat/base/text.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cstdio>

namespace cxrcat {

namespace {

char lower(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool is_continuation_byte(char c) {
    return (static_cast<unsigned char>(c) & 0xC0U) == 0x80U;
}

} // namespace

std::string_view trim(std::string_view text) {
    constexpr std::string_view k_blank = " \t\r\n";
    std::size_t first = text.find_first_not_of(k_blank);
    if (first == std::string_view::npos) {
        return {};
    }
    return text.substr(first, text.find_last_not_of(k_blank) - first + 1);
}

std::string to_lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), lower);
    return out;
}

std::string to_upper(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; });
    return out;
}

bool contains_ignoring_case(std::string_view haystack, std::string_view needle) {
    return to_lower(haystack).find(to_lower(needle)) != std::string::npos;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> previous(b.size() + 1);
    std::vector<std::size_t> current(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) {
        previous[j] = j;
    }
    for (std::size_t i = 1; i <= a.size(); ++i) {
        current[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            std::size_t substitution = previous[j - 1] + (lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1);
            current[j] = std::min({previous[j] + 1, current[j - 1] + 1, substitution});
        }
        std::swap(previous, current);
    }
    return previous[b.size()];
}

std::string human_size(std::uint64_t bytes) {
    static constexpr std::array<const char*, 6> k_units{"B", "KB", "MB", "GB", "TB", "PB"};
    auto value = static_cast<double>(bytes);
    std::size_t unit = 0;
    while (value >= 1000.0 && unit + 1 < k_units.size()) {
        value /= 1000.0;
        ++unit;
    }
    // Decide on the value as it will be printed: 999.5 KB would round to "1000 KB", so it is 1.0 MB,
    // and 9.96 KB would print as "10.0 KB", so it gets no decimal.
    if (unit > 0 && value >= 999.5 && unit + 1 < k_units.size()) {
        value /= 1000.0;
        ++unit;
    }
    std::array<char, 32> buffer{};
    if (unit == 0) {
        (void)std::snprintf(buffer.data(), buffer.size(), "%llu B", static_cast<unsigned long long>(bytes));
    } else {
        (void)std::snprintf(buffer.data(), buffer.size(), value < 9.95 ? "%.1f %s" : "%.0f %s", value, k_units[unit]);
    }
    return buffer.data();
}

std::optional<std::uint64_t> parse_rate(std::string_view text) {
    std::size_t digits = 0;
    bool point = false;
    while (digits < text.size() &&
           (std::isdigit(static_cast<unsigned char>(text[digits])) != 0 || (text[digits] == '.' && !point))) {
        point = point || text[digits] == '.';
        ++digits;
    }
    std::string_view number = text.substr(0, digits);
    std::string_view unit = text.substr(digits);
    if (number.empty() || number == "." || unit.size() > 1 || number.size() > 18) {
        return std::nullopt;
    }
    double scale = 1.0;
    if (!unit.empty()) {
        switch (unit.front()) {
        case 'k':
        case 'K': scale = 1024.0; break;
        case 'm':
        case 'M': scale = 1024.0 * 1024.0; break;
        case 'g':
        case 'G': scale = 1024.0 * 1024.0 * 1024.0; break;
        default: return std::nullopt;
        }
    }
    double value = 0.0; // from_chars, unlike strtod, ignores the locale's decimal point
    if (std::from_chars(number.data(), number.data() + number.size(), value).ptr != number.data() + number.size()) {
        return std::nullopt;
    }
    value *= scale;
    if (!(value >= 1.0) || value > 1e18) {
        return std::nullopt;
    }
    return static_cast<std::uint64_t>(value);
}

std::string url_encode(std::string_view text, bool keep_slash) {
    static constexpr std::string_view k_hex = "0123456789ABCDEF";
    std::string out;
    for (char c : text) {
        auto byte = static_cast<unsigned char>(c);
        bool plain = ((byte >= 'a' && byte <= 'z') || (byte >= 'A' && byte <= 'Z') || (byte >= '0' && byte <= '9')) ||
                     c == '-' || c == '_' || c == '.' || c == '~' || (keep_slash && c == '/');
        if (plain) {
            out.push_back(c);
        } else {
            out.push_back('%');
            out.push_back(k_hex[byte >> 4U]);
            out.push_back(k_hex[byte & 0x0FU]);
        }
    }
    return out;
}

std::string group_thousands(std::uint64_t value) {
    std::string digits = std::to_string(value);
    std::string out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) {
            out.push_back(',');
        }
        out.push_back(digits[i]);
    }
    return out;
}

std::string join(const std::vector<std::string>& parts, std::string_view separator) {
    std::string out;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        if (i > 0) {
            out.append(separator);
        }
        out.append(parts[i]);
    }
    return out;
}

std::string replace_chars(std::string_view text,
                          std::initializer_list<std::pair<char, std::string_view>> replacements) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        const auto* replacement =
            std::find_if(replacements.begin(), replacements.end(), [c](const auto& entry) { return entry.first == c; });
        if (replacement != replacements.end()) {
            out.append(replacement->second);
        } else {
            out.push_back(c);
        }
    }
    return out;
}

std::size_t display_width(std::string_view text) {
    return static_cast<std::size_t>(
        std::count_if(text.begin(), text.end(), [](char c) { return !is_continuation_byte(c); }));
}

std::string truncate_display(std::string_view text, std::size_t width) {
    if (display_width(text) <= width) {
        return std::string(text);
    }
    if (width == 0) {
        return {};
    }
    // Keep width - 1 code points, then the ellipsis.
    std::size_t kept = 0;
    std::size_t end = 0;
    while (end < text.size()) {
        if (!is_continuation_byte(text[end])) {
            if (kept == width - 1) {
                break;
            }
            ++kept;
        }
        ++end;
    }
    return std::string(text.substr(0, end)) + "…";
}

} // namespace cxrcat
