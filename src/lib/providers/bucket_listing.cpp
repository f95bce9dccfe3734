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
constexpr std::size_t k_md5_hex_length = 32;

// The text between <tag> and </tag> at or after `from` within [from, end), or nullopt.
std::optional<std::string_view> xml_element(std::string_view xml, std::string_view tag, std::size_t from = 0,
                                            std::size_t* after = nullptr) {
    std::string open = "<" + std::string(tag) + ">";
    std::string close = "</" + std::string(tag) + ">";
    std::size_t start = xml.find(open, from);
    if (start == std::string_view::npos) {
        return std::nullopt;
    }
    start += open.size();
    std::size_t stop = xml.find(close, start);
    if (stop == std::string_view::npos) {
        return std::nullopt;
    }
    if (after != nullptr) {
        *after = stop + close.size();
    }
    return xml.substr(start, stop - start);
}

// XML character data with its five entities and numeric references decoded (S3 writes ETag
// quotes as &quot;).
std::string xml_unescape(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '&') {
            out.push_back(text[i]);
            continue;
        }
        std::size_t semicolon = text.find(';', i);
        if (semicolon == std::string_view::npos) {
            out.push_back('&');
            continue;
        }
        std::string_view entity = text.substr(i + 1, semicolon - i - 1);
        if (entity == "quot") {
            out.push_back('"');
        } else if (entity == "amp") {
            out.push_back('&');
        } else if (entity == "lt") {
            out.push_back('<');
        } else if (entity == "gt") {
            out.push_back('>');
        } else if (entity == "apos") {
            out.push_back('\'');
        } else if (entity.size() > 1 && entity[0] == '#') {
            bool hex = entity[1] == 'x' || entity[1] == 'X';
            std::string_view digits = entity.substr(hex ? 2 : 1);
            unsigned value = 0;
            auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value, hex ? 16 : 10);
            if (error != std::errc() || end != digits.data() + digits.size() || value > 0x7F) {
                out.append(text.substr(i, semicolon - i + 1)); // only ASCII references occur in listings
            } else {
                out.push_back(static_cast<char>(value));
            }
        } else {
            out.append(text.substr(i, semicolon - i + 1));
        }
        i = semicolon;
    }
    return out;
}

bool listing_hex_digit(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

} // namespace

std::string s3_xml_text(std::string_view xml, std::string_view tag) {
    auto element = xml_element(xml, tag);
    return element ? xml_unescape(*element) : std::string{};
}

std::string md5_from_etag(std::string_view etag) {
    if (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"') {
        etag = etag.substr(1, etag.size() - 2);
    }
    if (etag.size() != k_md5_hex_length) {
        return {}; // "<hex>-<parts>" of a multipart upload is no MD5 of the object
    }
    std::string hex;
    for (char c : etag) {
        if (!listing_hex_digit(c)) {
            return {};
        }
        hex.push_back(c >= 'A' && c <= 'F' ? static_cast<char>(c - 'A' + 'a') : c);
    }
    return hex;
}

Result<S3ListingPage> parse_s3_listing(std::string_view body) {
    if (body.find("<ListBucketResult") == std::string_view::npos) {
        return Error(ErrorCode::network, "the bucket listing is not a ListObjectsV2 answer (no <ListBucketResult>)");
    }
    S3ListingPage page;
    std::size_t at = 0;
    std::size_t after = 0;
    while (auto contents = xml_element(body, "Contents", at, &after)) {
        at = after;
        auto key = xml_element(*contents, "Key");
        if (!key || key->empty()) {
            return Error(ErrorCode::network, "the bucket listing has an object without a <Key>");
        }
        BucketObject object;
        object.name = xml_unescape(*key);
        if (auto size = xml_element(*contents, "Size")) {
            std::uint64_t value = 0;
            auto [end, error] = std::from_chars(size->data(), size->data() + size->size(), value);
            if (error == std::errc() && end == size->data() + size->size()) {
                object.size = value;
            }
        }
        if (auto etag = xml_element(*contents, "ETag")) {
            object.md5 = md5_from_etag(xml_unescape(*etag));
        }
        page.objects.push_back(std::move(object));
    }
    // <IsTruncated> and the token follow the header elements; the last <Contents> ends before them
    // or after them, so search the whole body outside Contents: keys never contain raw '<'.
    if (auto truncated = xml_element(body, "IsTruncated")) {
        if (*truncated != "true" && *truncated != "false") {
            return Error(ErrorCode::network, "the bucket listing's <IsTruncated> is neither true nor false");
        }
        page.truncated = *truncated == "true";
    }
    // A token means "more follows" only on a truncated page; elsewhere it would restart the listing.
    if (auto token = xml_element(body, "NextContinuationToken"); token && page.truncated) {
        page.next_continuation_token = xml_unescape(*token);
    }
    return page;
}

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
