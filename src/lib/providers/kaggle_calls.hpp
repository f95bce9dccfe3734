// SPDX-License-Identifier: Apache-2.0
// Private: the requests of Kaggle's two APIs (api-drift-2026.md §6.1). The official clients moved
// from the REST paths on www.kaggle.com (kaggle <= 1.7.4.5) to RPC methods on api.kaggle.com
// (kagglesdk, kaggle >= 1.8); cxrcat asks the RPC API and the REST one only when RPC is not served.
#pragma once

#include "cxrcat/providers/provider.hpp"

#include <string>

namespace cxrcat::providers {

enum class KaggleApi { rpc, legacy };

// One request: a POST of body (JSON) for an RPC method, a GET when body is "".
struct KaggleCall {
    std::string url;
    std::string body;
};

// One page of a competition's file list (ListDataFiles / data/list); token "" for the first page.
[[nodiscard]] KaggleCall kaggle_list_call(KaggleApi api, const ProviderEndpoints& endpoints, const std::string& slug,
                                          int page_size, const std::string& token);

// One file of a competition (DownloadDataFile / data/download): answers with a redirect to a
// signed Google Cloud Storage URL.
[[nodiscard]] KaggleCall kaggle_download_call(KaggleApi api, const ProviderEndpoints& endpoints,
                                              const std::string& slug, const std::string& name);

// Every file of a competition as one zip (DownloadDataFiles, RPC only): answers with a redirect to a
// signed Google Cloud Storage URL of "<competition>.zip".
[[nodiscard]] KaggleCall kaggle_archive_call(const ProviderEndpoints& endpoints, const std::string& slug);

// True when an RPC answer means "this host serves no such method" (a proxy or mirror of the REST
// API only): 404, 405 or 501. A 401/403 is Kaggle judging the credentials, never a reason to fall back.
[[nodiscard]] bool kaggle_rpc_absent(long status);

} // namespace cxrcat::providers
