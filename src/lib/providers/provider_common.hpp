// SPDX-License-Identifier: Apache-2.0
// Private: what the provider clients share.
#pragma once

#include "cxrcat/http_get.hpp"
#include "cxrcat/provider.hpp"

#include <memory>
#include <string>

namespace cxrcat::providers {

std::unique_ptr<ProviderClient> make_http_client(const ProviderContext& context);
std::unique_ptr<ProviderClient> make_zenodo_client(const ProviderContext& context);
std::unique_ptr<ProviderClient> make_physionet_client(const ProviderContext& context);
std::unique_ptr<ProviderClient> make_kaggle_client(const ProviderContext& context);
std::unique_ptr<ProviderClient> make_huggingface_client(const ProviderContext& context);
std::unique_ptr<ProviderClient> make_idc_client(const ProviderContext& context);

// A request with the context's CA bundle and user agent.
[[nodiscard]] HttpRequest base_request(const ProviderContext& context, std::string url);

// "****abcd" for a credential, with where it came from.
[[nodiscard]] std::string describe_credential(const Credential& credential);

// Percent-encodes text for a URL path segment; '/' is kept when keep_slash.
[[nodiscard]] std::string url_encode(std::string_view text, bool keep_slash);

// Joins a base URL (no trailing slash) and a path starting with '/'.
[[nodiscard]] std::string join_url(const std::string& base, const std::string& path);

// A transport failure during a probe, as a ProbeResult.
[[nodiscard]] ProbeResult unreachable(const Error& error);

} // namespace cxrcat::providers
