// SPDX-License-Identifier: Apache-2.0
// Fuzzes the project manifest reader (cxrcat.json).
#include "cxrcat/plan/manifest.hpp"
#include "fuzz_support.hpp"

using namespace cxrcat;
using namespace cxrcat::fuzz;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto manifest = parse_manifest(fuzz_text(data, size), "/project/cxrcat.json");
    if (manifest) {
        for (const auto& entry : manifest->datasets) {
            fuzz_require(!entry.id.empty(), "a manifest entry names a dataset");
        }
        fuzz_require(manifest->lock_path() == "/project/cxrcat.lock", "the lock file is beside the manifest");
    } else {
        fuzz_require(manifest.error().code() == ErrorCode::invalid_catalog, "a bad manifest is invalid_catalog");
    }
    return 0;
}
