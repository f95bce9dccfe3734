// SPDX-License-Identifier: Apache-2.0
// Fuzzes the IDC REST API v3 `/cohort/manifest` page parser.
#include "fuzz_support.hpp"
#include "providers/idc_api.hpp"

using namespace cxrcat;
using namespace cxrcat::fuzz;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto page = providers::parse_idc_manifest_page(fuzz_text(data, size));
    if (page) {
        for (const auto& row : page->rows) {
            (void)row.metadata();
        }
    } else {
        fuzz_require(!page.error().message().empty(), "a refused page says why");
    }
    return 0;
}
