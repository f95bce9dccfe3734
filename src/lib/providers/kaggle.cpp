// SPDX-License-Identifier: Apache-2.0
// Kaggle competitions and datasets through the RPC API of kagglesdk (api-drift-2026.md §6.1), or, for
// competitions only, the legacy REST API (provider-apis.md §3) when the RPC host does not serve it: the file list, then
// one download call that redirects to a short-lived signed URL on another host: DownloadDataFiles, a zip of the whole
// competition, when fetch wants all of it (api-drift-2026.md §6.3: prefer one archive call), else one call per file
// (also when the archive call is refused). Kaggle publishes no checksum: the engine checks the MD5 of GCS's X-Goog-Hash
// and records each file's SHA-256 at its first download.
#include "base/remote_text.hpp"
#include "cxrcat/base/redacted_url.hpp"
#include "cxrcat/base/text.hpp"
#include "providers/engine_failure.hpp"
#include "providers/kaggle_calls.hpp"
#include "providers/kaggle_listing.hpp"
#include "providers/parsers.hpp"
#include "providers/provider_common.hpp"

#include <algorithm>
#include <charconv>
#include <set>

namespace cxrcat::providers {

namespace {

constexpr int k_list_page_size = 200;
constexpr int k_max_list_pages = 100'000;
constexpr std::string_view k_settings_url = "https://www.kaggle.com/settings";
constexpr std::string_view k_no_credentials_fix =
    "set KAGGLE_USERNAME and KAGGLE_KEY, or KAGGLE_API_TOKEN, or put kaggle.json in ~/.kaggle (chmod 600)";

enum class Step { list, download };

void apply_credential(const Credential& credential, std::vector<std::pair<std::string, Secret>>& secret_headers,
                      std::optional<BasicAuth>& basic_auth) {
    if (credential.kind == CredentialKind::kaggle_token) {
        secret_headers.emplace_back("Authorization", Secret("Bearer " + credential.secret.reveal()));
    } else {
        basic_auth = BasicAuth{credential.user, credential.secret};
    }
}

class KaggleClient final : public ContextClient {
  public:
    // The credential is looked up once: the context's store does not change while the client lives.
    explicit KaggleClient(const ProviderContext& context)
        : ContextClient(context), m_credential(context_credential(context, &CredentialStore::kaggle)) {}

    Result<std::vector<ResolvedFile>> resolve(const Dataset& dataset, const Source& source) override {
        auto ref = ref_of(dataset, source);
        if (!ref) {
            return ref.error();
        }
        const Credential* credential = m_credential;
        if (credential == nullptr) {
            return diagnosis_error(dataset.id, no_credentials(), {note_create_token()});
        }
        m_warnings.clear();
        KaggleApi api = KaggleApi::rpc;
        auto listed = list(dataset, *ref, *credential, api);
        if (!listed) {
            return listed.error();
        }
        std::vector<ResolvedFile> files;
        for (auto& listed_file : *listed) {
            KaggleCall call = kaggle_download_call(api, m_context.endpoints, *ref, listed_file.name);
            ResolvedFile file;
            file.path = listed_file.name;
            file.urls.push_back(call.url);
            file.post_body = call.body;
            apply_credential(*credential, file.secret_headers, file.basic_auth);
            file.size = listed_file.size;
            file.digest_origin = ""; // none published: the first download's SHA-256 is recorded
            // The signed GCS answer names the object's MD5 (X-Goog-Hash), as kagglehub checks it
            // (Kaggle/kagglehub@5584faf src/kagglehub/clients.py `download_file`).
            file.served_md5 = true;
            // Kaggle may send a single file as a zip of it, named "<file>.zip", holding the file under
            // its base name (Kaggle/kagglehub:src/kagglehub/clients.py `download_file`; tensorflow/datasets#844).
            file.zipped_member = listed_file.name.substr(listed_file.name.rfind('/') + 1);
            files.push_back(std::move(file));
        }
        // Kaggle publishes no checksum, so the catalog's can only add to the files (no conflicts).
        check_catalog_files(dataset, source, {"Kaggle " + ref->kind() + " " + ref->name(), data_url(*ref)}, files);
        // The archive call is an RPC method: the legacy REST fallback keeps to one call per file.
        bool whole = m_context.whole_source && api == KaggleApi::rpc;
        if (auto refused = check_downloads(dataset, *ref, *credential, whole, files)) {
            return *refused;
        }
        return files;
    }

