// SPDX-License-Identifier: Apache-2.0
// Hugging Face Hub datasets (provider-apis.md §4): the tree API lists paths, sizes and the SHA-256
// of LFS files; each file downloads from /resolve/, which redirects LFS files to a signed CDN URL on
// another host. The engine follows those redirects itself (TransferRequest::own_redirects) and
// leaves the token on the Hub. Gated repositories are told
// apart by status + X-Error-Code, never by the message text.
#include "base/remote_text.hpp"
#include "cxrcat/base/redacted_url.hpp"
#include "cxrcat/base/text.hpp"
#include "providers/engine_failure.hpp"
#include "providers/huggingface_reply.hpp"
#include "providers/huggingface_tree.hpp"
#include "providers/link_header.hpp"
#include "providers/parsers.hpp"
#include "providers/provider_common.hpp"

#include <optional>
#include <set>

namespace cxrcat::providers {

namespace {

constexpr int k_max_tree_pages = 100'000;
constexpr std::string_view k_tokens_url = "https://huggingface.co/settings/tokens";
constexpr std::string_view k_login_hint = "set HF_TOKEN (or run `huggingface-cli login`)";

// The page a person opens in a browser: always huggingface.co, whatever HF_ENDPOINT says.
std::string public_page(const std::string& repo) {
    return "https://huggingface.co/datasets/" + repo;
}

// What the Hub said besides the status.
struct HubReply {
    long status = 0;
    std::string error_code; // X-Error-Code
    std::string message;    // X-Error-Message, else the body's "error"
};

HubReply hub_reply(const HttpResponse& response) {
    HubReply reply;
    reply.status = response.status;
    reply.error_code = response.header("x-error-code");
    reply.message = printable_excerpt(
        hub_server_message(response.header("x-error-message"), response.header("content-type"), response.body));
    return reply;
}

class HuggingFaceClient final : public ContextClient {
  public:
    using ContextClient::ContextClient;

    Result<std::vector<ResolvedFile>> resolve(const Dataset& dataset, const Source& source) override {
        auto repo = repo_of(dataset, source);
        if (!repo) {
            return repo.error();
        }
        std::string revision = revision_of(source);
        const Credential* token = hub_token();
        if (auto refused = gate_error(dataset, *repo, revision, token)) {
            return *refused;
        }
        std::string url = api_url(*repo, "/tree/" + url_encode(revision, false) + "?recursive=true&expand=false");
        std::vector<HubTreeFile> listed;
        std::set<std::string> seen_pages;
        std::set<std::string> seen_paths;
        for (int page_number = 0;; ++page_number) {
            if (page_number >= k_max_tree_pages || !seen_pages.insert(url).second) {
                return Error(ErrorCode::network, dataset.id + ": the Hugging Face tree of " + *repo + " does not end",
                             {"request: " + RedactedUrl(url).str(), "retry later"});
            }
            HttpRequest request = hub_request(url, token);
            auto response = http_request(request, m_context.retry);
            if (!response) {
                return response.error();
            }
            if (response->status != 200) {
                HubReply reply = hub_reply(*response);
                return diagnosis_error(dataset.id, diagnose(reply, *repo, revision, token, ""),
                                       details(reply, request.url));
            }
            auto page = parse_hub_tree_page(response->body);
            if (!page) {
                return listing_page_error(dataset.id, page.error(), request.url);
            }
            for (auto& file : *page) {
                if (!is_safe_relative_path(file.path)) {
                    return unsafe_listed_path_error(dataset.id, "the Hub listed a path", file.path, request.url);
                }
                if (seen_paths.insert(file.path).second) {
                    listed.push_back(std::move(file));
                }
            }
            auto next = link_next_url(response->header("link"));
            if (!next) {
                break;
            }
            // The token goes with every page, so the next page is always asked of the endpoint the user
            // chose: a mirror or proxy that passes the Hub's own absolute links through keeps working,
            // and the token never reaches another host.
            auto resolved = resolve_link_target(request.url, *next);
            auto rebased = resolved ? rebase_on_endpoint(m_context.endpoints.huggingface, *resolved) : std::nullopt;
            if (!rebased) {
                return Error(ErrorCode::network,
                             dataset.id + ": cannot follow the Hub's link to the next page of the tree of " + *repo,
                             {"Link: " + printable_excerpt(RedactedUrl(*next).str())});
            }
            url = *rebased;
        }
        std::vector<ResolvedFile> files;
        for (auto& entry : listed) {
            ResolvedFile file;
            file.path = entry.path;
            file.urls.push_back(join_url(m_context.endpoints.huggingface,
                                         "/datasets/" + url_encode(*repo, true) + "/resolve/" +
                                             url_encode(revision, false) + "/" + url_encode(entry.path, true)));
            if (token != nullptr) {
                file.secret_headers.emplace_back("Authorization", Secret("Bearer " + token->secret.reveal()));
            }
            file.size = entry.size;
            // cxrcat follows resolve's redirects itself: the token stays on the Hub, the LFS
            // redirect's X-Linked-Size is checked against this size and its X-Repo-Commit recorded.
            file.own_redirects = true;
            if (!entry.lfs_sha256.empty()) {
                file.digests[DigestAlgorithm::sha256] = entry.lfs_sha256;
                file.digest_origin = "from the Hugging Face tree API (LFS sha256)";
            }
            // A regular file has only its git blob SHA-1, not a digest of the content: no digest,
            // so the first download's SHA-256 is recorded and enforced afterwards.
            files.push_back(std::move(file));
        }
        check_catalog_files(dataset, source,
                            {"Hugging Face dataset " + *repo + " (revision " + revision + ")", public_page(*repo)},
                            files);
        return files;
    }

