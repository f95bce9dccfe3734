// SPDX-License-Identifier: Apache-2.0
// Fuzzes Kaggle's competition file-list parser and its error-body reader.
#include "fuzz_support.hpp"
#include "providers/kaggle_listing.hpp"

using namespace cxrcat;
using namespace cxrcat::fuzz;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view body = fuzz_text(data, size);
    auto page = providers::parse_kaggle_file_list(body);
    if (page) {
        for (const auto& file : page->files) {
            fuzz_require(!file.name.empty(), "a Kaggle file has a name");
        }
    }
    (void)providers::kaggle_error_message(body);
    return 0;
}