    ProbeResult probe(const Dataset& dataset, const Source& source) override {
        auto ref = ref_of(dataset, source);
        if (!ref) {
            return catalog_fault_probe(ref.error());
        }
        const Credential* credential = m_credential;
        if (credential == nullptr) {
            ProviderDiagnosis diagnosis = no_credentials();
            return {diagnosis.status,
                    diagnosis.summary + " (environment, $KAGGLE_CONFIG_DIR, ~/.kaggle, ~/.config/kaggle)",
                    diagnosis.fix + "; create a token at " + std::string(k_settings_url), ""};
        }
        std::string who = describe_credential(*credential);
        // The list needs valid credentials only.
        KaggleApi api = KaggleApi::rpc;
        std::string list_url;
        std::string fallback;
        auto listed = ask_list(*ref, *credential, 1, "", api, list_url, fallback);
        if (!listed) {
            return unreachable(listed.error(), who);
        }
        if (listed->status != 200) {
            auto notes = details(*listed, list_url);
            if (!fallback.empty()) {
                notes.insert(notes.begin(), fallback);
            }
            return diagnosis_probe(
                diagnose(listed->status, kaggle_error_message(listed->body), *ref, *credential, Step::list, ""), notes,
                who);
        }
        auto page = parse_kaggle_file_list(listed->body);
        if (!page) {
            return {ProbeStatus::unreachable, page.error().message(), "retry later", who};
        }
        if (page->files.empty()) {
            return {ProbeStatus::ok, "the credentials work; " + ref->kind() + " " + ref->name() + " lists no files", "",
                    who};
        }
        // The rules are enforced on downloads: one byte of the first file, through the redirect.
        const std::string& first = page->files.front().name;
        HttpRequest byte_request =
            authed_request(kaggle_download_call(api, m_context.endpoints, *ref, first), *credential);
        byte_request.range = std::pair<std::uint64_t, std::uint64_t>{0, 0};
        auto fetched = http_request(byte_request, m_context.retry);
        if (!fetched) {
            return unreachable(fetched.error(), who);
        }
        long first_status = fetched->first_status != 0 ? fetched->first_status : fetched->status;
        if (first_status >= 400) {
            return diagnosis_probe(
                diagnose(first_status, kaggle_error_message(fetched->body), *ref, *credential, Step::download, first),
                details(*fetched, byte_request.url), who);
        }
        if (fetched->status != 200 && fetched->status != 206) {
            return {ProbeStatus::unreachable,
                    "Kaggle allowed the download of " + first + ", but its signed URL answered HTTP " +
                        std::to_string(fetched->status) + " (" + RedactedUrl(fetched->effective_url).str() + ")",
                    "retry later", who};
        }
        std::string allowed = ref->is_dataset()
                                  ? "credentials accepted for dataset " + ref->name()
                                  : "credentials accepted and the competition rules of " + ref->name() + " accepted";
        return {ProbeStatus::ok,
                allowed + " (one byte of " + first + " downloaded" + (api == KaggleApi::rpc ? "" : "; " + fallback) +
                    ")",
                "", who};
    }

    Error explain(const Dataset& dataset, const Source& source, Error error) const override {
        auto failure = parse_engine_http_failure(error);
        const Credential* credential = m_credential;
        auto ref = ref_of(dataset, source);
        if (!failure || !ref || credential == nullptr) {
            return error;
        }
        // Kaggle itself allowed the download; the short-lived signed URL it redirected to did not.
        // The origin is the host the download was asked of: the RPC host, or www for the REST API.
        std::string origin = failure->source_url.empty() ? m_context.endpoints.kaggle_api : failure->source_url;
        if (auto refused =
                refused_link_error(*failure, origin, error, "the signed download link from Kaggle was refused",
                                   "rerun to get a fresh download link from Kaggle")) {
            return *refused;
        }
        return explained_failure(*failure,
                                 diagnose(failure->status, "", *ref, *credential, Step::download, failure->path), error,
                                 "Kaggle answered HTTP " + std::to_string(failure->status));
    }

    [[nodiscard]] std::vector<std::string> warnings() const override { return m_warnings; }

