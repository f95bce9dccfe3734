// SPDX-License-Identifier: Apache-2.0
// Fuzzes the NumPy .npy header reader (decode/npy_header.cpp): input is the file's first bytes.
#include "decode/header_readers.hpp"
#include "fuzz_support.hpp"

using namespace cxrcat;
using namespace cxrcat::fuzz;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view bytes = fuzz_text(data, size);
    auto header = decode::parse_npy_header(std::as_bytes(std::span(bytes.data(), bytes.size())));
    if (header) {
        fuzz_require(header->data_offset <= bytes.size(), "the array starts inside the input");
    }
    return 0;
}
