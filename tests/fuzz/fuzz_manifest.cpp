// SPDX-License-Identifier: Apache-2.0
// Fuzzes the project manifest reader (cxrcat.json).
#include "cxrcat/plan/manifest.hpp"
#include "fuzz_support.hpp"

CXRCAT_FUZZ_TEXT_HARNESS(text) {
    auto manifest = parse_manifest(text, "/project/cxrcat.json");
    if (manifest) {
        for (const auto& entry : manifest->datasets) {
            fuzz_require(!entry.id.empty(), "a manifest entry names a dataset");
        }
        fuzz_require(manifest->lock_path() == "/project/cxrcat.lock", "the lock file is beside the manifest");
    } else {
        fuzz_require(manifest.error().code() == ErrorCode::invalid_catalog, "a bad manifest is invalid_catalog");
    }
}
