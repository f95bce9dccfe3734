// SPDX-License-Identifier: Apache-2.0
// Fuzzes the Link header (Hugging Face paging) and the resolution of its target: input is
// "header\0base URL\0endpoint".
#include "fuzz_support.hpp"
#include "providers/link_header.hpp"

#include <string>

CXRCAT_FUZZ_TEXT_HARNESS(text) {
    auto parts = fuzz_split(text, '\0', 3);
    std::string base = parts.size() > 1 ? std::string(parts[1]) : "https://huggingface.co/api/datasets/x/tree/main";
    std::string endpoint = parts.size() > 2 ? std::string(parts[2]) : "https://mirror.example/hf";
    auto next = providers::link_next_url(parts[0]);
    if (!next) {
        return;
    }
    fuzz_require(parts[0].find(*next) != std::string_view::npos, "the next URL is taken from the header");
    auto resolved = providers::resolve_link_target(base, *next);
    if (resolved) {
        fuzz_require(resolved->rfind("http://", 0) == 0 || resolved->rfind("https://", 0) == 0 ||
                         resolved->find("://") != std::string::npos,
                     "a resolved link is absolute");
        auto rebased = providers::rebase_on_endpoint(endpoint, *resolved);
        if (rebased) {
            fuzz_require(rebased->rfind(endpoint, 0) == 0, "a rebased URL starts with the endpoint");
        }
    }
}
