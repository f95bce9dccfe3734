// SPDX-License-Identifier: Apache-2.0
// Fuzzes the MetaImage header reader (decode/metaimage_header.cpp): input is the header text.
#include "decode/header_readers.hpp"
#include "fuzz_support.hpp"

CXRCAT_FUZZ_TEXT_HARNESS(text) {
    auto header = decode::parse_metaimage_header(text);
    if (header) {
        fuzz_require(header->header_bytes <= text.size(), "the header ends inside the input");
        fuzz_require(!header->data_file.empty(), "a parsed header names its data file");
    }
}
