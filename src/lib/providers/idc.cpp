// SPDX-License-Identifier: Apache-2.0
// Imaging Data Commons public buckets over plain HTTPS. The series list comes from IDC's REST API
// v3 (idc_api.cpp) for the collection, or from a series manifest the user exported (--manifest);
// each series is then listed in its bucket (bucket_listing.cpp: names, sizes, MD5) and laid out as
// <series uuid>/<instance>.dcm under the dataset directory. Only the series being fetched are
// listed: a dry run reports what the API says.
#include "cxrcat/base/redacted_url.hpp"
#include "providers/bucket_listing.hpp"
#include "providers/idc_api.hpp"
#include "providers/parsers.hpp"
#include "providers/provider_common.hpp"
#include "providers/s5cmd_manifest.hpp"

#include <algorithm>
#include <atomic>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

namespace cxrcat::providers {

namespace {

// Listing requests in flight at once: thousands of series would otherwise spend minutes on round
// trips before the first byte is downloaded.
constexpr std::size_t k_listing_threads = 8;
constexpr std::string_view k_portal = "https://portal.imaging.datacommons.cancer.gov/explore/";
// error with prefix before its message; its code, notes and HTTP facts kept.
Error idc_prefixed(const std::string& prefix, const Error& error) {
    Error prefixed(error.code(), prefix + error.message(), error.notes());
    if (error.http()) {
        prefixed.with_http(*error.http());
    }
    return prefixed;
}

constexpr std::string_view k_manifest_form =
    "each line must look like `cp s3://BUCKET/SERIES_UUID/* DESTINATION` (or `sync`, or one file "
    "`cp s3://BUCKET/SERIES_UUID/INSTANCE.dcm DESTINATION`), as the IDC portal and idc-index write them";

// One series to list: where it is, what the error messages call it, and what to keep.
struct SeriesToList {
    std::string bucket;
    std::string uuid;
    std::string label;                  // "manifest line 3" or "series 1.2.3…"
    std::vector<std::string> instances; // only these object names below the series (empty: all)
    std::map<std::string, std::string> metadata;
    std::uint64_t instance_count = 0; // announced by the API (0: unknown)
};

class IdcClient final : public ContextClient {
  public:
    using ContextClient::ContextClient;

    Result<std::vector<ResolvedFile>> resolve(const Dataset& dataset, const Source& source) override {
        m_warnings.clear();
        auto series = m_context.manifest ? series_of_manifest(dataset) : series_of_api(dataset, source);
        if (!series) {
            return series.error();
        }
        if (!m_context.list_series && !m_context.manifest) {
            return m_unlisted;
        }
        std::vector<SeriesToList> wanted;
        for (auto& one : *series) {
            if (!m_context.wanted_series || m_context.wanted_series(one.uuid)) {
                wanted.push_back(std::move(one));
            }
        }
        auto listed = list_all(wanted);
        if (!listed) {
            return idc_prefixed(dataset.id + ": ", listed.error());
        }
        return files_of(wanted, *listed);
    }

    ProbeResult probe(const Dataset& dataset, const Source& source) override {
        if (m_context.manifest) {
            return probe_manifest(dataset);
        }
        auto cohort = query_idc_cohort(m_context, terms_of(source), true);
        if (!cohort) {
            return status_of(cohort.error());
        }
        if (cohort->series.empty()) {
            return {ProbeStatus::not_found,
                    "the IDC API lists no series for collection '" + source.param("collection") + "'",
                    "check the collection id on " + std::string(k_portal), ""};
        }
        const IdcSeriesRow& first = cohort->series.front();
        auto listed = list_series_objects(m_context, first.bucket, first.series_uuid, true);
        if (!listed) {
            return status_of(listed.error());
        }
        return {ProbeStatus::ok,
                "the IDC API (version " + idc_api_version(m_context) + ") lists collection '" +
                    source.param("collection") + "', and bucket " +
                    bucket_on_endpoint(m_context.endpoints.idc, first.bucket) + " lists its series " +
                    first.series_uuid + "; no credentials needed",
                "", ""};
    }

    Error explain(const Dataset& /*dataset*/, const Source& /*source*/, Error error) const override {
        if (!is_transfer_failure(error)) {
            return error; // resolve()'s own errors arrive here too, already explained
        }
        if (error.code() == ErrorCode::not_found) {
            error.note(m_context.manifest ? "IDC moves series between buckets in new releases: export the manifest "
                                            "again from the IDC portal or idc-index"
                                          : "IDC moves series between buckets in new releases: rerun to list them "
                                            "again");
        }
        return error;
    }

