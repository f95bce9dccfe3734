// SPDX-License-Identifier: Apache-2.0
// The built-in catalog's dataset summaries, made when cxrcat was built: the generated source
// (src/build_tools/catalog_summaries.cpp writes it) defines this function.
#pragma once

#include <string_view>

namespace cxrcat::cli {

// summaries_to_json's form of every built-in dataset, in id order.
[[nodiscard]] std::string_view builtin_summaries_json();

} // namespace cxrcat::cli
