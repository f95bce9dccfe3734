// SPDX-License-Identifier: Apache-2.0
// Fuzzes the NumPy .npy header reader (decode/npy_header.cpp): input is the file's first bytes.
#include "decode/header_readers.hpp"
#include "fuzz_support.hpp"

CXRCAT_FUZZ_TEXT_HARNESS(bytes) {
    auto header = decode::parse_npy_header(std::as_bytes(std::span(bytes.data(), bytes.size())));
    if (header) {
        fuzz_require(header->data_offset <= bytes.size(), "the array starts inside the input");
    }
}