  private:
    static Result<KaggleRef> ref_of(const Dataset& dataset, const Source& source) {
        KaggleRef ref;
        ref.competition = source.param("competition");
        if (!ref.competition.empty()) {
            return ref;
        }
        std::string kaggle_dataset = source.param("dataset");
        if (kaggle_dataset.empty()) {
            return Error(
                ErrorCode::invalid_catalog, dataset.id + ": the kaggle source names no competition or dataset",
                {R"(add "competition": "<slug>" or "dataset": "<owner>/<slug>" to the source in )" + dataset.origin});
        }
        // "<owner>/<slug>" (the catalog checks it), and the optional "version": kaggle-cli's
        // `split_dataset_string` reads "<owner>/<slug>[/<version>]" into datasetVersionNumber.
        std::size_t slash = kaggle_dataset.find('/');
        std::string version = source.param("version");
        bool valid = slash != std::string::npos && slash > 0 && slash + 1 < kaggle_dataset.size() &&
                     kaggle_dataset.find('/', slash + 1) == std::string::npos;
        if (valid && !version.empty()) {
            std::int64_t number = 0;
            auto [end, failure] = std::from_chars(version.data(), version.data() + version.size(), number);
            valid = failure == std::errc{} && end == version.data() + version.size() && number > 0;
            ref.version = number;
        }
        if (!valid) {
            return Error(ErrorCode::invalid_catalog,
                         dataset.id + ": the kaggle source's dataset '" + kaggle_dataset + "' (version '" + version +
                             "') is not <owner>/<slug> with a positive version number",
                         {"fix the source in " + dataset.origin});
        }
        ref.owner = kaggle_dataset.substr(0, slash);
        ref.dataset = kaggle_dataset.substr(slash + 1);
        return ref;
    }

    // Where a person sees the files: a competition's data tab, a dataset's page.
    static std::string data_url(const KaggleRef& ref) {
        return ref.is_dataset() ? ref.page_url() : ref.page_url() + "/data";
    }

    [[nodiscard]] HttpRequest authed_request(KaggleCall call, const Credential& credential) const {
        HttpRequest request = json_request(m_context, std::move(call.url));
        if (!call.body.empty()) {
            request.method = "POST"; // kagglesdk's KaggleHttpClient._prepare_request: a JSON body
            request.post_body = std::move(call.body);
            request.headers.emplace_back("Content-Type: application/json");
        }
        apply_credential(credential, request.secret_headers, request.basic_auth);
        return request;
    }

    // Kaggle may list the files of a competition whose rules the user has not accepted and refuse
    // only the downloads: ask for a download (without following it to the signed URL) so that fetch
    // stops here, with Kaggle's own words, before any transfer. When fetch wants the whole
    // competition that download is the archive of every file, whose redirect is then kept (one
    // call, as kaggle-cli's competition_download_files makes); refused, the files go one by one.
    std::optional<Error> check_downloads(const Dataset& dataset, const KaggleRef& ref, const Credential& credential,
                                         bool whole, std::vector<ResolvedFile>& files) {
        auto first = std::find_if(files.begin(), files.end(), [](const ResolvedFile& f) { return !f.urls.empty(); });
        if (first == files.end()) {
            return std::nullopt;
        }
        HttpRequest request = authed_request(whole ? kaggle_archive_call(m_context.endpoints, ref)
                                                   : KaggleCall{first->urls.front(), first->post_body},
                                             credential);
        request.follow_redirects = false;
        request.range = std::pair<std::uint64_t, std::uint64_t>{0, 0}; // in case it serves the bytes itself
        auto response = http_request(request, m_context.retry);
        if (!response) {
            return response.error();
        }
        std::string message = kaggle_error_message(response->body);
        if (whole) {
            // An unfollowed 3xx is the first response (HttpResponse::headers hold final ones only).
            auto found = response->first_headers.find("location");
            std::string location = found == response->first_headers.end() ? "" : found->second;
            if (response->status >= 300 && response->status < 400 &&
                (location.starts_with("https://") || location.starts_with("http://"))) {
                for (auto& file : files) {
                    file.archive_url = location; // signed: fetched without Kaggle's credentials
                }
                return std::nullopt;
            }
            if (response->status != 403 || classify_kaggle_refusal(message) == KaggleRefusal::other) {
                // A 429 RESOURCE_EXHAUSTED kept up on DownloadDataFiles alone (Kaggle/kaggle-cli#931), a
                // 404 or another refusal: the per-file calls may still be served.
                m_warnings.push_back("Kaggle's archive of the whole " + ref.kind() + " (" +
                                     (ref.is_dataset() ? "DownloadDataset" : "DownloadDataFiles") + ") answered HTTP " +
                                     std::to_string(response->status) +
                                     (message.empty() ? "" : " (" + printable_excerpt(message) + ")") +
                                     "; downloading its " + std::to_string(files.size()) + " files one by one");
                return check_downloads(dataset, ref, credential, false, files);
            }
        }
        if (response->status >= 400) {
            return diagnosis_error(
                dataset.id,
                diagnose(response->status, message, ref, credential, Step::download, whole ? "" : first->path),
                details(*response, request.url));
        }
        return std::nullopt;
    }

