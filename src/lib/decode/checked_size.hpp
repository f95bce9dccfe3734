// SPDX-License-Identifier: Apache-2.0
// Private to decode: sizes multiplied from untrusted header fields, refusing overflow.
#pragma once

#include <cstdint>
#include <optional>

namespace cxrcat::decode {

// a × b, or nullopt when it does not fit in 64 bits.
[[nodiscard]] inline std::optional<std::uint64_t> checked_product(std::uint64_t a, std::uint64_t b) {
    std::uint64_t product = 0;
    if (__builtin_mul_overflow(a, b, &product)) {
        return std::nullopt;
    }
    return product;
}

} // namespace cxrcat::decode
