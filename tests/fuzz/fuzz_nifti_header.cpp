// SPDX-License-Identifier: Apache-2.0
// Fuzzes the NIfTI-1/-2 header reader (decode/nifti_header.cpp): input is the file's first bytes.
#include "decode/header_readers.hpp"
#include "fuzz_support.hpp"

using namespace cxrcat;
using namespace cxrcat::fuzz;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view bytes = fuzz_text(data, size);
    auto header = decode::parse_nifti_header(std::as_bytes(std::span(bytes.data(), bytes.size())));
    if (header) {
        fuzz_require(header->version == 1 || header->version == 2, "NIfTI-1 or NIfTI-2");
        fuzz_require(header->data_offset >= 348, "the voxels start after the header");
    }
    return 0;
}
