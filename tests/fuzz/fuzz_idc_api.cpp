// SPDX-License-Identifier: Apache-2.0
// Fuzzes the IDC REST API v3 `/cohort/manifest` page parser.
#include "fuzz_support.hpp"
#include "providers/idc_api.hpp"

CXRCAT_FUZZ_TEXT_HARNESS(text) {
    auto page = providers::parse_idc_manifest_page(text);
    if (page) {
        for (const auto& row : page->rows) {
            (void)row.metadata();
        }
    } else {
        fuzz_require(!page.error().message().empty(), "a refused page says why");
    }
}