    // One page of the list. On the first page an RPC host that serves no such method (404, 405,
    // 501) moves a competition's route to the legacy REST API; fallback then says so. A dataset has no
    // fallback: kaggle-cli (Kaggle/kaggle-api@1744cda) and kagglehub (@5584faf) call only the datasets
    // service, and a 404 there is Kaggle's "Not Found" for an unknown dataset (Kaggle/kaggle-cli#221).
    Result<HttpResponse> ask_list(const KaggleRef& ref, const Credential& credential, int page_size,
                                  const std::string& token, KaggleApi& api, std::string& url, std::string& fallback) {
        HttpRequest request =
            authed_request(kaggle_list_call(api, m_context.endpoints, ref, page_size, token), credential);
        url = request.url;
        auto response = http_request(request, m_context.retry);
        if (!response || api != KaggleApi::rpc || !token.empty() || ref.is_dataset() ||
            !kaggle_rpc_absent(response->status)) {
            return response;
        }
        fallback = "Kaggle's RPC API answered HTTP " + std::to_string(response->status) + " (" +
                   RedactedUrl(url).str() + "); the legacy REST API was asked instead";
        api = KaggleApi::legacy;
        return ask_list(ref, credential, page_size, token, api, url, fallback);
    }

    // Every file of the competition or dataset, following nextPageToken (the envelope) or in one go
    // (a bare array).
    Result<std::vector<KaggleDataFile>> list(const Dataset& dataset, const KaggleRef& ref, const Credential& credential,
                                             KaggleApi& api) {
        std::vector<KaggleDataFile> files;
        std::set<std::string> names;
        std::set<std::string> tokens;
        std::string token;
        std::string fallback;
        for (int page_number = 0; page_number < k_max_list_pages; ++page_number) {
            std::string url;
            auto response = ask_list(ref, credential, k_list_page_size, token, api, url, fallback);
            if (!response) {
                return response.error();
            }
            if (response->status != 200) {
                auto notes = details(*response, url);
                if (!fallback.empty()) {
                    notes.insert(notes.begin(), fallback);
                }
                return diagnosis_error(
                    dataset.id,
                    diagnose(response->status, kaggle_error_message(response->body), ref, credential, Step::list, ""),
                    notes);
            }
            if (page_number == 0 && !fallback.empty()) {
                m_warnings.push_back(fallback);
            }
            auto page = parse_kaggle_file_list(response->body);
            if (!page) {
                return listing_page_error(dataset.id, page.error(), url);
            }
            if (!page->error_message.empty() && page->files.empty()) {
                // ApiListDatasetFilesResponse.errorMessage: kaggle-cli's `dataset_list_files_cli` prints it
                // in place of the list. What Kaggle puts there is not documented; its words are passed on.
                return Error(ErrorCode::network,
                             dataset.id + ": Kaggle did not list " + ref.kind() + " " + ref.name() + ": " +
                                 printable_excerpt(page->error_message),
                             {"request: " + RedactedUrl(url).str(), "retry later, or see " + ref.page_url()});
            }
            for (auto& file : page->files) {
                if (!is_safe_relative_path(file.name)) {
                    return unsafe_listed_path_error(dataset.id, "Kaggle listed a file name", file.name, url);
                }
                if (names.insert(file.name).second) {
                    files.push_back(std::move(file));
                }
            }
            if (page->next_page_token.empty()) {
                return files;
            }
            if (!tokens.insert(page->next_page_token).second) {
                return Error(ErrorCode::network,
                             dataset.id + ": the Kaggle file list of " + ref.name() +
                                 " does not end (a page token repeats)",
                             {"request: " + RedactedUrl(url).str(), "retry later"});
            }
            token = page->next_page_token;
        }
        return Error(ErrorCode::network,
                     dataset.id + ": the Kaggle file list of " + ref.name() + " has too many pages");
    }

    static ProviderDiagnosis no_credentials() {
        return {ErrorCode::access_denied, ProbeStatus::no_credentials, "no Kaggle credentials",
                std::string(k_no_credentials_fix)};
    }

    static std::string note_create_token() {
        return "create a token at " + std::string(k_settings_url) + " (Account → API)";
    }

