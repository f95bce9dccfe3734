// SPDX-License-Identifier: Apache-2.0
#include "base/remote_text.hpp"

namespace cxrcat::providers {

namespace {

bool is_control(char c) {
    return static_cast<unsigned char>(c) < 0x20 || c == 0x7F;
}

} // namespace

std::string printable_excerpt(std::string_view text, std::size_t max_bytes) {
    std::string out;
    for (char c : text) {
        char shown = is_control(c) ? ' ' : c;
        if (shown == ' ' && (out.empty() || out.back() == ' ')) {
            continue;
        }
        out.push_back(shown);
    }
    while (!out.empty() && out.back() == ' ') {
        out.pop_back();
    }
    if (out.size() > max_bytes) {
        std::size_t cut = max_bytes;
        // Do not split a UTF-8 sequence: back up to the start of a code point.
        while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0U) == 0x80U) {
            --cut;
        }
        out.resize(cut);
        out += "…";
    }
    return out;
}

} // namespace cxrcat::providers
