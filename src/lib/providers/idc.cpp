// SPDX-License-Identifier: Apache-2.0
// Imaging Data Commons public buckets over plain HTTPS, driven by the series manifest a user
// exports from IDC: each series is listed with the GCS JSON API (names, sizes, MD5) and laid out
// as <series uuid>/<instance>.dcm under the dataset directory.
#include "cxrcat/redacted_url.hpp"
#include "providers/parsers.hpp"
#include "providers/provider_common.hpp"

#include <algorithm>
#include <atomic>
#include <fstream>
#include <sstream>
#include <thread>

namespace cxrcat::providers {

namespace {

// Listing requests in flight at once: a manifest of thousands of series would otherwise spend
// minutes on round trips before the first byte is downloaded.
constexpr std::size_t k_listing_threads = 8;
constexpr std::size_t k_max_pages = 100'000;
constexpr std::string_view k_portal = "https://portal.imaging.datacommons.cancer.gov/explore/";
constexpr std::string_view k_manifest_form =
    "each line must look like `cp s3://BUCKET/SERIES_UUID/* DESTINATION` (or `sync`), as the IDC portal and "
    "idc-index write them; `#` starts a comment line";

class IdcClient final : public ProviderClient {
  public:
    explicit IdcClient(const ProviderContext& context) : m_context(context) {}

    Result<std::vector<ResolvedFile>> resolve(const Dataset& dataset, const Source& source) override {
        if (!m_context.manifest) {
            return missing_manifest(dataset, source);
        }
        auto series = read_manifest(dataset);
        if (!series) {
            return series.error();
        }
        auto listed = list_all(*series);
        if (!listed) {
            return with_context(dataset, listed.error());
        }
        std::vector<ResolvedFile> files;
        for (std::size_t i = 0; i < series->size(); ++i) {
            std::string bucket = gcs_bucket_for((*series)[i].bucket);
            for (const auto& object : (*listed)[i]) {
                ResolvedFile file;
                file.path = object.name; // "<series uuid>/<instance uuid>.dcm": one directory per series
                file.urls.push_back(m_context.endpoints.idc + "/" + bucket + "/" + url_encode(object.name, true));
                file.size = object.size;
                if (!object.md5.empty()) {
                    // Composite objects have no md5Hash: those get their SHA-256 recorded at first download.
                    file.digests[DigestAlgorithm::md5] = object.md5;
                    file.digest_origin = "from the IDC bucket listing";
                }
                files.push_back(std::move(file));
            }
        }
        return files;
    }

    ProbeResult probe(const Dataset& dataset, const Source& source) override {
        if (!m_context.manifest) {
            return {ProbeStatus::manual,
                    "IDC downloads are driven by a series manifest exported from IDC (collection '" +
                        source.param("collection") + "')",
                    "export one (" + std::string(k_portal) + " or idc-index), then run: cxrcat fetch " + dataset.id +
                        " --manifest FILE (cxrcat check " + dataset.id + " --manifest FILE probes it)",
                    ""};
        }
        auto series = read_manifest(dataset);
        if (!series) {
            return {ProbeStatus::manual, series.error().message(),
                    series.error().notes().empty() ? "" : series.error().notes().front(), ""};
        }
        const ManifestSeries& first = series->front();
        auto listed = list_series(first, true);
        if (!listed) {
            const Error& error = listed.error();
            ProbeStatus status = error.code() == ErrorCode::not_found                    ? ProbeStatus::not_found
                                 : error.code() == ErrorCode::access_denied              ? ProbeStatus::restricted
                                 : error.message().find("HTTP 429") != std::string::npos ? ProbeStatus::rate_limited
                                                                                         : ProbeStatus::unreachable;
            return {status, error.message(), error.notes().empty() ? "" : error.notes().front(), ""};
        }
        return {ProbeStatus::ok,
                "bucket " + gcs_bucket_for(first.bucket) + " lists series " + first.series + " (the first of " +
                    std::to_string(series->size()) + " in " + m_context.manifest->string() + "); no credentials needed",
                "", ""};
    }

    Error explain(const Dataset& /*dataset*/, const Source& /*source*/, Error error) const override {
        if (!is_transfer_failure(error)) {
            return error; // resolve()'s own errors arrive here too, already explained
        }
        if (error.code() == ErrorCode::not_found) {
            error.note("IDC moves series between buckets in new releases: export the manifest again from the IDC "
                       "portal or idc-index");
        }
        return error;
    }

  private:
    [[nodiscard]] static Error with_context(const Dataset& dataset, const Error& error) {
        return {error.code(), dataset.id + ": " + error.message(), error.notes()};
    }

    [[nodiscard]] Error missing_manifest(const Dataset& dataset, const Source& source) const {
        std::string collection = source.param("collection");
        return Error(ErrorCode::manual_step,
                     dataset.id + ": IDC downloads are driven by a series manifest: run cxrcat fetch " + dataset.id +
                         " --manifest FILE",
                     {"export one for collection '" + collection + "' from the IDC portal (" + std::string(k_portal) +
                          "): filter on the collection, select the series, then download the cohort's s5cmd manifest",
                      "or with idc-index (pip install idc-index): python3 -c \"from idc_index import IDCClient; "
                      "c = IDCClient(); s = c.index[c.index.collection_id == '" +
                          collection + "']; open('" + dataset.id +
                          ".s5cmd', 'w').writelines('cp ' + u + ' .\\n' for u in s.series_aws_url)\"",
                      "its lines look like: cp s3://idc-open-data/<series uuid>/* .",
                      "no account or credentials are needed for IDC's public buckets"});
    }

