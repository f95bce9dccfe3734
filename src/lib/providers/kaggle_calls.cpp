// SPDX-License-Identifier: Apache-2.0
#include "providers/kaggle_calls.hpp"

#include "providers/provider_common.hpp"

#include <nlohmann/json.hpp>

namespace cxrcat::providers {

namespace {

// kagglesdk's KaggleHttpClient._get_request_url: "{endpoint}/v1/{service_name}/{request_name}" on prod.
constexpr std::string_view k_competition_service = "/v1/competitions.CompetitionApiService/";

std::string rpc_url(const ProviderEndpoints& endpoints, std::string_view method) {
    return join_url(endpoints.kaggle_api, std::string(k_competition_service) + std::string(method));
}

} // namespace

KaggleCall kaggle_list_call(KaggleApi api, const ProviderEndpoints& endpoints, const std::string& slug, int page_size,
                            const std::string& token) {
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

KaggleCall kaggle_download_call(KaggleApi api, const ProviderEndpoints& endpoints, const std::string& slug,
                                const std::string& name) {
    if (api == KaggleApi::rpc) {
        // ApiDownloadDataFileRequest: competitionName, fileName; the answer is an HttpRedirect.
        nlohmann::json body = {{"competitionName", slug}, {"fileName", name}};
        return {rpc_url(endpoints, "DownloadDataFile"), body.dump()};
    }
    return {join_url(endpoints.kaggle,
                     "/api/v1/competitions/data/download/" + url_encode(slug, false) + "/" + url_encode(name, true)),
            ""};
}

KaggleCall kaggle_archive_call(const ProviderEndpoints& endpoints, const std::string& slug) {
    // ApiDownloadDataFilesRequest: competitionName alone; the answer is an HttpRedirect to one zip
    // (Kaggle/kaggle-api@1744cda src/kaggle/api/kaggle_api_extended.py `competition_download_files`).
    nlohmann::json body = {{"competitionName", slug}};
    return {rpc_url(endpoints, "DownloadDataFiles"), body.dump()};
}

bool kaggle_rpc_absent(long status) {
    return status == 404 || status == 405 || status == 501;
}

} // namespace cxrcat::providers
