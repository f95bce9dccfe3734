// SPDX-License-Identifier: Apache-2.0
// Helpers shared by the fuzz harnesses (each harness is its own executable, so inline is enough).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <vector>

namespace cxrcat::fuzz {

// The fuzzer's bytes as text (they may hold any byte, NUL included).
inline std::string_view fuzz_text(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size}; // NOLINT(cppcoreguidelines-pro-type-reinterpret-cast)
}

// A broken invariant is a crash: libFuzzer keeps the input, the replay test fails.
inline void fuzz_require(bool holds, const char* what) {
    if (!holds) {
        std::fprintf(stderr, "fuzz: invariant broken: %s\n", what);
        std::abort();
    }
}

// Splits text on a separator byte into at most `limit` parts (the last part keeps the rest), so one
// input can carry several documents.
inline std::vector<std::string_view> fuzz_split(std::string_view text, char separator, std::size_t limit) {
    std::vector<std::string_view> parts;
    while (parts.size() + 1 < limit) {
        std::size_t at = text.find(separator);
        if (at == std::string_view::npos) {
            break;
        }
        parts.push_back(text.substr(0, at));
        text.remove_prefix(at + 1);
    }
    parts.push_back(text);
    return parts;
}

// True when text is lowercase hex of exactly `length` digits.
inline bool fuzz_is_lower_hex(std::string_view text, std::size_t length) {
    if (text.size() != length) {
        return false;
    }
    for (char c : text) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            return false;
        }
    }
    return true;
}

} // namespace cxrcat::fuzz

// The libFuzzer entry point of a harness that reads its input as text: `CXRCAT_FUZZ_TEXT_HARNESS(text) { ... }`
// is the body, run with the input as the std::string_view `text` and with cxrcat and cxrcat::fuzz in scope.
// The body is static, so the replay binary (which renames each LLVMFuzzerTestOneInput) can hold them all.
#define CXRCAT_FUZZ_TEXT_HARNESS(text)                                                                                 \
    namespace cxrcat::fuzz {                                                                                           \
    static void fuzz_one_text(std::string_view text);                                                                  \
    }                                                                                                                  \
    extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {                                \
        cxrcat::fuzz::fuzz_one_text(cxrcat::fuzz::fuzz_text(data, size));                                              \
        return 0;                                                                                                      \
    }                                                                                                                  \
    void cxrcat::fuzz::fuzz_one_text(std::string_view text)
