// SPDX-License-Identifier: Apache-2.0
// Fuzzes the Hugging Face tree API page parser.
#include "fuzz_support.hpp"
#include "providers/huggingface_tree.hpp"

using namespace cxrcat;
using namespace cxrcat::fuzz;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto files = providers::parse_hub_tree_page(fuzz_text(data, size));
    if (files) {
        for (const auto& file : *files) {
            fuzz_require(!file.path.empty(), "a Hub file has a path");
            fuzz_require(file.lfs_sha256.empty() || fuzz_is_lower_hex(file.lfs_sha256, 64),
                         "an LFS oid is 64 lowercase hex");
        }
    }
    return 0;
}
