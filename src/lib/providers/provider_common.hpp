// SPDX-License-Identifier: Apache-2.0
// Private: what the provider clients share.
#pragma once

#include "cxrcat/http_get.hpp"
#include "cxrcat/provider.hpp"

#include <memory>
#include <string>
#include <vector>

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

// True when error is a download failure from the transfer engine (it names its `source: URL`),
// as opposed to an error resolve() already explained: explain() adds its diagnosis only to those.
[[nodiscard]] bool is_transfer_failure(const Error& error);

// What matching a provider's listing against the files the catalog names for a source found.
struct CatalogMatch {
    std::vector<std::string> missing;   // catalog paths the listing lacks
    std::vector<std::string> conflicts; // "path: md5 <catalog> in the catalog, <provider> from the provider"
};

// Applies the catalog's files of source to the files a provider listed, matched by path, else by
// file name: the catalog's path, extract flag and size, and its published digests (a digest the
// provider also gives must agree).
[[nodiscard]] CatalogMatch apply_catalog_files(const Source& source, std::vector<ResolvedFile>& files);

} // namespace cxrcat::providers