    ProbeResult probe(const Dataset& dataset, const Source& source) override {
        auto repo = repo_of(dataset, source);
        if (!repo) {
            return catalog_fault_probe(repo.error());
        }
        std::string revision = revision_of(source);
        const Credential* token = hub_token();
        std::string who = token == nullptr ? "" : describe_credential(*token);
        // auth-check answers 200 only when this caller may download the files (repo info is public
        // even for gated repositories, so it proves nothing).
        HttpRequest check = hub_request(api_url(*repo, "/auth-check"), token);
        auto checked = http_request(check, m_context.retry);
        if (!checked) {
            return unreachable(checked.error(), who);
        }
        if (checked->status != 200) {
            return probe_failure(hub_reply(*checked), check.url, *repo, revision, token, who);
        }
        // The revision the catalog names must exist too.
        HttpRequest info = hub_request(api_url(*repo, "/revision/" + url_encode(revision, false)), token);
        auto described = http_request(info, m_context.retry);
        if (!described) {
            return unreachable(described.error(), who);
        }
        if (described->status != 200) {
            return probe_failure(hub_reply(*described), info.url, *repo, revision, token, who);
        }
        std::string detail = token == nullptr ? "no token needed: " + *repo + " is public"
                                              : "the token is accepted and has access to " + *repo;
        return {ProbeStatus::ok, detail + " (revision " + revision + ")", "", who};
    }

    Error explain(const Dataset& dataset, const Source& source, Error error) const override {
        auto failure = parse_engine_http_failure(error);
        auto repo = repo_of(dataset, source);
        if (!failure || !repo) {
            return error;
        }
        if (auto refused = refused_link_error(*failure, m_context.endpoints.huggingface, error,
                                              "the Hugging Face CDN refused the signed download link",
                                              "rerun to get a fresh link from the Hub")) {
            return *refused;
        }
        HubReply reply{failure->status, failure->server_code, ""};
        return explained_failure(*failure, diagnose(reply, *repo, revision_of(source), hub_token(), failure->path),
                                 error,
                                 "the Hub answered HTTP " + std::to_string(failure->status) +
                                     (failure->server_code.empty() ? "" : " (" + failure->server_code + ")"));
    }

  private:
    // One request before any download. The Hub lists a gated repository's tree to anyone and
    // refuses only the downloads (huggingface/huggingface.js#945), so without this a gate not yet
    // passed would fail every file on its own. auth-check answers 200 when this caller may download
    // (huggingface/huggingface_hub:src/huggingface_hub/hf_api.py `auth_check`), else the gate's
    // 401/403 with X-Error-Code: GatedRepo. It decides the gate, a refusal (403), rate limits and
    // server errors; an answer that only says "not found" or "bad token" (401/404 without
    // GatedRepo) is left to the tree listing, which says the same with the revision in view.
    [[nodiscard]] std::optional<Error> gate_error(const Dataset& dataset, const std::string& repo,
                                                  const std::string& revision, const Credential* token) const {
        HttpRequest check = hub_request(api_url(repo, "/auth-check"), token);
        auto checked = http_request(check, m_context.retry);
        if (!checked) {
            return checked.error();
        }
        if (checked->status == 200) {
            return std::nullopt;
        }
        HubReply reply = hub_reply(*checked);
        bool left_to_tree = (reply.status == 401 || reply.status == 404) && reply.error_code != "GatedRepo";
        if (left_to_tree) {
            return std::nullopt;
        }
        std::vector<std::string> notes = details(reply, check.url);
        notes.emplace_back("nothing was downloaded");
        return diagnosis_error(dataset.id, diagnose(reply, repo, revision, token, ""), std::move(notes));
    }

    [[nodiscard]] const Credential* hub_token() const {
        return context_credential(m_context, &CredentialStore::huggingface);
    }

    static Result<std::string> repo_of(const Dataset& dataset, const Source& source) {
        std::string repo = source.param("repo");
        std::size_t slash = repo.find('/');
        if (repo.empty() || slash == 0 || slash == std::string::npos || slash + 1 == repo.size() ||
            repo.find('/', slash + 1) != std::string::npos) {
            return Error(ErrorCode::invalid_catalog,
                         dataset.id + R"(: the huggingface source needs "repo": "<owner>/<name>")" +
                             (repo.empty() ? "" : " (it says '" + repo + "')"),
                         {"fix the source in " + dataset.origin});
        }
        return repo;
    }

    static std::string revision_of(const Source& source) {
        std::string revision = source.param("revision");
        return revision.empty() ? "main" : revision;
    }

