// SPDX-License-Identifier: Apache-2.0
// Fuzzes Kaggle's competition file-list parser and its error-body reader.
#include "fuzz_support.hpp"
#include "providers/kaggle_listing.hpp"

CXRCAT_FUZZ_TEXT_HARNESS(body) {
    auto page = providers::parse_kaggle_file_list(body);
    if (page) {
        for (const auto& file : page->files) {
            fuzz_require(!file.name.empty(), "a Kaggle file has a name");
        }
    }
    (void)providers::kaggle_error_message(body);
}