    [[nodiscard]] Result<std::vector<ManifestSeries>> read_manifest(const Dataset& dataset) const {
        const std::filesystem::path& path = *m_context.manifest;
        std::ifstream stream(path, std::ios::binary);
        if (!stream) {
            return Error(ErrorCode::local_io, dataset.id + ": cannot read the manifest " + path.string());
        }
        std::stringstream content;
        content << stream.rdbuf();
        auto series = parse_s5cmd_manifest(content.str());
        if (!series) {
            return Error(series.error().code(), dataset.id + ": " + path.string() + ", " + series.error().message(),
                         {std::string(k_manifest_form)});
        }
        if (series->empty()) {
            return Error(ErrorCode::usage, dataset.id + ": the manifest " + path.string() + " lists no series",
                         {std::string(k_manifest_form)});
        }
        return series;
    }

    // Lists every series, several at a time. After a failure no new series is started, and the
    // failure of the earliest series in the manifest is reported, whichever thread met it.
    [[nodiscard]] Result<std::vector<std::vector<BucketObject>>>
    list_all(const std::vector<ManifestSeries>& series) const {
        std::vector<std::optional<Result<std::vector<BucketObject>>>> slots(series.size());
        std::atomic<std::size_t> next{0};
        std::atomic<bool> failed{false};
        auto work = [&] {
            for (std::size_t i = next++; i < series.size() && !failed; i = next++) {
                try {
                    slots[i].emplace(list_series(series[i], false));
                } catch (const std::exception& e) {
                    slots[i].emplace(Error(ErrorCode::internal, std::string("listing failed: ") + e.what()));
                }
                if (!*slots[i]) {
                    failed = true;
                }
            }
        };
        std::vector<std::thread> threads;
        std::size_t count = std::min(k_listing_threads, series.size());
        for (std::size_t t = 1; t < count; ++t) {
            threads.emplace_back(work);
        }
        work();
        for (auto& thread : threads) {
            thread.join();
        }
        for (const auto& slot : slots) {
            if (slot && !*slot) {
                return slot->error();
            }
        }
        std::vector<std::vector<BucketObject>> listed;
        for (auto& slot : slots) {
            if (!slot) {
                return Error(ErrorCode::internal, "a series of the manifest was not listed");
            }
            listed.push_back(std::move(**slot));
        }
        return listed;
    }

    // Every object under "<series>/" (following nextPageToken), or only the first page of one
    // object when probing. Errors name the manifest line.
    [[nodiscard]] Result<std::vector<BucketObject>> list_series(const ManifestSeries& series, bool probing) const {
        std::string bucket = gcs_bucket_for(series.bucket);
        std::string prefix = series.series + "/";
        std::string where = "manifest line " + std::to_string(series.line) + ": ";
        std::string renamed = bucket == series.bucket ? "" : " (AWS bucket " + series.bucket + " on this endpoint)";
        std::vector<BucketObject> objects;
        std::string token;
        for (std::size_t page_number = 0; page_number < k_max_pages; ++page_number) {
            std::string url = m_context.endpoints.idc + "/storage/v1/b/" + url_encode(bucket, false) +
                              "/o?prefix=" + url_encode(prefix, false) + "&maxResults=" + (probing ? "1" : "1000") +
                              "&fields=" + url_encode("items(name,size,md5Hash),nextPageToken", false);
            if (!token.empty()) {
                url += "&pageToken=" + url_encode(token, false);
            }
            HttpRequest request = base_request(m_context, url);
            request.headers.emplace_back("Accept: application/json");
            auto response = http_request(request, m_context.retry);
            std::string request_note = "request: " + RedactedUrl(url).str();
            if (!response) {
                return Error(response.error().code(),
                             where + "cannot list series " + series.series + ": " + response.error().message(),
                             response.error().notes());
            }
            long status = response->status;
            if (status == 404) {
                return Error(
                    ErrorCode::not_found, where + "bucket " + bucket + renamed + " does not exist",
                    {"export the manifest again from the current IDC release (portal or idc-index)", request_note});
            }
            if (status == 401 || status == 403) {
                return Error(
                    ErrorCode::access_denied,
                    where + "bucket " + bucket + renamed + " is not public (HTTP " + std::to_string(status) + ")",
                    {"IDC's public buckets need no credentials: check the bucket name in the manifest", request_note});
            }
            if (status != 200) {
                return Error(
                    ErrorCode::network,
                    where + "listing series " + series.series + " failed with HTTP " + std::to_string(status),
                    {status == 429 ? "the bucket is rate-limiting requests: wait a minute and rerun" : "retry later",
                     request_note});
            }
            auto page = parse_gcs_listing(response->body);
            if (!page) {
                return Error(page.error().code(), where + page.error().message(), {request_note});
            }
            for (auto& object : page->objects) {
                if (object.name.rfind(prefix, 0) != 0 || !is_safe_relative_path(object.name)) {
                    return Error(ErrorCode::integrity,
                                 where + "the listing of series " + series.series + " holds an unexpected name '" +
                                     object.name + "'",
                                 {request_note, "nothing was downloaded"});
                }
                objects.push_back(std::move(object));
            }
            if (probing || page->next_page_token.empty()) {
                break;
            }
            if (page->next_page_token == token) {
                return Error(ErrorCode::network, where + "the bucket listing repeats its page token", {request_note});
            }
            token = page->next_page_token;
        }
        if (objects.empty()) {
            return Error(ErrorCode::not_found,
                         where + "series " + series.series + " has no objects in bucket " + bucket + renamed,
                         {"the series may have moved in a newer IDC release: export the manifest again (portal or "
                          "idc-index)"});
        }
        return objects;
    }

    const ProviderContext& m_context;
};

} // namespace

std::unique_ptr<ProviderClient> make_idc_client(const ProviderContext& context) {
    return std::make_unique<IdcClient>(context);
}

} // namespace cxrcat::providers