    [[nodiscard]] std::vector<std::string> warnings() const override { return m_warnings; }

  private:
    [[nodiscard]] static IdcTerms terms_of(const Source& source) {
        IdcTerms terms{{"collection_id", {source.param("collection")}}};
        if (std::string modality = source.param("modality"); !modality.empty()) {
            terms["Modality"] = {modality};
        }
        return terms;
    }

    [[nodiscard]] static ProbeResult status_of(const Error& error) {
        // The answer's status travels in Error::http (as explain() reads it), never in the message.
        ProbeStatus status = error.http_status() == 429                 ? ProbeStatus::rate_limited
                             : error.code() == ErrorCode::not_found     ? ProbeStatus::not_found
                             : error.code() == ErrorCode::access_denied ? ProbeStatus::restricted
                                                                        : ProbeStatus::unreachable;
        return {status, error.message(), error.notes().empty() ? "" : error.notes().front(), ""};
    }

    // The collection's series from the API. Without listing (a dry run), m_unlisted receives one
    // entry per series.
    [[nodiscard]] Result<std::vector<SeriesToList>> series_of_api(const Dataset& dataset, const Source& source) {
        std::string collection = source.param("collection");
        auto cohort = query_idc_cohort(m_context, terms_of(source));
        if (!cohort) {
            return idc_prefixed(dataset.id + ": ", cohort.error());
        }
        for (const auto& warning : cohort->warnings) {
            m_warnings.push_back("the IDC API warns: " + warning);
        }
        if (cohort->series.empty()) {
            // An empty answer is never an empty dataset: the collection id or the filter is wrong.
            return Error(
                ErrorCode::not_found,
                dataset.id + ": the IDC API (version " + idc_api_version(m_context) +
                    ") lists no series for collection '" + collection + "'",
                {"check the collection id on " + std::string(k_portal),
                 "or export a series manifest there and run: cxrcat fetch " + dataset.id + " --manifest FILE"});
        }
        m_unlisted.clear();
        std::vector<SeriesToList> series;
        for (const auto& row : cohort->series) {
            if (!m_context.list_series) {
                ResolvedFile entry;
                entry.path = row.series_uuid;
                entry.size = row.size_bytes;
                entry.series_files = std::max<std::uint64_t>(row.instance_count, 1);
                entry.metadata = row.metadata();
                entry.digest_origin = "";
                m_unlisted.push_back(std::move(entry));
                continue;
            }
            series.push_back({row.bucket,
                              row.series_uuid,
                              "series " + (row.series_instance_uid.empty() ? row.series_uuid : row.series_instance_uid),
                              {},
                              row.metadata(),
                              row.instance_count});
        }
        return series;
    }

    [[nodiscard]] Result<std::vector<SeriesToList>> series_of_manifest(const Dataset& dataset) {
        const std::filesystem::path& path = *m_context.manifest;
        std::ifstream stream(path, std::ios::binary);
        if (!stream) {
            return Error(ErrorCode::local_io, dataset.id + ": cannot read the manifest " + path.string());
        }
        std::stringstream content;
        content << stream.rdbuf();
        auto manifest = parse_s5cmd_manifest(content.str());
        if (!manifest) {
            return Error(manifest.error().code(), dataset.id + ": " + path.string() + ", " + manifest.error().message(),
                         {std::string(k_manifest_form)});
        }
        if (manifest->skipped_lines > 0) {
            m_warnings.push_back(path.string() + ": skipped " + std::to_string(manifest->skipped_lines) +
                                 (manifest->skipped_lines == 1 ? " line that is" : " lines that are") +
                                 " not a `cp` or `sync` command (a header, or another tool's command)");
        }
        if (manifest->series.empty()) {
            return Error(ErrorCode::usage, dataset.id + ": the manifest " + path.string() + " lists no series",
                         {std::string(k_manifest_form)});
        }
        std::vector<SeriesToList> series;
        for (auto& one : manifest->series) {
            SeriesToList item;
            item.bucket = one.bucket;
            item.uuid = one.series;
            item.label = "manifest line " + std::to_string(one.line);
            item.metadata = {{"crdc_series_uuid", one.series}};
            if (!one.whole) {
                for (const auto& instance : one.instances) {
                    item.instances.push_back(one.series + "/" + instance);
                }
            }
            series.push_back(std::move(item));
        }
        return series;
    }