    // What status means; for a 403, what its body's message (Kaggle's own words, "" when unknown) says.
    static ProviderDiagnosis diagnose(long status, std::string_view message, const KaggleRef& ref,
                                      const Credential& credential, Step step, const std::string& file) {
        switch (status) {
        case 401:
            return {ErrorCode::access_denied, ProbeStatus::credentials_refused,
                    "Kaggle refused the API key (from " + credential.source + ")",
                    "create a new token at " + std::string(k_settings_url)};
        case 403: return refusal(message, ref, credential);
        case 404:
            if (step == Step::list || file.empty()) {
                // Kaggle's own words follow when it sent any ("Not found", Kaggle/kaggle-cli#508).
                return {ErrorCode::not_found, ProbeStatus::not_found,
                        "Kaggle " + ref.kind() + " '" + ref.name() + "' not found" +
                            (message.empty() ? "" : " (Kaggle: " + printable_excerpt(std::string(message)) + ")"),
                        "check the " + ref.kind() + " name at " + ref.page_url() + " (the catalog may be out of date)"};
            }
            return {ErrorCode::not_found, ProbeStatus::not_found,
                    "file '" + file + "' not found in Kaggle " + ref.kind() + " " + ref.name(),
                    "the " + ref.kind() + "'s files changed: rerun, or see " + data_url(ref)};
        case 429:
            // The RPC API's 429 is {"error": {"code": 429, "status": "RESOURCE_EXHAUSTED"}}, kept up on
            // DownloadDataFiles while ListDataFiles still answered (Kaggle/kaggle-cli#931); the retries
            // with their back-off are spent by now. A refused archive call never gets here: the files
            // are then asked one by one (check_downloads), and only a per-file 429 is this error.
            return {ErrorCode::network, ProbeStatus::rate_limited,
                    "Kaggle is rate-limiting this client (HTTP 429 RESOURCE_EXHAUSTED: too many requests)",
                    "wait a few minutes, then rerun"};
        default:
            return {ErrorCode::network, ProbeStatus::unreachable,
                    "Kaggle answered status " + std::to_string(status) + (status >= 500 ? " (a server problem)" : ""),
                    "retry later"};
        }
    }

    // A 403, told apart by its message: the rules, a competition this account cannot see (or that
    // does not exist), or anything else in Kaggle's words.
    static ProviderDiagnosis refusal(std::string_view message, const KaggleRef& ref, const Credential& credential) {
        std::string account = credential.user.empty() ? "this account" : credential.user;
        const std::string& slug = ref.name();
        switch (classify_kaggle_refusal(message)) {
        case KaggleRefusal::rules_not_accepted:
            return {ErrorCode::access_denied, ProbeStatus::not_accepted,
                    "Kaggle refused the download: the competition rules of " + slug + " are not accepted by " + account,
                    "accept the competition rules at " + ref.page_url() + "/rules, then rerun"};
        case KaggleRefusal::no_such_competition:
            return {ErrorCode::not_found, ProbeStatus::not_found,
                    "Kaggle competition '" + slug + "' does not exist, or " + account + " has no permission to see it",
                    "check the competition name at " + ref.page_url() +
                        " (the catalog may be out of date); a private competition needs an invitation"};
        case KaggleRefusal::other: break;
        }
        if (message.empty()) {
            // An engine failure: the body is not at hand, so the reason is unknown.
            return {ErrorCode::access_denied, ProbeStatus::restricted,
                    "Kaggle refused the download (HTTP 403) without saying why",
                    ref.is_dataset()
                        ? "check that " + account + " may see " + ref.page_url()
                        : "check " + ref.page_url() + "/rules and that " + account + " may download its data"};
        }
        return {ErrorCode::access_denied, ProbeStatus::restricted,
                "Kaggle refused access: " + printable_excerpt(std::string(message)),
                "see " + ref.page_url() + " for what it asks of " + account};
    }

    // Notes for an error response: Kaggle's own message, and the request.
    static std::vector<std::string> details(const HttpResponse& response, const std::string& url) {
        long status = response.first_status != 0 ? response.first_status : response.status;
        std::string message = kaggle_error_message(response.body);
        return answer_notes("Kaggle answered HTTP " + std::to_string(status) +
                                (message.empty() ? "" : ": " + printable_excerpt(message)),
                            url);
    }

    const Credential* m_credential;      // nullptr: none found
    std::vector<std::string> m_warnings; // of the last resolve()
};

} // namespace

std::unique_ptr<ProviderClient> make_kaggle_client(const ProviderContext& context) {
    return std::make_unique<KaggleClient>(context);
}

} // namespace cxrcat::providers
