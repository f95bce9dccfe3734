// SPDX-License-Identifier: Apache-2.0
// Private: the requests of Kaggle's two APIs (api-drift-2026.md §6.1). The official clients moved
// from the REST paths on www.kaggle.com (kaggle <= 1.7.4.5) to RPC methods on api.kaggle.com
// (kagglesdk, kaggle >= 1.8); cxrcat asks the RPC API and the REST one only when RPC is not served.
#pragma once

#include "cxrcat/providers/provider.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace cxrcat::providers {

enum class KaggleApi { rpc, legacy };

// What a kaggle source names: a competition, or a dataset "<owner>/<slug>[/<version>]" (kaggle-cli's
// `split_dataset_string`, Kaggle/kaggle-api@1744cda src/kaggle/api/kaggle_api_extended.py).
struct KaggleRef {
    std::string competition; // "" for a dataset
    std::string owner;
    std::string dataset;
    std::optional<std::int64_t> version; // datasetVersionNumber; unset asks the current version

    [[nodiscard]] bool is_dataset() const { return competition.empty(); }
    // "competition" or "dataset", and its name as Kaggle spells it ("<slug>" or "<owner>/<slug>").
    [[nodiscard]] std::string kind() const { return is_dataset() ? "dataset" : "competition"; }
    [[nodiscard]] std::string name() const { return is_dataset() ? owner + "/" + dataset : competition; }
    // Its page on www.kaggle.com.
    [[nodiscard]] std::string page_url() const {
        return is_dataset() ? "https://www.kaggle.com/datasets/" + name()
                            : "https://www.kaggle.com/competitions/" + name();
    }
};

// One request: a POST of body (JSON) for an RPC method, a GET when body is "".
struct KaggleCall {
    std::string url;
    std::string body;
};

// One page of the file list (ListDataFiles / data/list; ListDatasetFiles); token "" for the first
// page. A dataset is always asked of the RPC API: today's clients show no REST path for it.
[[nodiscard]] KaggleCall kaggle_list_call(KaggleApi api, const ProviderEndpoints& endpoints, const KaggleRef& ref,
                                          int page_size, const std::string& token);

// One file (DownloadDataFile / data/download; DownloadDataset with fileName): answers with a
// redirect to a signed Google Cloud Storage URL.
[[nodiscard]] KaggleCall kaggle_download_call(KaggleApi api, const ProviderEndpoints& endpoints, const KaggleRef& ref,
                                              const std::string& name);

// Every file as one zip (DownloadDataFiles; DownloadDataset without fileName; RPC only): answers
// with a redirect to a signed Google Cloud Storage URL of "<competition>.zip" / "<slug>.zip".
[[nodiscard]] KaggleCall kaggle_archive_call(const ProviderEndpoints& endpoints, const KaggleRef& ref);

// True when an RPC answer means "this host serves no such method" (a proxy or mirror of the REST
// API only): 404, 405 or 501. A 401/403 is Kaggle judging the credentials, never a reason to fall back.
[[nodiscard]] bool kaggle_rpc_absent(long status);

} // namespace cxrcat::providers
