// SPDX-License-Identifier: Apache-2.0
// Fuzzes the NIfTI-1/-2 header reader (decode/nifti_header.cpp): input is the file's first bytes.
#include "decode/header_readers.hpp"
#include "fuzz_support.hpp"

CXRCAT_FUZZ_TEXT_HARNESS(bytes) {
    auto header = decode::parse_nifti_header(std::as_bytes(std::span(bytes.data(), bytes.size())));
    if (header) {
        fuzz_require(header->version == 1 || header->version == 2, "NIfTI-1 or NIfTI-2");
        fuzz_require(header->data_offset >= 348, "the voxels start after the header");
    }
}
