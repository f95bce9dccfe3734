// SPDX-License-Identifier: Apache-2.0
// Fuzzes the cxrcat.lock reader; whatever it accepts must survive writing and reading back unchanged.
#include "cxrcat/state/lock_file.hpp"
#include "fuzz_support.hpp"

CXRCAT_FUZZ_TEXT_HARNESS(text) {
    const std::filesystem::path path = "/project/cxrcat.lock";
    auto lock = LockFile::parse(text, path);
    if (!lock) {
        fuzz_require(lock.error().code() == ErrorCode::invalid_catalog, "a damaged lock file is invalid_catalog");
        return;
    }
    std::string written = lock->to_text();
    auto again = LockFile::parse(written, path);
    fuzz_require(again.has_value(), "a written lock file reads back");
    fuzz_require(again->to_text() == written, "a lock file round-trips");
    fuzz_require(again->datasets == lock->datasets, "the datasets round-trip");
}
