// SPDX-License-Identifier: Apache-2.0
// ListObjectsV2 of an IDC series prefix. IDC's own guide lists series with `aws s3 ls
// --no-sign-request s3://idc-open-data/<uuid>/`, idc-index with `s5cmd --no-sign-request ls`; both
// are this request. The answer is flat XML (no nesting beyond <Contents>), read here by tag.
#include "providers/bucket_listing.hpp"

#include "cxrcat/base/redacted_url.hpp"
#include "providers/engine_failure.hpp"
#include "providers/provider_common.hpp"

#include <charconv>

namespace cxrcat::providers {

namespace {

constexpr std::size_t k_listing_max_pages = 100'000;

} // namespace

std::string bucket_on_endpoint(const std::string& endpoint, std::string_view aws_bucket) {
    // An S3 endpoint serves the AWS names; storage.googleapis.com (the default) and mirrors of it
    // serve the GCS names (idc-index's _replace_aws_with_gcp_buckets).
    if (endpoint.find("amazonaws.com") != std::string::npos) {
        return std::string(aws_bucket);
    }
    return gcs_bucket_for(aws_bucket);
}

std::string bucket_object_url(const ProviderContext& context, const std::string& bucket, const std::string& name) {
    return context.endpoints.idc + "/" + bucket_on_endpoint(context.endpoints.idc, bucket) + "/" +
           url_encode(name, true);
}

Result<std::vector<BucketObject>> list_series_objects(const ProviderContext& context, const std::string& bucket,
                                                      const std::string& series, bool first_only) {
    std::string name = bucket_on_endpoint(context.endpoints.idc, bucket);
    std::string renamed = name == bucket ? "" : " (AWS bucket " + bucket + " on this endpoint)";
    std::string prefix = series + "/";
    std::vector<BucketObject> objects;
    std::string token;
    for (std::size_t page_number = 0; page_number < k_listing_max_pages; ++page_number) {
        std::string url = context.endpoints.idc + "/" + url_encode(name, false) +
                          "?list-type=2&prefix=" + url_encode(prefix, false) +
                          "&max-keys=" + (first_only ? "2" : "1000");
        if (!token.empty()) {
            // Tokens hold '+', '/' and '=' (provider-facts.md §3): always percent-encoded.
            url += "&continuation-token=" + url_encode(token, false);
        }
        auto response = http_request(base_request(context, url), context.retry);
        std::string request_note = "request: " + RedactedUrl(url).str();
        if (!response) {
            return Error(response.error().code(), "cannot list series " + series + ": " + response.error().message(),
                         response.error().notes());
        }
        long status = response->status;
        if (status == 404) {
            return Error(ErrorCode::not_found, "bucket " + name + renamed + " does not exist", {request_note})
                .with_http(api_http_failure(status, url));
        }
        if (status == 401 || status == 403) {
            return Error(ErrorCode::access_denied,
                         "bucket " + name + renamed + " is not public (HTTP " + std::to_string(status) + ")",
                         {"IDC's public buckets need no credentials: check the bucket name", request_note})
                .with_http(api_http_failure(status, url));
        }
        if (status != 200) {
            return Error(
                       ErrorCode::network, "listing series " + series + " failed with HTTP " + std::to_string(status),
                       {status == 429 ? "the bucket is rate-limiting requests: wait a minute and rerun" : "retry later",
                        request_note})
                .with_http(api_http_failure(status, url));
        }
        auto page = parse_s3_listing(response->body);
        if (!page) {
            return Error(page.error().code(), page.error().message(), {request_note});
        }
        for (auto& object : page->objects) {
            if (object.name == prefix) {
                continue; // the zero-byte "directory" marker some series have
            }
            if (object.name.rfind(prefix, 0) != 0 || !is_safe_relative_path(object.name)) {
                return Error(ErrorCode::integrity,
                             "the listing of series " + series + " holds an unexpected name '" + object.name + "'",
                             {request_note, "nothing was downloaded"});
            }
            objects.push_back(std::move(object));
        }
        if ((first_only && !objects.empty()) || !page->truncated) {
            break;
        }
        if (page->next_continuation_token.empty() || page->next_continuation_token == token) {
            return Error(ErrorCode::network,
                         "the bucket listing of series " + series +
                             " is truncated without a new "
                             "continuation token",
                         {request_note});
        }
        token = page->next_continuation_token;
    }
    if (objects.empty()) {
        return Error(ErrorCode::not_found, "series " + series + " has no objects in bucket " + name + renamed);
    }
    return objects;
}

} // namespace cxrcat::providers
