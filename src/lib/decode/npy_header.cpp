// SPDX-License-Identifier: Apache-2.0
// The NumPy .npy header (numpy's format.py, "NEP 1"): magic, version, a length, then a Python dict
// literal with 'descr', 'fortran_order' and 'shape'. Only the length-fixing fields are read.
#include "decode/checked_size.hpp"
#include "decode/header_readers.hpp"

#include <charconv>
#include <cstring>

namespace cxrcat::decode {

namespace {

Error npy_error(const std::string& what) {
    return Error(ErrorCode::integrity, ".npy header: " + what);
}

// The quoted value after 'key': in dict, or "".
std::string_view quoted_value(std::string_view dict, std::string_view key) {
    std::size_t at = dict.find(key);
    if (at == std::string_view::npos) {
        return {};
    }
    std::size_t open = dict.find('\'', dict.find(':', at));
    std::size_t close = open == std::string_view::npos ? open : dict.find('\'', open + 1);
    return close == std::string_view::npos ? std::string_view{} : dict.substr(open + 1, close - open - 1);
}

// Bytes per item of a dtype string such as '<f4', '|u1', '<c16'; nullopt for variable-size types.
std::optional<std::uint64_t> item_size(std::string_view descr) {
    if (descr.size() < 3 || std::string_view("<>|=").find(descr[0]) == std::string_view::npos ||
        std::string_view("biufcSUV").find(descr[1]) == std::string_view::npos) {
        return std::nullopt;
    }
    std::uint64_t size = 0;
    auto [end, ec] = std::from_chars(descr.data() + 2, descr.data() + descr.size(), size);
    if (ec != std::errc{} || end != descr.data() + descr.size() || size == 0) {
        return std::nullopt;
    }
    return descr[1] == 'U' ? checked_product(size, 4) : std::optional<std::uint64_t>(size);
}

// The product of the shape tuple's numbers; nullopt when it is malformed or overflows.
std::optional<std::uint64_t> shape_elements(std::string_view dict, std::string& shape_text) {
    std::size_t at = dict.find("'shape'");
    std::size_t open = at == std::string_view::npos ? at : dict.find('(', at);
    std::size_t close = open == std::string_view::npos ? open : dict.find(')', open);
    if (close == std::string_view::npos) {
        return std::nullopt;
    }
    std::string_view inside = dict.substr(open + 1, close - open - 1);
    shape_text = "(" + std::string(inside) + ")";
    std::optional<std::uint64_t> elements = 1;
    while (!inside.empty() && elements) {
        std::size_t digit = inside.find_first_of("0123456789");
        if (digit == std::string_view::npos) {
            break;
        }
        if (inside.find_first_not_of(" ,L", 0) < digit) {
            return std::nullopt; // something other than numbers and commas
        }
        inside.remove_prefix(digit);
        std::uint64_t value = 0;
        auto [end, ec] = std::from_chars(inside.data(), inside.data() + inside.size(), value);
        if (ec != std::errc{}) {
            return std::nullopt;
        }
        elements = checked_product(*elements, value);
        inside.remove_prefix(static_cast<std::size_t>(end - inside.data()));
    }
    return elements;
}

} // namespace

Result<NpyHeader> parse_npy_header(std::span<const std::byte> bytes) {
    constexpr char k_magic[] = "\x93NUMPY";
    if (bytes.size() < 10 || std::memcmp(bytes.data(), k_magic, 6) != 0) {
        return npy_error("no \\x93NUMPY magic");
    }
    auto major = static_cast<unsigned>(bytes[6]);
    std::uint64_t length = 0;
    std::size_t start = 0;
    if (major == 1) {
        length = static_cast<unsigned>(bytes[8]) | static_cast<unsigned>(bytes[9]) << 8U;
        start = 10;
    } else if ((major == 2 || major == 3) && bytes.size() >= 12) {
        for (std::size_t i = 0; i < 4; ++i) {
            length |= static_cast<std::uint64_t>(bytes[8 + i]) << (8 * i);
        }
        start = 12;
    } else {
        return npy_error("unknown version " + std::to_string(major));
    }
    if (bytes.size() - start < length) {
        return npy_error("the header says " + std::to_string(length) + " bytes, the file has " +
                         std::to_string(bytes.size() - start));
    }
    std::string_view dict(reinterpret_cast<const char*>(bytes.data() + start), length); // NOLINT: bytes as text
    std::string_view descr = quoted_value(dict, "'descr'");
    auto size = item_size(descr);
    if (!size) {
        return npy_error("descr '" + std::string(descr) + "' has no fixed item size");
    }
    std::string shape;
    auto elements = shape_elements(dict, shape);
    auto data = elements ? checked_product(*elements, *size) : std::nullopt;
    if (!data) {
        return npy_error("shape missing, malformed or too large");
    }
    return NpyHeader{start + length, *data, "'" + std::string(descr) + "' " + shape};
}

} // namespace cxrcat::decode
