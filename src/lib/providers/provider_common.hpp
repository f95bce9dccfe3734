// SPDX-License-Identifier: Apache-2.0
// Private: what the provider clients share.
#pragma once

#include "cxrcat/base/text.hpp" // url_encode, used by every provider
#include "cxrcat/net/http_get.hpp"
#include "cxrcat/providers/provider.hpp"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace cxrcat::providers {

// What every client builds on: the context it was made with (endpoints, credentials, retry policy,
// CA bundle), which outlives it.
class ContextClient : public ProviderClient {
  public:
    explicit ContextClient(const ProviderContext& context) : m_context(context) {}

  protected:
    const ProviderContext& m_context;
};

std::unique_ptr<ProviderClient> make_http_client(const ProviderContext& context);
std::unique_ptr<ProviderClient> make_zenodo_client(const ProviderContext& context);
std::unique_ptr<ProviderClient> make_physionet_client(const ProviderContext& context);
std::unique_ptr<ProviderClient> make_kaggle_client(const ProviderContext& context);
std::unique_ptr<ProviderClient> make_huggingface_client(const ProviderContext& context);
std::unique_ptr<ProviderClient> make_idc_client(const ProviderContext& context);
std::unique_ptr<ProviderClient> make_tcia_client(const ProviderContext& context);

// The credential the context holds for one provider, picked by its CredentialStore accessor
// (&CredentialStore::kaggle), or nullptr when there is none.
[[nodiscard]] const Credential* context_credential(const ProviderContext& context,
                                                   const std::optional<Credential>& (CredentialStore::*which)() const);

// A request with the context's CA bundle and user agent.
[[nodiscard]] HttpRequest base_request(const ProviderContext& context, std::string url);

// base_request asking for a JSON answer (Accept: application/json), as every provider API is asked.
[[nodiscard]] HttpRequest json_request(const ProviderContext& context, std::string url);

// "****abcd" for a credential, with where it came from.
[[nodiscard]] std::string describe_credential(const Credential& credential);

// Joins a base URL (no trailing slash) and a path starting with '/'.
[[nodiscard]] std::string join_url(const std::string& base, const std::string& path);

// A transport failure during a probe, as a ProbeResult; credential says whose credential was tried.
[[nodiscard]] ProbeResult unreachable(const Error& error, std::string credential = "");

// A source the catalog describes wrongly (no repository, no competition named), as a probe result:
// unsupported, with the error's message and its last note (what to fix in the catalog).
[[nodiscard]] ProbeResult catalog_fault_probe(const Error& error);

// A page of a provider's listing that does not parse: "<dataset_id>: <the parser's message>", with
// the request (redacted) and the parser's first note.
[[nodiscard]] Error listing_page_error(const std::string& dataset_id, const Error& error, const std::string& url);

// A listed path that is_safe_relative_path refuses: "<dataset_id>: <listed> that is not a safe
// relative path: '<path>'" (listed: "the Hub listed a path"), with the request; nothing is downloaded.
[[nodiscard]] Error unsafe_listed_path_error(const std::string& dataset_id, const std::string& listed,
                                             const std::string& path, const std::string& url);

// What an answer from a provider that needs an account means, in the user's terms.
struct ProviderDiagnosis {
    ErrorCode code = ErrorCode::network;
    ProbeStatus status = ProbeStatus::unreachable;
    std::string summary; // what is wrong
    std::string fix;     // what to do about it
};

// The diagnosis as an error about subject (a dataset id, a file): "subject: summary: fix".
[[nodiscard]] Error diagnosis_error(const std::string& subject, const ProviderDiagnosis& diagnosis,
                                    std::vector<std::string> notes);

// The notes of a refused request: what the provider answered ("Kaggle answered HTTP 403: ..."),
// then "request: <url, redacted>".
[[nodiscard]] std::vector<std::string> answer_notes(std::string answer, const std::string& url);

// The diagnosis as a probe result whose detail also carries the two notes answer_notes made.
[[nodiscard]] ProbeResult diagnosis_probe(const ProviderDiagnosis& diagnosis, const std::vector<std::string>& notes,
                                          std::string credential);

// True when error is a download failure from the transfer engine (it names its `source: URL`),
// as opposed to an error resolve() already explained: explain() adds its diagnosis only to those.
[[nodiscard]] bool is_transfer_failure(const Error& error);

// What matching a provider's listing against the files the catalog names for a source found.
struct CatalogMatch {
    std::vector<std::string> missing; // catalog paths the listing lacks
    // path, and "path: md5 <catalog> in the catalog, <provider> from the provider"
    std::vector<std::pair<std::string, std::string>> conflicts;
};

// Applies the catalog's files of source to the files a provider listed, matched by path, else by
// file name: the catalog's path, extract flag and size, and its published digests (a digest the
// provider also gives must agree).
[[nodiscard]] CatalogMatch apply_catalog_files(const Source& source, std::vector<ResolvedFile>& files);

// Where a provider listed a source's files, for the errors about the catalog's files.
struct ListingOrigin {
    std::string what; // "Zenodo record 3723295", "Kaggle competition rsna-str-pulmonary-embolism-detection"
    std::string url;  // the page a person opens to compare the listing with the catalog
};

// The one check of a provider's listing against the catalog (every provider calls it): applies the
// catalog's files (apply_catalog_files), then marks each catalog file the listing lacks (not_found)
// and each whose provider digest contradicts the catalog's (integrity) as an unavailable file, so
// that fetch fails those files alone when they are selected and fetches every other one.
void check_catalog_files(const Dataset& dataset, const Source& source, const ListingOrigin& origin,
                         std::vector<ResolvedFile>& files);

// For `check`: "<what> lacks files the catalog lists: a, b" when some are missing, else "".
[[nodiscard]] std::string catalog_gap(const Source& source, const ListingOrigin& origin,
                                      std::vector<ResolvedFile>& files);

} // namespace cxrcat::providers