    [[nodiscard]] ProbeResult probe_manifest(const Dataset& dataset) {
        auto series = series_of_manifest(dataset);
        if (!series) {
            return {ProbeStatus::manual, series.error().message(),
                    series.error().notes().empty() ? "" : series.error().notes().front(), ""};
        }
        const SeriesToList& first = series->front();
        auto listed = list_series_objects(m_context, first.bucket, first.uuid, true);
        if (!listed) {
            return status_of(idc_prefixed(first.label + ": ", listed.error()));
        }
        return {ProbeStatus::ok,
                "bucket " + bucket_on_endpoint(m_context.endpoints.idc, first.bucket) + " lists series " + first.uuid +
                    " (the first of " + std::to_string(series->size()) + " in " + m_context.manifest->string() +
                    "); no credentials needed",
                "", ""};
    }

    // Lists every series, several at a time. After a failure no new series is started, and the
    // failure of the earliest series is reported, whichever thread met it.
    [[nodiscard]] Result<std::vector<std::vector<BucketObject>>>
    list_all(const std::vector<SeriesToList>& series) const {
        std::vector<std::optional<Result<std::vector<BucketObject>>>> slots(series.size());
        std::atomic<std::size_t> next{0};
        std::atomic<bool> failed{false};
        auto work = [&] {
            for (std::size_t i = next++; i < series.size() && !failed; i = next++) {
                try {
                    slots[i].emplace(list_one(series[i]));
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
        std::vector<std::vector<BucketObject>> listed;
        for (auto& slot : slots) {
            if (slot && !*slot) {
                return slot->error();
            }
        }
        for (auto& slot : slots) {
            if (!slot) {
                return Error(ErrorCode::internal, "a series was not listed");
            }
            listed.push_back(std::move(**slot));
        }
        return listed;
    }

    [[nodiscard]] Result<std::vector<BucketObject>> list_one(const SeriesToList& series) const {
        auto objects = list_series_objects(m_context, series.bucket, series.uuid, false);
        if (!objects) {
            Error error(objects.error().code(), series.label + ": " + objects.error().message(),
                        objects.error().notes());
            if (error.code() == ErrorCode::not_found) {
                error.note(m_context.manifest
                               ? "the series may have moved in a newer IDC release: export the manifest again (portal "
                                 "or idc-index)"
                               : "the series may have moved in a newer IDC release: rerun to ask the IDC API again");
            }
            return error;
        }
        if (series.instances.empty()) {
            return objects;
        }
        std::vector<BucketObject> kept;
        for (const auto& name : series.instances) {
            auto found = std::find_if(objects->begin(), objects->end(),
                                      [&](const BucketObject& object) { return object.name == name; });
            if (found == objects->end()) {
                return Error(ErrorCode::not_found, series.label + ": the bucket has no object " + name,
                             {"export the manifest again from the current IDC release (portal or idc-index)"});
            }
            kept.push_back(*found);
        }
        return kept;
    }

    [[nodiscard]] std::vector<ResolvedFile> files_of(const std::vector<SeriesToList>& series,
                                                     const std::vector<std::vector<BucketObject>>& listed) {
        std::vector<ResolvedFile> files;
        for (std::size_t i = 0; i < series.size(); ++i) {
            if (series[i].instance_count != 0 && series[i].instances.empty() &&
                series[i].instance_count != listed[i].size()) {
                m_warnings.push_back(series[i].label + ": the bucket lists " + std::to_string(listed[i].size()) +
                                     " files, the IDC API announced " + std::to_string(series[i].instance_count));
            }
            for (const auto& object : listed[i]) {
                ResolvedFile file;
                file.path = object.name; // "<series uuid>/<instance uuid>.dcm": one directory per series
                file.urls.push_back(bucket_object_url(m_context, series[i].bucket, object.name));
                file.bucket_url = "s3://" + series[i].bucket + "/" + object.name; // for s5cmd plans
                file.size = object.size;
                file.metadata = series[i].metadata;
                if (!object.md5.empty()) {
                    // Multipart ETags are no MD5: those files get their SHA-256 recorded at first download.
                    file.digests[DigestAlgorithm::md5] = object.md5;
                    file.digest_origin = "from the IDC bucket listing";
                }
                files.push_back(std::move(file));
            }
        }
        return files;
    }

    std::vector<std::string> m_warnings;
    std::vector<ResolvedFile> m_unlisted;
};

} // namespace

std::unique_ptr<ProviderClient> make_idc_client(const ProviderContext& context) {
    return std::make_unique<IdcClient>(context);
}

} // namespace cxrcat::providers
