// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "cxrcat/access/credentials.hpp"
#include "cxrcat/base/polymorphic_base.hpp"
#include "cxrcat/base/result.hpp"
#include "cxrcat/catalog/dataset.hpp"
#include "cxrcat/net/download.hpp"

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace cxrcat {

// One prefix rewrite of plain catalog URLs (`http` sources): a URL that starts with `from` is fetched
// from `to` + the rest. The http provider's counterpart of the other providers' base URLs.
struct UrlRewrite {
    std::string from;
    std::string to;
};

// Base URLs (scheme, host and port) of each provider; the clients append their usual paths.
// Overridden by HF_ENDPOINT, CXRCAT_ZENODO_URL, CXRCAT_PHYSIONET_URL, CXRCAT_KAGGLE_URL and
// CXRCAT_IDC_URL (the bucket endpoint), CXRCAT_IDC_API_URL (the IDC REST API v3, path included),
// CXRCAT_TCIA_URL (the NBIA API, path included) and CXRCAT_TCIA_NLST_URL (NLST's own NBIA host), for
// mirrors, proxies and tests; plain URLs by CXRCAT_URL_REWRITE.
struct ProviderEndpoints {
    std::string zenodo = "https://zenodo.org";
    std::string physionet = "https://physionet.org";
    std::string kaggle = "https://www.kaggle.com";
    // Kaggle's RPC API (POST /v1/<service>/<method>, api-drift-2026.md §6.1); CXRCAT_KAGGLE_URL
    // replaces both Kaggle hosts.
    std::string kaggle_api = "https://api.kaggle.com";
    std::string huggingface = "https://huggingface.co";
    std::string idc = "https://storage.googleapis.com";
    std::string idc_api = "https://api.imaging.datacommons.cancer.gov/v3";
    // NBIA v4: open without a token; v1 is "in the process of being deprecated" (api-drift-2026.md
    // §1.1) and is asked only when v4 answers 404/410 (tcia_api.cpp).
    std::string tcia = "https://services.cancerimagingarchive.net/nbia-api/services/v4";
    // NLST sits on its own NBIA host, not on the main one (api-drift-2026.md §1.4: tcia_utils
    // `api_url="nlst"`; tcia_utils#21): a tcia source with "host": "nlst" asks this base.
    std::string tcia_nlst = "https://nlst.cancerimagingarchive.net/nbia-api/services/v4";
    std::vector<UrlRewrite> url_rewrites;

    [[nodiscard]] static ProviderEndpoints from_environment();
    // url with the longest matching rewrite applied (unchanged when none matches).
    [[nodiscard]] std::string rewrite(const std::string& url) const;
    // The host part of the PhysioNet endpoint (what netrc is searched for).
    [[nodiscard]] std::string physionet_host() const;
};

// Everything a provider client needs, passed explicitly so tests can point it at loopback stubs.
struct ProviderContext {
    ProviderEndpoints endpoints;
    const CredentialStore* credentials = nullptr;
    std::optional<std::filesystem::path> ca_bundle;
    RetryPolicy retry;
    std::string user_agent = "cxrcat";
    std::optional<std::filesystem::path> manifest; // IDC series manifest (s5cmd lines)
    // Series-based sources (IDC, TCIA) list each series' files only when this is true (a fetch);
    // a dry run leaves them as one entry per series, with the size the API gives.
    bool list_series = true;
    // Which series directories ("<series>") a fetch wants, so only those are listed; all when empty.
    std::function<bool(const std::string& series_directory)> wanted_series;
    // Whether fetch wants a listed file (its --include/--exclude), by the path the provider lists;
    // empty: every file. A client may drop unwanted files early (PhysioNet's listing of 377,110
    // files is read as it streams in); what it returns is filtered again, so this is only a saving.
    std::function<bool(const std::string&)> selected;
    // fetch wants every file of each source and has none of them yet (no --include/--exclude,
    // selection, --from, mirror, bucket target or earlier install): a provider that serves all of
    // a source's files in one archive may offer it (ResolvedFile::archive_url).
    bool whole_source = false;
};

// One file of a source, ready for the download engine.
struct ResolvedFile {
    std::string path;              // relative to the dataset directory
    std::vector<std::string> urls; // tried in order
    std::string resume_url;        // where to send Range requests, when it differs
    std::vector<std::pair<std::string, Secret>> secret_headers;
    std::optional<BasicAuth> basic_auth;
    std::string user_agent;
    std::optional<std::uint64_t> size;
    std::map<DigestAlgorithm, std::string> digests;
    std::string digest_origin; // "published in the catalog", "from the Zenodo record API", ...
    bool extract = false;
    std::optional<std::uint64_t> extracted_size; // an archive's stated extracted size (catalog or listing)
    std::string zipped_member;                   // see TransferRequest::zipped_member ("" when the provider never zips)
    std::string post_body;                       // see TransferRequest::post_body ("" for a GET)
    bool served_md5 = false;                     // see TransferRequest::served_md5
    // See TransferRequest::own_redirects (the Hugging Face Hub's resolve).
    bool own_redirects = false;
    // A URL, needing no credentials, of one zip holding every file of this source under its listed
    // path (Kaggle's DownloadDataFiles); "" when none. Offered only under ProviderContext::whole_source;
    // fetch uses it when it downloads all of the source's files, and asks urls file by file otherwise.
    std::string archive_url;
    // What the provider knows about the file's group, for selection: IDC and TCIA give the series'
    // PatientID, StudyInstanceUID, SeriesInstanceUID, Modality, collection_id (and crdc_series_uuid).
    std::map<std::string, std::string> metadata;
    // > 0: this entry stands for a whole series of that many files, not listed yet (dry run); its
    // path is the series directory and its size the API's total.
    std::uint64_t series_files = 0;
    // A TCIA series zip: after download, every member is checked against this member of the zip
    // ("md5hashes.csv"), and the series is installed only when all match.
    std::string member_checksums;
    std::string bucket_url; // s3://bucket/key of a bucket source, for s5cmd plans ("" otherwise)
    // Set when the provider cannot serve this file as the catalog describes it (listed in the
    // catalog but absent upstream, or a published checksum that contradicts the catalog's): fetch
    // fails this file alone with this error when it is selected, and still fetches the others.
    std::optional<Error> unavailable;
};

// What `cxrcat check` reports for one source.
enum class ProbeStatus {
    ok,
    no_credentials,
    credentials_refused,
    not_accepted, // competition rules, data use agreement or gate not accepted for this dataset
    rate_limited,
    not_found, // not found or moved
    unreachable,
    manual, // registration: a person must download the files
    restricted,
    unsupported,
};

[[nodiscard]] std::string_view to_string(ProbeStatus status);

struct ProbeResult {
    ProbeStatus status = ProbeStatus::ok;
    std::string detail;     // what was observed
    std::string fix;        // the exact URL or command that fixes it ("" when ok)
    std::string credential; // "Kaggle API key from environment KAGGLE_USERNAME/KAGGLE_KEY (****abcd)"
};

// One download route. Each provider lives in src/lib/providers/<name>.cpp.
class ProviderClient : public PolymorphicBase {
  public:
    // Lists the source's files with their URLs, credentials, sizes and digests.
    [[nodiscard]] virtual Result<std::vector<ResolvedFile>> resolve(const Dataset& dataset, const Source& source) = 0;
    // A cheap request that touches no data and says whether a fetch would be allowed.
    [[nodiscard]] virtual ProbeResult probe(const Dataset& dataset, const Source& source) = 0;
    // Adds the provider's precise diagnosis to a download failure (e.g. "accept the rules at URL").
    [[nodiscard]] virtual Error explain(const Dataset& dataset, const Source& source, Error error) const {
        (void)dataset;
        (void)source;
        return error;
    }
    // What the last resolve() noticed that the user should hear (skipped manifest lines, warnings of
    // the provider's API); the library never prints, the caller does.
    [[nodiscard]] virtual std::vector<std::string> warnings() const { return {}; }
};

[[nodiscard]] std::unique_ptr<ProviderClient> make_provider_client(Provider provider, const ProviderContext& context);

} // namespace cxrcat
