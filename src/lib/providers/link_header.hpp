// SPDX-License-Identifier: Apache-2.0
// Private: the RFC 8288 `Link` header, as the Hugging Face Hub uses it for paging.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace cxrcat::providers {

// The target of the link whose rel list contains "next" (`<URL>; rel="next"`), or nullopt when
// there is none. The URL is returned as written (it may be relative).
[[nodiscard]] std::optional<std::string> link_next_url(std::string_view header);

// target resolved against the URL it was found in: absolute URLs unchanged, "/path" on base's
// origin. Anything else (e.g. "path" or "//host") gives nullopt.
[[nodiscard]] std::optional<std::string> resolve_link_target(const std::string& base, const std::string& target);

// url's path and query moved onto endpoint (a base URL without trailing slash), unless url already
// starts with endpoint: "https://huggingface.co/api/x?c=1" on "https://mirror.example/hf" gives
// "https://mirror.example/hf/api/x?c=1". nullopt when url is not absolute.
[[nodiscard]] std::optional<std::string> rebase_on_endpoint(const std::string& endpoint, const std::string& url);

} // namespace cxrcat::providers
