// SPDX-License-Identifier: Apache-2.0
// Zenodo records: the record API lists names, sizes and md5; the bytes come from the API content URL.
#include "cxrcat/base/redacted_url.hpp"
#include "cxrcat/base/text.hpp"
#include "providers/parsers.hpp"
#include "providers/provider_common.hpp"

#include <nlohmann/json.hpp>

namespace cxrcat::providers {

namespace {

class ZenodoClient final : public ContextClient {
  public:
    using ContextClient::ContextClient;

    Result<std::vector<ResolvedFile>> resolve(const Dataset& dataset, const Source& source) override {
        m_warnings.clear();
        std::string record = source.param("record");
        auto answer = fetch_record(dataset, record, m_context.retry);
        if (!answer) {
            return answer.error();
        }
        const ZenodoRecord& listing = *answer;
        record = listing.id.empty() ? record : listing.id; // a concept id's latest version
        std::string base = m_context.endpoints.zenodo;
        std::vector<ResolvedFile> files;
        for (const auto& file : listing.files) {
            if (!is_safe_relative_path(file.key)) {
                return Error(ErrorCode::integrity,
                             dataset.id + ": Zenodo record " + record +
                                 " lists a file name that would leave the dataset directory: '" + file.key + "'",
                             {"nothing was downloaded"});
            }
            std::string key = url_encode(file.key, true);
            ResolvedFile resolved;
            resolved.path = file.key;
            // The record's own link for the file (its three shapes name it differently), else the
            // canonical API content URL. It ignores Range, so resumed and split transfers go to the
            // record page's download route, which honours it (provider-apis.md §1.2; zenodo/zenodo#2593).
            resolved.urls.push_back(!file.link.empty() ? on_endpoint(file.link)
                                                       : std::string(base)
                                                             .append("/api/records/")
                                                             .append(record)
                                                             .append("/files/")
                                                             .append(key)
                                                             .append("/content"));
            resolved.resume_url = std::string(base)
                                      .append("/records/")
                                      .append(record)
                                      .append("/files/")
                                      .append(key)
                                      .append("?download=1");
            resolved.size = file.size;
            if (!file.md5.empty()) {
                resolved.digests[DigestAlgorithm::md5] = file.md5;
                resolved.digest_origin = "from the Zenodo record API (record " + record + ")";
            }
            files.push_back(std::move(resolved));
        }
        if (files.empty()) {
            return empty_record(dataset, record, listing);
        }
        check_catalog_files(dataset, source, listing_origin(record), files);
        return files;
    }

    ProbeResult probe(const Dataset& dataset, const Source& source) override {
        std::string record = source.param("record");
        HttpRequest request = record_request(record);
        auto response = get_record(request, record, m_context.retry);
        if (!response) {
            return unreachable(response.error());
        }
        std::string where = RedactedUrl(request.url).str();
        long status = response->status;
        if (status == 200) {
            auto listing = parse_zenodo_record(response->body);
            if (!listing) {
                return {ProbeStatus::unreachable, "Zenodo record " + record + ": " + listing.error().message(),
                        "check " + where + " (a proxy or captive portal may be answering)", ""};
            }
            std::vector<ResolvedFile> files;
            std::uint64_t total = 0;
            for (const auto& file : listing->files) {
                ResolvedFile resolved;
                resolved.path = file.key;
                files.push_back(std::move(resolved));
                total += file.size.value_or(0);
            }
            if (std::string gap = catalog_gap(source, listing_origin(record), files); !gap.empty()) {
                return {ProbeStatus::not_found, gap,
                        "compare " + record_page(record) + " with the catalog entry (" + dataset.origin + ")", ""};
            }
            if (files.empty()) {
                bool restricted =
                    listing->files_listed || (!listing->access_right.empty() && listing->access_right != "open");
                return {restricted ? ProbeStatus::restricted : ProbeStatus::not_found,
                        "Zenodo record " + record + " lists no files" +
                            (listing->access_right.empty() ? "" : " (access: " + listing->access_right + ")"),
                        "open " + record_page(record) + " to see whether access must be requested", ""};
            }
            return {ProbeStatus::ok,
                    "Zenodo record " + record + ": " + std::to_string(files.size()) + " files, " + human_size(total) +
                        ", md5 from the record API" +
                        (listing->id.empty() || listing->id == record
                             ? ""
                             : " (a concept id: its latest version " + listing->id + " is used)"),
                    "", ""};
        }
        Error error = status_error(dataset, record, *response, request.url);
        std::string detail = error.message();
        if (detail.rfind(dataset.id + ": ", 0) == 0) {
            detail.erase(0, dataset.id.size() + 2); // check prints the dataset id already
        }
        ProbeStatus probe_status = status == 404 || status == 410   ? ProbeStatus::not_found
                                   : status == 429                  ? ProbeStatus::rate_limited
                                   : status == 401 || status == 403 ? ProbeStatus::restricted
                                                                    : ProbeStatus::unreachable;
        return {probe_status, detail, error.notes().empty() ? "" : error.notes().front(), ""};
    }

