// SPDX-License-Identifier: Apache-2.0
#include "decode/format_checks.hpp"

#include <cstring>

namespace cxrcat::decode {

void SampleRange::add_row(const unsigned char* row, std::size_t bytes, unsigned bytes_per_sample) {
    if (bytes_per_sample == 2) {
        for (std::size_t i = 0; i + 1 < bytes; i += 2) {
            std::uint16_t sample = 0;
            std::memcpy(&sample, row + i, 2);
            add(sample);
        }
        return;
    }
    for (std::size_t i = 0; i < bytes; ++i) {
        add(row[i]);
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
