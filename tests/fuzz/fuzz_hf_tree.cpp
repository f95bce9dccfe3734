// SPDX-License-Identifier: Apache-2.0
// Fuzzes the Hugging Face tree API page parser.
#include "fuzz_support.hpp"
#include "providers/huggingface_tree.hpp"

CXRCAT_FUZZ_TEXT_HARNESS(text) {
    auto files = providers::parse_hub_tree_page(text);
    if (files) {
        for (const auto& file : *files) {
            fuzz_require(!file.path.empty(), "a Hub file has a path");
            fuzz_require(file.lfs_sha256.empty() || fuzz_is_lower_hex(file.lfs_sha256, 64),
                         "an LFS oid is 64 lowercase hex");
        }
    }
}