    [[nodiscard]] std::string api_url(const std::string& repo, const std::string& rest) const {
        return join_url(m_context.endpoints.huggingface, "/api/datasets/" + url_encode(repo, true) + rest);
    }

    [[nodiscard]] HttpRequest hub_request(std::string url, const Credential* token) const {
        HttpRequest request = json_request(m_context, std::move(url));
        if (token != nullptr) {
            request.secret_headers.emplace_back("Authorization", Secret("Bearer " + token->secret.reveal()));
        }
        return request;
    }

    static ProviderDiagnosis diagnose(const HubReply& reply, const std::string& repo, const std::string& revision,
                                      const Credential* token, const std::string& file) {
        std::string page = public_page(repo);
        const std::string& code = reply.error_code;
        std::string token_source = token == nullptr ? "" : token->source;
        switch (reply.status) {
        case 401:
            if (code == "GatedRepo" && token == nullptr) {
                return {ErrorCode::access_denied, ProbeStatus::no_credentials, "this dataset is gated",
                        "request access at " + page + ", then " + std::string(k_login_hint)};
            }
            if (code == "RepoNotFound" && token == nullptr) {
                return {ErrorCode::not_found, ProbeStatus::not_found,
                        "Hugging Face dataset " + repo + " not found (or private)",
                        "check the name at " + page + "; for a private dataset, " + std::string(k_login_hint) +
                            " with an account that has access"};
            }
            if (token != nullptr) {
                return {ErrorCode::access_denied, ProbeStatus::credentials_refused,
                        "Hugging Face refused the token (from " + token_source + ")",
                        "create a new token at " + std::string(k_tokens_url) + ", then " + std::string(k_login_hint)};
            }
            return {ErrorCode::access_denied, ProbeStatus::no_credentials, "Hugging Face asks for a token",
                    std::string(k_login_hint)};
        case 403:
            if (code == "GatedRepo") {
                return {ErrorCode::access_denied, ProbeStatus::not_accepted,
                        "your Hugging Face account has not been granted access yet",
                        "request access at " + page + " (if you already did, wait for the authors to approve it)"};
            }
            if (contains_ignoring_case(reply.message, "disabled")) {
                return {ErrorCode::not_found, ProbeStatus::not_found,
                        "access to " + repo + " is disabled on Hugging Face (the dataset was withdrawn)",
                        "nothing can be downloaded; see " + page + " for the reason"};
            }
            return {
                ErrorCode::access_denied, ProbeStatus::credentials_refused,
                "Hugging Face refused access to " + repo + (reply.message.empty() ? "" : " (" + reply.message + ")"),
                token == nullptr
                    ? "open " + page + " and follow what it asks for, then " + std::string(k_login_hint)
                    : "open " + page + " and check that the token (from " + token_source + ") may read this dataset"};
        case 404:
            if (code == "RevisionNotFound") {
                return {ErrorCode::not_found, ProbeStatus::not_found,
                        "revision '" + revision + "' not found in Hugging Face dataset " + repo,
                        "use a branch, tag or commit that exists (see " + page + "); the catalog may be out of date"};
            }
            if (code == "EntryNotFound") {
                return {ErrorCode::not_found, ProbeStatus::not_found,
                        (file.empty() ? "a listed path" : "'" + file + "'") + " not found in " + repo +
                            " at revision '" + revision + "'",
                        "the repository changed since it was listed: rerun"};
            }
            return {ErrorCode::not_found, ProbeStatus::not_found,
                    "Hugging Face dataset " + repo + " not found" +
                        (token == nullptr ? "" : ", or the token (from " + token_source + ") has no access to it"),
                    "check the name at " + page};
        case 429:
            return {ErrorCode::network, ProbeStatus::rate_limited, "Hugging Face is rate-limiting this client",
                    token == nullptr
                        ? "wait a few minutes, then rerun (a token raises the limit: " + std::string(k_login_hint) + ")"
                        : "wait a few minutes, then rerun"};
        default:
            return {ErrorCode::network, ProbeStatus::unreachable,
                    "Hugging Face answered status " + std::to_string(reply.status) +
                        (reply.status >= 500 ? " (a server problem)" : "") +
                        (reply.message.empty() ? "" : " (" + reply.message + ")"),
                    "retry later"};
        }
    }

    static std::vector<std::string> details(const HubReply& reply, const std::string& url) {
        std::string said = "the Hub answered HTTP " + std::to_string(reply.status);
        if (!reply.error_code.empty()) {
            said += " (" + printable_excerpt(reply.error_code, 64) + ")";
        }
        if (!reply.message.empty()) {
            said += ": " + reply.message;
        }
        return answer_notes(said, url);
    }

    static ProbeResult probe_failure(const HubReply& reply, const std::string& url, const std::string& repo,
                                     const std::string& revision, const Credential* token, const std::string& who) {
        return diagnosis_probe(diagnose(reply, repo, revision, token, ""), details(reply, url), who);
    }
};

} // namespace

std::unique_ptr<ProviderClient> make_huggingface_client(const ProviderContext& context) {
    return std::make_unique<HuggingFaceClient>(context);
}

} // namespace cxrcat::providers
