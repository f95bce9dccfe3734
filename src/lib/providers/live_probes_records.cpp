// SPDX-License-Identifier: Apache-2.0
// The live probes of the providers that serve records and repositories: Zenodo, PhysioNet, Kaggle
// and the Hugging Face Hub. Each asks what its route asks first, anonymously, and reads the answer
// with the route's own parser. The things probed are ones the built-in catalog fetches.
#include "base/remote_text.hpp"
#include "cxrcat/base/text.hpp"
#include "providers/huggingface_tree.hpp"
#include "providers/kaggle_calls.hpp"
#include "providers/kaggle_listing.hpp"
#include "providers/live_probes.hpp"
#include "providers/parsers.hpp"
#include "providers/physionet_agent.hpp"

#include <nlohmann/json.hpp>

#include <cstdlib>

namespace cxrcat::providers {

namespace {

// What the probes ask for: things the built-in catalog fetches. A proxy or mirror (a base URL
// overridden with CXRCAT_*_URL) that carries other records names its own with the variable beside each.
// LUNA16's subsets 0-6 (catalog/datasets/luna16.json): a public record.
constexpr std::string_view k_live_zenodo_record = "3723295";
// MIMIC-CXR-JPG 2.1.0 (catalog/datasets/mimic-cxr-jpg.json): credentialed, so an anonymous request
// meets the access gate the route is built for.
constexpr std::string_view k_live_physionet_project = "mimic-cxr-jpg/2.1.0";
// RSNA Pneumonia (catalog/datasets/rsna-pneumonia.json).
constexpr std::string_view k_live_kaggle_competition = "rsna-pneumonia-detection-challenge";
// M3D-Cap (catalog/datasets/m3d.json): a public dataset repository.
constexpr std::string_view k_live_hub_repo = "GoodBaiBai88/M3D-Cap";

std::string live_target(const char* variable, std::string_view fallback) {
    const char* value = std::getenv(variable);
    return value != nullptr && *value != '\0' ? std::string(value) : std::string(fallback);
}

std::string live_index(const char* list, std::size_t i) {
    return std::string(list) + "[" + std::to_string(i) + "]";
}

// The first file of a Zenodo record that lacks what a download needs, as a drift.
void check_zenodo_files(LiveSession& session, const ZenodoRecord& listing) {
    for (std::size_t i = 0; i < listing.files.size() && !session.failed(); ++i) {
        const ZenodoFile& file = listing.files[i];
        std::string where = live_index("files", i);
        if (!file.size) {
            session.drift(where + " has no size (`size`, or `filesize` in the 2023 shape)", where + ".size");
        } else if (file.md5.empty()) {
            session.drift(where + " has no md5 `checksum` (\"md5:<hex>\" or bare hex)", where + ".checksum");
        } else if (file.link.empty()) {
            session.drift(where + " has no download link (`links.self` ending in /content, `links.download`, "
                                  "or a bucket's `links.self`)",
                          where + ".links");
        }
    }
}

// How the Kaggle list answered an anonymous client: refused (401/403) is the shape cxrcat expects
// of a route that needs a token; a list that parses is fine too.
void check_kaggle_list(LiveSession& session, const HttpRequest& request, const std::string& what) {
    auto response = session.send(request);
    if (!response) {
        return;
    }
    long status = response->status;
    if (status == 401 || status == 403) {
        std::string message = kaggle_error_message(response->body);
        session.ok(what + " refuses an anonymous client (HTTP " + std::to_string(status) +
                   (message.empty() ? "" : ": " + printable_excerpt(message, 80)) + ")");
        return;
    }
    if (status != 200) {
        session.unexpected_status(request, *response, "401 or 403 to an anonymous client");
        return;
    }
    auto page = parse_kaggle_file_list(response->body);
    if (!page) {
        session.drift(what + ": " + page.error().message(), "files");
        return;
    }
    for (std::size_t i = 0; i < page->files.size() && !session.failed(); ++i) {
        if (!page->files[i].size) {
            session.drift(what + ": " + live_index("files", i) + " has no totalBytes",
                          live_index("files", i) + ".totalBytes");
        }
    }
    session.ok(what + " lists " + std::to_string(page->files.size()) + " files");
}

} // namespace

void probe_zenodo_live(LiveSession& session) {
    std::string record = live_target("CXRCAT_LIVE_ZENODO_RECORD", k_live_zenodo_record);
    // As the route asks (zenodo.cpp record_request). All three files[] shapes of api-drift-2026.md
    // §4.1 parse, so only what none of them gives is a drift.
    HttpRequest request = session.request(session.context().endpoints.zenodo + "/api/records/" + record);
    auto response = session.send_expecting_ok(request, "200 with the record");
    if (!response) {
        return;
    }
    auto listing = parse_zenodo_record(response->body);
    if (!listing) {
        session.drift("record " + record + ": " + listing.error().message(), "files");
    } else if (!listing->files_listed) {
        session.drift("record " + record + " has no `files` list", "files");
    } else if (listing->files.empty()) {
        // Restricted records answer "files": [] (api-drift-2026.md §4.1); this one is public.
        session.drift("record " + record + " lists no files (`files` is empty; the record is public)", "files");
    } else {
        check_zenodo_files(session, *listing);
    }
    session.ok("record " + record + ": " + std::to_string(listing ? listing->files.size() : 0) +
               " files, each with a size, an md5 and a download link");
}

void probe_physionet_live(LiveSession& session) {
    // Anonymous, with the route's Wget-compatible User-Agent: PhysioNet answers 401 with a Basic
    // challenge (physionet-django project/test_views.py `test_credentialed`, provider-apis.md §2.3;
    // api-drift-2026.md §3.2). A 403 instead means the User-Agent gate changed and credentialed
    // downloads would be refused.
    HttpRequest request =
        session.request(session.context().endpoints.physionet + "/files/" +
                            live_target("CXRCAT_LIVE_PHYSIONET_PROJECT", k_live_physionet_project) + "/SHA256SUMS.txt",
                        false);
    request.user_agent = physionet_user_agent();
    request.range = std::pair<std::uint64_t, std::uint64_t>{0, 0}; // should it be served, one byte tells
    auto response = session.send(request);
    if (!response) {
        return;
    }
    bool basic = to_lower(response->header("www-authenticate")).rfind("basic", 0) == 0;
    if (response->status == 401 && basic) {
        session.ok("mimic-cxr-jpg 2.1.0 asks a Wget-compatible client for Basic credentials (HTTP 401)");
    } else if (response->status == 401) {
        session.drift("HTTP 401 without a `WWW-Authenticate: Basic` challenge (it sent '" +
                          printable_excerpt(response->header("www-authenticate"), 80) + "')",
                      "WWW-Authenticate");
    } else if (response->status == 403) {
        session.unexpected_status(request, *response,
                                  "401 with a Basic challenge: the Wget User-Agent gate may have changed, and "
                                  "credentialed downloads would be refused");
    } else {
        session.unexpected_status(request, *response, "401 with a Basic challenge to an anonymous client");
    }
}

void probe_kaggle_live(LiveSession& session) {
    const ProviderEndpoints& endpoints = session.context().endpoints;
    KaggleRef competition;
    competition.competition = live_target("CXRCAT_LIVE_KAGGLE_COMPETITION", k_live_kaggle_competition);
    // The RPC API the official clients use since kaggle 1.8, then the legacy REST list, built as the
    // route builds them (kaggle_calls.hpp; api-drift-2026.md §6.1). The REST list answered 401/403,
    // not 404, in kaggle-cli#831.
    KaggleCall listed = kaggle_list_call(KaggleApi::rpc, endpoints, competition, 1, "");
    HttpRequest rpc = session.request(listed.url);
    rpc.method = "POST";
    rpc.post_body = listed.body;
    rpc.headers.emplace_back("Content-Type: application/json");
    check_kaggle_list(session, rpc, "ListDataFiles");
    if (session.failed()) {
        return;
    }
    HttpRequest legacy = session.request(kaggle_list_call(KaggleApi::legacy, endpoints, competition, 1, "").url);
    check_kaggle_list(session, legacy, "the legacy list");
}

void probe_huggingface_live(LiveSession& session) {
    std::string repo = live_target("CXRCAT_LIVE_HF_REPO", k_live_hub_repo);
    // The first page of the tree, as the route asks it (huggingface.cpp), read by its parser
    // (entries {type, oid, size, path} plus lfs {oid, size}: api-drift-2026.md §5.3).
    HttpRequest request =
        session.request(join_url(session.context().endpoints.huggingface,
                                 "/api/datasets/" + url_encode(repo, true) + "/tree/main?recursive=true&expand=false"));
    auto response = session.send(request);
    if (!response) {
        return;
    }
    if (response->status != 200) {
        std::string code = response->header("x-error-code");
        session.unexpected_status(request, *response,
                                  "200 with the tree" + (code.empty() ? "" : " (X-Error-Code: " + code + ")"));
        return;
    }
    auto page = parse_hub_tree_page(response->body);
    if (!page) {
        session.drift("the tree of " + repo + ": " + page.error().message(), "path");
        return;
    }
    if (page->empty()) {
        session.drift("the tree of " + repo + " has no entry of type \"file\"", "type");
        return;
    }
    std::size_t lfs = 0;
    for (std::size_t i = 0; i < page->size() && !session.failed(); ++i) {
        if (!(*page)[i].size) {
            session.drift("the tree of " + repo + ": " + live_index("", i) + " (" + (*page)[i].path + ") has no size",
                          live_index("", i) + ".size");
        }
        lfs += (*page)[i].lfs_sha256.empty() ? 0U : 1U;
    }
    session.ok("the tree of " + repo + ": " + std::to_string(page->size()) + " files on the first page, " +
               std::to_string(lfs) + " with an lfs.oid");
}

} // namespace cxrcat::providers