    Error explain(const Dataset& /*dataset*/, const Source& source, Error error) const override {
        if (!is_transfer_failure(error)) {
            return error; // resolve()'s own errors arrive here too, already explained
        }
        std::string record = source.param("record");
        switch (error.code()) {
        case ErrorCode::not_found:
            error.note("Zenodo record " + record + " no longer serves this file: see " + record_page(record));
            break;
        case ErrorCode::access_denied:
            error.note("the files of Zenodo record " + record + " may be restricted: open " + record_page(record) +
                       " to request access");
            break;
        case ErrorCode::network:
            if (error.http_status() == 429) {
                error.note("Zenodo allows guests about 60 requests a minute; wait a minute and rerun (finished "
                           "files are kept, partial ones resume)");
            }
            break;
        default: break;
        }
        return error;
    }

    [[nodiscard]] std::vector<std::string> warnings() const override { return m_warnings; }

  private:
    std::vector<std::string> m_warnings; // of the last resolve()

    [[nodiscard]] std::string record_page(const std::string& record) const {
        return m_context.endpoints.zenodo + "/records/" + record;
    }

    [[nodiscard]] ListingOrigin listing_origin(const std::string& record) const {
        return {"Zenodo record " + record, record_page(record)};
    }

    [[nodiscard]] HttpRequest record_request(const std::string& record) const {
        return json_request(m_context, m_context.endpoints.zenodo + "/api/records/" + record);
    }

    Result<ZenodoRecord> fetch_record(const Dataset& dataset, const std::string& record, const RetryPolicy& policy) {
        HttpRequest request = record_request(record);
        auto response = get_record(request, record, policy); // 429 and 5xx retried, Retry-After honoured
        if (!response) {
            Error error(response.error().code(),
                        dataset.id + ": cannot read Zenodo record " + record + ": " + response.error().message(),
                        response.error().notes());
            return error;
        }
        if (response->status != 200) {
            return status_error(dataset, record, *response, request.url);
        }
        auto listing = parse_zenodo_record(response->body);
        if (!listing) {
            return Error(listing.error().code(),
                         dataset.id + ": Zenodo record " + record + ": " + listing.error().message(),
                         {"request: " + RedactedUrl(request.url).str(),
                          "a proxy or captive portal may be answering instead of Zenodo"});
        }
        if (!listing->id.empty() && listing->id != record) {
            m_warnings.push_back("Zenodo record " + record + " is a concept id; its latest version " + listing->id +
                                 " is used (" + record_page(listing->id) + ")");
        }
        return listing;
    }

    // GET of a record; a 404 may be a concept (parent) id, which only answers through
    // /versions/latest (zenodo/zenodo#2499; api-drift-2026.md §4.1): that route redirects to the
    // latest version's record (invenio-rdm-records RDMRecordResource.read_latest).
    Result<HttpResponse> get_record(HttpRequest& request, const std::string& record, const RetryPolicy& policy) const {
        auto response = http_request(request, policy);
        if (!response || response->status != 404) {
            return response;
        }
        HttpRequest latest =
            json_request(m_context, m_context.endpoints.zenodo + "/api/records/" + record + "/versions/latest");
        auto second = http_request(latest, policy);
        if (second && second->status == 200) {
            request = std::move(latest);
            return second;
        }
        return response; // the first 404 says what is wrong
    }

