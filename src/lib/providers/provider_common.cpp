// SPDX-License-Identifier: Apache-2.0
#include "providers/provider_common.hpp"

#include "base/remote_text.hpp"
#include "cxrcat/base/redacted_url.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>

namespace cxrcat {

namespace {

std::string env_or(const char* name, const std::string& fallback) {
    const char* value = std::getenv(name); // NOLINT(concurrency-mt-unsafe): read before threads start
    std::string text = value ? value : "";
    while (!text.empty() && text.back() == '/') {
        text.pop_back();
    }
    return text.empty() ? fallback : text;
}

// CXRCAT_URL_REWRITE: "FROM=TO" rules separated by whitespace; FROM is cut at the first '='.
std::vector<UrlRewrite> rewrites_from_environment() {
    const char* value = std::getenv("CXRCAT_URL_REWRITE"); // NOLINT(concurrency-mt-unsafe): read before threads start
    std::vector<UrlRewrite> rewrites;
    std::string text = value ? value : "";
    std::size_t at = 0;
    while (at < text.size()) {
        std::size_t start = text.find_first_not_of(" \t\n", at);
        if (start == std::string::npos) {
            break;
        }
        std::size_t end = text.find_first_of(" \t\n", start);
        std::string rule = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
        at = end == std::string::npos ? text.size() : end;
        std::size_t equals = rule.find('=');
        if (equals != std::string::npos && equals > 0) {
            rewrites.push_back({rule.substr(0, equals), rule.substr(equals + 1)});
        }
    }
    return rewrites;
}

} // namespace

std::string ProviderEndpoints::rewrite(const std::string& url) const {
    const UrlRewrite* best = nullptr;
    for (const auto& rule : url_rewrites) {
        if (url.starts_with(rule.from) && (best == nullptr || rule.from.size() > best->from.size())) {
            best = &rule;
        }
    }
    return best == nullptr ? url : best->to + url.substr(best->from.size());
}

ProviderEndpoints ProviderEndpoints::from_environment() {
    ProviderEndpoints endpoints;
    endpoints.zenodo = env_or("CXRCAT_ZENODO_URL", endpoints.zenodo);
    endpoints.physionet = env_or("CXRCAT_PHYSIONET_URL", endpoints.physionet);
    endpoints.kaggle = env_or("CXRCAT_KAGGLE_URL", endpoints.kaggle);
    endpoints.kaggle_api = env_or("CXRCAT_KAGGLE_URL", endpoints.kaggle_api);
    endpoints.huggingface = env_or("HF_ENDPOINT", endpoints.huggingface);
    endpoints.idc = env_or("CXRCAT_IDC_URL", endpoints.idc);
    endpoints.idc_api = env_or("CXRCAT_IDC_API_URL", endpoints.idc_api);
    endpoints.tcia = env_or("CXRCAT_TCIA_URL", endpoints.tcia);
    endpoints.tcia_nlst = env_or("CXRCAT_TCIA_NLST_URL", endpoints.tcia_nlst);
    endpoints.url_rewrites = rewrites_from_environment();
    return endpoints;
}

std::string ProviderEndpoints::physionet_host() const {
    std::string origin = url_origin(physionet);
    std::size_t scheme = origin.find("://");
    std::string host = scheme == std::string::npos ? origin : origin.substr(scheme + 3);
    if (std::size_t colon = host.rfind(':'); colon != std::string::npos && host.find(']') == std::string::npos) {
        host = host.substr(0, colon);
    }
    return host;
}

std::string_view to_string(ProbeStatus status) {
    switch (status) {
    case ProbeStatus::ok: return "ok";
    case ProbeStatus::no_credentials: return "no-credentials";
    case ProbeStatus::credentials_refused: return "credentials-refused";
    case ProbeStatus::not_accepted: return "not-accepted";
    case ProbeStatus::rate_limited: return "rate-limited";
    case ProbeStatus::not_found: return "not-found";
    case ProbeStatus::unreachable: return "unreachable";
    case ProbeStatus::manual: return "manual";
    case ProbeStatus::restricted: return "restricted";
    case ProbeStatus::unsupported: return "unsupported";
    }
    return "unsupported";
}

std::unique_ptr<ProviderClient> make_provider_client(Provider provider, const ProviderContext& context) {
    switch (provider) {
    case Provider::http: return providers::make_http_client(context);
    case Provider::zenodo: return providers::make_zenodo_client(context);
    case Provider::physionet: return providers::make_physionet_client(context);
    case Provider::kaggle: return providers::make_kaggle_client(context);
    case Provider::huggingface: return providers::make_huggingface_client(context);
    case Provider::idc: return providers::make_idc_client(context);
    case Provider::tcia: return providers::make_tcia_client(context);
    case Provider::manual: return nullptr;
    }
    return nullptr;
}

namespace providers {

HttpRequest base_request(const ProviderContext& context, std::string url) {
    HttpRequest request;
    request.url = std::move(url);
    request.ca_bundle = context.ca_bundle;
    request.user_agent = context.user_agent;
    return request;
}

HttpRequest json_request(const ProviderContext& context, std::string url) {
    HttpRequest request = base_request(context, std::move(url));
    request.headers.emplace_back("Accept: application/json");
    return request;
}

std::string describe_credential(const Credential& credential) {
    std::string who = credential.user.empty() ? "" : " for " + credential.user;
    return std::string(to_string(credential.kind)) + who + " from " + credential.source + " (" +
           credential.secret.masked() + ")";
}

std::string join_url(const std::string& base, const std::string& path) {
    return base + path;
}

const Credential* context_credential(const ProviderContext& context,
                                     const std::optional<Credential>& (CredentialStore::*which)() const) {
    if (context.credentials == nullptr || !(context.credentials->*which)()) {
        return nullptr;
    }
    return &*(context.credentials->*which)();
}

ProbeResult unreachable(const Error& error, std::string credential) {
    ProbeResult result;
    result.status = ProbeStatus::unreachable;
    result.detail = error.message();
    result.fix = error.notes().empty() ? "check the network, proxy settings and --cacert" : error.notes().back();
    result.credential = std::move(credential);
    return result;
}

ProbeResult catalog_fault_probe(const Error& error) {
    return {ProbeStatus::unsupported, error.message(), error.notes().empty() ? "" : error.notes().back(), ""};
}

Error listing_page_error(const std::string& dataset_id, const Error& error, const std::string& url) {
    return {error.code(),
            dataset_id + ": " + error.message(),
            {"request: " + RedactedUrl(url).str(), error.notes().front()}};
}

Error unsafe_listed_path_error(const std::string& dataset_id, const std::string& listed, const std::string& path,
                               const std::string& url) {
    return {ErrorCode::network,
            dataset_id + ": " + listed + " that is not a safe relative path: '" + printable_excerpt(path, 200) + "'",
            {"request: " + RedactedUrl(url).str(), "nothing was downloaded"}};
}

Error diagnosis_error(const std::string& subject, const ProviderDiagnosis& diagnosis, std::vector<std::string> notes) {
    return {diagnosis.code, subject + ": " + diagnosis.summary + ": " + diagnosis.fix, std::move(notes)};
}

std::vector<std::string> answer_notes(std::string answer, const std::string& url) {
    return {std::move(answer), "request: " + RedactedUrl(url).str()};
}

ProbeResult diagnosis_probe(const ProviderDiagnosis& diagnosis, const std::vector<std::string>& notes,
                            std::string credential) {
    return {diagnosis.status, diagnosis.summary + " (" + notes.front() + "; " + notes.back() + ")", diagnosis.fix,
            std::move(credential)};
}

bool is_transfer_failure(const Error& error) {
    return std::any_of(error.notes().begin(), error.notes().end(),
                       [](const std::string& note) { return note.rfind("source: ", 0) == 0; });
}

CatalogMatch apply_catalog_files(const Source& source, std::vector<ResolvedFile>& files) {
    CatalogMatch match;
    auto name_of = [](const std::string& path) { return std::filesystem::path(path).filename().string(); };
    for (const auto& entry : source.files) {
        auto found =
            std::find_if(files.begin(), files.end(), [&](const ResolvedFile& file) { return file.path == entry.path; });
        if (found == files.end()) {
            // The catalog may name a file by its base name only, or place it in a subdirectory.
            found = std::find_if(files.begin(), files.end(),
                                 [&](const ResolvedFile& file) { return name_of(file.path) == name_of(entry.path); });
        }
        if (found == files.end()) {
            match.missing.push_back(entry.path);
            continue;
        }
        found->path = entry.path;
        found->extract = entry.extract;
        if (entry.extracted_size) {
            found->extracted_size = entry.extracted_size;
        }
        if (!found->size) {
            found->size = entry.size;
        }
        bool added = false;
        for (const auto& [algorithm, hex] : entry.digests) {
            auto [it, inserted] = found->digests.emplace(algorithm, hex);
            if (inserted) {
                added = true;
            } else if (it->second != hex) {
                match.conflicts.emplace_back(entry.path, entry.path + ": " + std::string(to_string(algorithm)) + " " +
                                                             hex + " in the catalog, " + it->second +
                                                             " from the provider");
            }
        }
        if (added) {
            found->digest_origin =
                found->digest_origin.empty() ? "published in the catalog" : found->digest_origin + " and the catalog";
        }
    }
    return match;
}

void check_catalog_files(const Dataset& dataset, const Source& source, const ListingOrigin& origin,
                         std::vector<ResolvedFile>& files) {
    CatalogMatch match = apply_catalog_files(source, files);
    std::string needs_update = "the catalog entry needs updating (" + dataset.origin + ")";
    for (const auto& path : match.missing) {
        ResolvedFile file;
        file.path = path;
        auto entry = std::find_if(source.files.begin(), source.files.end(),
                                  [&](const FileEntry& listed) { return listed.path == path; });
        if (entry != source.files.end()) {
            file.size = entry->size;
            file.extract = entry->extract;
            file.extracted_size = entry->extracted_size;
        }
        // The wording of the whole-record error this replaced, so scripts that matched it still do.
        file.unavailable =
            Error(ErrorCode::not_found, dataset.id + ": " + origin.what + " lacks files the catalog lists: " + path,
                  {"see " + origin.url, needs_update, "the other selected files are fetched"});
        files.push_back(std::move(file));
    }
    for (const auto& [conflicting_path, conflict] : match.conflicts) {
        // A named copy: clang 14 cannot capture a structured binding in a lambda.
        const std::string& path = conflicting_path;
        auto file = std::find_if(files.begin(), files.end(), [&](const ResolvedFile& f) { return f.path == path; });
        if (file == files.end() || file->unavailable) {
            continue;
        }
        file->unavailable = Error(ErrorCode::integrity,
                                  dataset.id + ": " + path + ": " + origin.what +
                                      " publishes a checksum that differs from the catalog's",
                                  {conflict, "see " + origin.url, needs_update, "nothing of this file was downloaded"});
    }
}

std::string catalog_gap(const Source& source, const ListingOrigin& origin, std::vector<ResolvedFile>& files) {
    CatalogMatch match = apply_catalog_files(source, files);
    if (match.missing.empty()) {
        return {};
    }
    std::string names;
    for (const auto& path : match.missing) {
        names += (names.empty() ? "" : ", ") + path;
    }
    return origin.what + " lacks files the catalog lists: " + names;
}

} // namespace providers
} // namespace cxrcat
