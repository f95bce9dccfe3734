// SPDX-License-Identifier: Apache-2.0
#include "providers/kaggle_calls.hpp"

#include "providers/provider_common.hpp"

#include <nlohmann/json.hpp>

namespace cxrcat::providers {

namespace {

// kagglesdk's KaggleHttpClient._get_request_url: "{endpoint}/v1/{service_name}/{request_name}" on prod.
constexpr std::string_view k_competition_service = "/v1/competitions.CompetitionApiService/";
// kagglesdk's DatasetApiClient (Kaggle/kaggle-api@cdc969b src/kagglesdk/datasets/services/
// dataset_api_service.py): self._client.call("datasets.DatasetApiService", "ListDatasetFiles" | "DownloadDataset",
// ...).
constexpr std::string_view k_dataset_service = "/v1/datasets.DatasetApiService/";

std::string rpc_url(const ProviderEndpoints& endpoints, std::string_view method) {
    return join_url(endpoints.kaggle_api, std::string(k_competition_service) + std::string(method));
}

std::string dataset_rpc_url(const ProviderEndpoints& endpoints, std::string_view method) {
    return join_url(endpoints.kaggle_api, std::string(k_dataset_service) + std::string(method));
}

// The fields that name a dataset in ApiListDatasetFilesRequest and ApiDownloadDatasetRequest
// (Kaggle/kaggle-api@cdc969b src/kagglesdk/datasets/types/dataset_api_service.py `_fields`): ownerSlug,
// datasetSlug, and datasetVersionNumber only when set (optional=True: to_dict leaves None out).
nlohmann::json dataset_body(const KaggleRef& ref) {
    nlohmann::json body = {{"ownerSlug", ref.owner}, {"datasetSlug", ref.dataset}};
    if (ref.version) {
        body["datasetVersionNumber"] = *ref.version;
    }
    return body;
}

} // namespace

KaggleCall kaggle_list_call(KaggleApi api, const ProviderEndpoints& endpoints, const KaggleRef& ref, int page_size,
                            const std::string& token) {
    if (ref.is_dataset()) {
        // ApiListDatasetFilesRequest: ownerSlug, datasetSlug, datasetVersionNumber, pageToken, pageSize
        // (kaggle-cli's `dataset_list_files` sets all five, Kaggle/kaggle-api@1744cda kaggle_api_extended.py).
        nlohmann::json body = dataset_body(ref);
        body["pageSize"] = page_size;
        if (!token.empty()) {
            body["pageToken"] = token;
        }
        return {dataset_rpc_url(endpoints, "ListDatasetFiles"), body.dump()};
    }
    const std::string& slug = ref.competition;
    if (api == KaggleApi::rpc) {
        // ApiListDataFilesRequest: competitionName, pageSize, pageToken (camelCase, as kagglesdk's
        // KaggleObject.to_dict writes them; an unset pageToken is left out).
        nlohmann::json body = {{"competitionName", slug}, {"pageSize", page_size}};
        if (!token.empty()) {
            body["pageToken"] = token;
        }
        return {rpc_url(endpoints, "ListDataFiles"), body.dump()};
    }
    std::string url = join_url(endpoints.kaggle, "/api/v1/competitions/data/list/" + url_encode(slug, false) +
                                                     "?pageSize=" + std::to_string(page_size));
    if (!token.empty()) {
        url += "&pageToken=" + url_encode(token, false);
    }
    return {url, ""};
}

KaggleCall kaggle_download_call(KaggleApi api, const ProviderEndpoints& endpoints, const KaggleRef& ref,
                                const std::string& name) {
    if (ref.is_dataset()) {
        // ApiDownloadDatasetRequest with fileName: one file, an HttpRedirect (kaggle-cli's
        // `dataset_download_file`; kagglehub@5584faf src/kagglehub/http_resolver.py
        // `_build_dataset_download_request`). raw and hashLink are left unset, as both clients do.
        nlohmann::json body = dataset_body(ref);
        body["fileName"] = name;
        return {dataset_rpc_url(endpoints, "DownloadDataset"), body.dump()};
    }
    const std::string& slug = ref.competition;
    if (api == KaggleApi::rpc) {
        // ApiDownloadDataFileRequest: competitionName, fileName; the answer is an HttpRedirect.
        nlohmann::json body = {{"competitionName", slug}, {"fileName", name}};
        return {rpc_url(endpoints, "DownloadDataFile"), body.dump()};
    }
    return {join_url(endpoints.kaggle,
                     "/api/v1/competitions/data/download/" + url_encode(slug, false) + "/" + url_encode(name, true)),
            ""};
}

KaggleCall kaggle_archive_call(const ProviderEndpoints& endpoints, const KaggleRef& ref) {
    if (ref.is_dataset()) {
        // ApiDownloadDatasetRequest without fileName: the whole dataset, saved as "<slug>.zip"
        // (kaggle-cli's `dataset_download_files`; kagglehub's DatasetHttpResolver "the full archived bundle").
        return {dataset_rpc_url(endpoints, "DownloadDataset"), dataset_body(ref).dump()};
    }
    const std::string& slug = ref.competition;
    // ApiDownloadDataFilesRequest: competitionName alone; the answer is an HttpRedirect to one zip
    // (Kaggle/kaggle-api@1744cda src/kaggle/api/kaggle_api_extended.py `competition_download_files`).
    nlohmann::json body = {{"competitionName", slug}};
    return {rpc_url(endpoints, "DownloadDataFiles"), body.dump()};
}

bool kaggle_rpc_absent(long status) {
    return status == 404 || status == 405 || status == 501;
}

} // namespace cxrcat::providers
