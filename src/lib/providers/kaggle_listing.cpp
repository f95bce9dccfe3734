// SPDX-License-Identifier: Apache-2.0
#include "providers/kaggle_listing.hpp"

#include "cxrcat/base/text.hpp"
#include "providers/parsers.hpp"

#include <nlohmann/json.hpp>

namespace cxrcat::providers {

namespace {

Error malformed_file_list(const std::string& why) {
    return Error(ErrorCode::network, "unexpected answer from the Kaggle file list: " + why,
                 {"a proxy or a changed Kaggle API may be in the way; retry later"});
}

} // namespace

Result<KaggleFilePage> parse_kaggle_file_list(std::string_view body) {
    auto json = nlohmann::json::parse(body, nullptr, false);
    if (json.is_discarded()) {
        return malformed_file_list("not JSON");
    }
    KaggleFilePage page;
    const nlohmann::json* files = nullptr;
    if (json.is_array()) {
        files = &json;
    } else if (json.is_object()) {
        // ApiListDatasetFilesResponse calls its list datasetFiles (Kaggle/kaggle-api@cdc969b
        // src/kagglesdk/datasets/types/dataset_api_service.py `ApiListDatasetFilesResponse._fields`).
        auto it = json.find("files");
        if (it == json.end()) {
            it = json.find("datasetFiles");
        }
        if (auto error = json.find("errorMessage"); error != json.end() && error->is_string()) {
            page.error_message = error->get<std::string>();
        }
        if (it == json.end() || it->is_null()) {
            // An empty competition may omit the list altogether.
            files = nullptr;
        } else if (!it->is_array()) {
            return malformed_file_list("\"files\" is not a list");
        } else {
            files = &*it;
        }
        if (auto token = json.find("nextPageToken"); token != json.end() && token->is_string()) {
            page.next_page_token = token->get<std::string>();
        }
        if (files == nullptr && json.find("files") == json.end() && json.find("datasetFiles") == json.end() &&
            json.find("nextPageToken") == json.end() && page.error_message.empty()) {
            return malformed_file_list("neither {\"files\": [...]} nor a list of files");
        }
    } else {
        return malformed_file_list("neither {\"files\": [...]} nor a list of files");
    }
    if (files != nullptr) {
        for (const auto& item : *files) {
            if (!item.is_object()) {
                return malformed_file_list("a file entry is not an object");
            }
            auto name = item.find("name");
            if (name == item.end() || !name->is_string() || name->get_ref<const std::string&>().empty()) {
                return malformed_file_list("a file entry has no name");
            }
            KaggleDataFile file;
            file.name = name->get_ref<const std::string&>();
            if (auto size = item.find("totalBytes"); size != item.end()) {
                file.size = json_size(*size);
            }
            page.files.push_back(std::move(file));
        }
    }
    return page;
}

std::string kaggle_error_message(std::string_view body) {
    auto json = nlohmann::json::parse(body, nullptr, false);
    if (!json.is_object()) {
        return {};
    }
    // The RPC API wraps it as Google's error model: {"error": {"code": 429, "message": "Too many
    // requests", "status": "RESOURCE_EXHAUSTED"}} (Kaggle/kaggle-cli#931, api-drift-2026.md §6.3).
    if (auto wrapped = json.find("error"); wrapped != json.end() && wrapped->is_object()) {
        auto message = wrapped->find("message");
        return message != wrapped->end() && message->is_string() ? message->get<std::string>() : std::string{};
    }
    auto message = json.find("message");
    return message != json.end() && message->is_string() ? message->get<std::string>() : std::string{};
}

KaggleRefusal classify_kaggle_refusal(std::string_view message) {
    // Rules: openai/mle-bench#29 and Kaggle/kaggle-cli#152 quote the body. competitions.get: the
    // "Required permission ... was not satisfied" form for a download (Kaggle/kaggle-cli#448) and
    // "Permission ... was denied" for a file list (Kaggle/kaggle-cli#488), both for a competition
    // name that does not exist.
    if (contains_ignoring_case(message, "accept this competition") && contains_ignoring_case(message, "rules")) {
        return KaggleRefusal::rules_not_accepted;
    }
    if (contains_ignoring_case(message, "competitions.get")) {
        return KaggleRefusal::no_such_competition;
    }
    return KaggleRefusal::other;
}

} // namespace cxrcat::providers
