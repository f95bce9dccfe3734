// SPDX-License-Identifier: Apache-2.0
// Fuzzes the cxrcat.lock reader; whatever it accepts must survive writing and reading back unchanged.
#include "cxrcat/state/lock_file.hpp"
#include "fuzz_support.hpp"

using namespace cxrcat;
using namespace cxrcat::fuzz;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::filesystem::path path = "/project/cxrcat.lock";
    auto lock = LockFile::parse(fuzz_text(data, size), path);
    if (!lock) {
        fuzz_require(lock.error().code() == ErrorCode::invalid_catalog, "a damaged lock file is invalid_catalog");
        return 0;
    }
    std::string text = lock->to_text();
    auto again = LockFile::parse(text, path);
    fuzz_require(again.has_value(), "a written lock file reads back");
    fuzz_require(again->to_text() == text, "a lock file round-trips");
    fuzz_require(again->datasets == lock->datasets, "the datasets round-trip");
    return 0;
}
