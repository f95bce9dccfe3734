// SPDX-License-Identifier: Apache-2.0
// Fuzzes the format dispatch of the image checks: input is "file name\0first bytes".
#include "cxrcat/decode/image_check.hpp"
#include "fuzz_support.hpp"

CXRCAT_FUZZ_TEXT_HARNESS(text) {
    auto parts = fuzz_split(text, '\0', 2);
    std::string_view name = parts.size() == 2 ? parts[0] : std::string_view("IM0001");
    std::string_view head = parts.back();
    auto format = image_format_of(std::string(name), std::as_bytes(std::span(head.data(), head.size())));
    if (format && name.find('.') == std::string_view::npos) {
        fuzz_require(*format == ImageFormat::dicom || *format == ImageFormat::png || *format == ImageFormat::jpeg,
                     "a name without an extension is only sniffed for DICOM, PNG or JPEG");
    }
}
