// SPDX-License-Identifier: Apache-2.0
#include "decode/format_checks.hpp"

#include <algorithm>
#include <cstring>

namespace cxrcat::decode {

// The loops keep their extremes in locals of the sample's own type, which the compiler turns into
// vector min/max: the range of a 1024 × 1024 image costs well under a millisecond.
void SampleRange::add_row(const unsigned char* row, std::size_t bytes, unsigned bytes_per_sample) {
    if (bytes_per_sample == 2) {
        std::uint16_t low = 0xFFFF;
        std::uint16_t high = 0;
        for (std::size_t i = 0; i + 1 < bytes; i += 2) {
            std::uint16_t sample = 0;
            std::memcpy(&sample, row + i, 2);
            low = std::min(low, sample);
            high = std::max(high, sample);
        }
        if (bytes >= 2) {
            add(low);
            add(high);
        }
        return;
    }
    unsigned char low = 0xFF;
    unsigned char high = 0;
    for (std::size_t i = 0; i < bytes; ++i) {
        low = std::min(low, row[i]);
        high = std::max(high, row[i]);
    }
    if (bytes > 0) {
        add(low);
        add(high);
    }
}

void SampleRange::warn_if_constant(ImageCheck& check) const {
    if (m_min == m_max) {
        check.warnings.push_back("constant: every sample is " + std::to_string(m_min));
    }
}

ImageCheck failed(ImageFormat format, std::string check, std::string detail) {
    ImageCheck out;
    out.format = format;
    out.check = std::move(check);
    out.detail = std::move(detail);
    return out;
}

} // namespace cxrcat::decode
