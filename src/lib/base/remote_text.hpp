// SPDX-License-Identifier: Apache-2.0
// Private: text from a provider's server (error messages) made fit to show.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace cxrcat::providers {

// A server's message made safe for a terminal: control bytes become spaces, runs of blanks one
// space, and the text is cut to at most max_bytes (ending with "…" when cut).
[[nodiscard]] std::string printable_excerpt(std::string_view text, std::size_t max_bytes = 300);

} // namespace cxrcat::providers