    // A link of the record moved onto the configured base URL (CXRCAT_ZENODO_URL), so that a proxy
    // or mirror in front of Zenodo also serves the bytes.
    [[nodiscard]] std::string on_endpoint(const std::string& link) const {
        std::size_t scheme = link.find("://");
        std::size_t path = scheme == std::string::npos ? 0 : link.find('/', scheme + 3);
        return path == std::string::npos ? link : m_context.endpoints.zenodo + link.substr(path);
    }

    // The error for a record API answer other than 200; its first note is the fix.
    [[nodiscard]] Error status_error(const Dataset& dataset, const std::string& record, const HttpResponse& response,
                                     const std::string& url) const {
        long status = response.status;
        std::string request_note = "request: " + RedactedUrl(url).str();
        std::string says = server_message(response);
        if (status == 404) {
            return Error(ErrorCode::not_found, dataset.id + ": Zenodo record " + record + " does not exist",
                         {"check the record id in the catalog entry (" + dataset.origin + "); search " +
                              m_context.endpoints.zenodo + "/search?q=" + url_encode(dataset.name, false) +
                              " for where the dataset went",
                          says.empty() ? request_note : "Zenodo says: " + says, request_note});
        }
        if (status == 410) {
            return Error(ErrorCode::not_found,
                         dataset.id + ": Zenodo record " + record + " was withdrawn (HTTP 410 Gone)",
                         {"the dataset's homepage may name its new location: " + dataset.homepage, request_note});
        }
        if (status == 429) {
            std::string retry_after = response.header("retry-after");
            return Error(ErrorCode::network,
                         dataset.id + ": Zenodo is rate-limiting requests (HTTP 429) for record " + record,
                         {"wait " + (retry_after.empty() ? std::string("a minute") : retry_after + " seconds") +
                              " and rerun; Zenodo allows guests about 60 requests a minute",
                          request_note});
        }
        if (status == 401 || status == 403) {
            return Error(ErrorCode::access_denied,
                         dataset.id + ": Zenodo record " + record + " is not public (HTTP " + std::to_string(status) +
                             ")",
                         {"open " + record_page(record) + " to request access", request_note});
        }
        return Error(ErrorCode::network,
                     dataset.id + ": Zenodo answered HTTP " + std::to_string(status) + " for record " + record,
                     {"retry later; Zenodo may be down or in maintenance", request_note});
    }

    // A record whose `files` is an empty list hides them: restricted records answer so (a real
    // capture, 2024-08; api-drift-2026.md §4.1).
    [[nodiscard]] Error empty_record(const Dataset& dataset, const std::string& record,
                                     const ZenodoRecord& listing) const {
        const std::string& access_right = listing.access_right;
        if (listing.files_listed || (!access_right.empty() && access_right != "open")) {
            return Error(ErrorCode::access_denied,
                         dataset.id + ": Zenodo record " + record + " is " +
                             (access_right.empty() || access_right == "open" ? "restricted" : access_right) +
                             " and lists no files",
                         {"open " + record_page(record) + " to request access"});
        }
        return Error(ErrorCode::not_found, dataset.id + ": Zenodo record " + record + " lists no files",
                     {"see " + record_page(record)});
    }

    // The `message` of a Zenodo JSON error body, fit for a terminal (no control bytes, at most
    // 200 bytes), or "".
    static std::string server_message(const HttpResponse& response) {
        constexpr std::size_t k_limit = 200;
        auto document = nlohmann::json::parse(response.body, nullptr, false);
        if (!document.is_object() || !document.contains("message") || !document["message"].is_string()) {
            return {};
        }
        std::string text = document["message"].get<std::string>().substr(0, k_limit);
        for (auto& c : text) {
            if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
                c = ' ';
            }
        }
        return text;
    }
};

} // namespace

std::unique_ptr<ProviderClient> make_zenodo_client(const ProviderContext& context) {
    return std::make_unique<ZenodoClient>(context);
}

} // namespace cxrcat::providers
