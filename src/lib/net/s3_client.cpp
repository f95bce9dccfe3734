// SPDX-License-Identifier: Apache-2.0
// S3 requests in the shapes of the S3 API reference (HeadObject, GetObject, PutObject, CopyObject,
// ListObjectsV2, CreateMultipartUpload, UploadPart, CompleteMultipartUpload, AbortMultipartUpload,
// ListMultipartUploads). Whole files are uploaded by s3_file_upload.cpp on top of these.
// libcurl computes the SigV4 signature; query strings are written in SigV4's canonical form
// (names sorted, values percent-encoded, `uploads=`) because libcurl 7.88 signs them as given.
#include "net/s3_client.hpp"

#include "cxrcat/base/digest.hpp"
#include "cxrcat/base/redacted_url.hpp"
#include "cxrcat/base/text.hpp"
#include "net/s3_listing.hpp"

#include <algorithm>

namespace cxrcat::net {

namespace {

constexpr std::size_t k_max_text_object = 64U << 20;

std::string md5_hex_of(std::string_view body) {
    Hasher hasher(DigestAlgorithm::md5);
    hasher.update(body);
    return hasher.finish_hex();
}

std::string content_md5(std::string_view body) {
    return hex_digest_to_base64(md5_hex_of(body));
}

bool credentials_rejected(const std::string& code) {
    return code == "InvalidAccessKeyId" || code == "SignatureDoesNotMatch" || code == "InvalidToken" ||
           code == "ExpiredToken" || code == "TokenRefreshRequired" || code == "AuthorizationHeaderMalformed";
}

} // namespace

S3Client::S3Client(S3Settings settings, std::optional<std::filesystem::path> ca_bundle, RetryPolicy retry)
    : m_settings(std::move(settings)), m_ca_bundle(std::move(ca_bundle)), m_retry(retry) {}

AwsSigV4 S3Client::signing() const {
    return aws_signing(m_settings);
}

HttpRequest S3Client::request(const std::string& method, const std::string& url) const {
    HttpRequest request;
    request.method = method;
    request.url = url;
    request.aws_sigv4 = signing();
    request.ca_bundle = m_ca_bundle;
    request.follow_redirects = false;
    request.timeout = std::chrono::seconds(600);
    request.max_body = k_max_text_object;
    return request;
}

Result<HttpResponse> S3Client::send(const HttpRequest& request) const {
    // 503 SlowDown and 500 InternalError are transient: retried with backoff like a 429.
    return http_request(request, m_retry);
}

Error S3Client::failure(const HttpResponse& response, const std::string& bucket, const std::string& what) const {
    std::string code = s3_xml_text(response.body, "Code");
    std::string shown =
        code.empty() ? "HTTP " + std::to_string(response.status) : code + ", HTTP " + std::to_string(response.status);
    std::string store = m_settings.endpoint.empty() ? "AWS S3" : m_settings.endpoint;
    if (code == "NoSuchBucket" || (response.status == 404 && code.empty() && what.rfind("list", 0) == 0)) {
        return Error(ErrorCode::not_found, "no such bucket: " + bucket,
                     {"store: " + store, "create it first, or check the bucket name in the s3:// URL"});
    }
    if (response.status == 403 || response.status == 401) {
        std::vector<std::string> notes{m_settings.describe_credentials(), "store: " + store};
        if (credentials_rejected(code)) {
            notes.emplace_back("check the key pair (or AWS_SESSION_TOKEN), or choose another profile with AWS_PROFILE");
            return {ErrorCode::access_denied, "the S3 store rejected the credentials (" + shown + ") to " + what,
                    notes};
        }
        notes.emplace_back(m_settings.has_credentials()
                               ? "the bucket's policy refuses these credentials; ask its owner for access"
                               : "the request was unsigned: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or "
                                 "AWS_PROFILE");
        return {ErrorCode::access_denied, "access denied (" + shown + ") to " + what, notes};
    }
    if (response.status == 404) {
        return Error(ErrorCode::not_found, "not found (" + shown + "): " + what, {"store: " + store});
    }
    Error error(ErrorCode::network, "the S3 store answered " + shown + " to " + what, {"store: " + store});
    if (response.status == 301 || response.status == 307 || code == "PermanentRedirect") {
        error.note("the bucket is in another region: set AWS_REGION (now " + m_settings.region + ")");
    }
    return error;
}

Result<void> S3Client::check_bucket(const S3Location& location) const {
    std::string url = m_settings.object_url(location.bucket, "") + "?list-type=2&max-keys=1&prefix=" +
                      url_encode(location.prefix.empty() ? "" : location.prefix + "/", false);
    auto response = send(request("GET", url));
    if (!response) {
        return response.error();
    }
    if (response->status != 200) {
        return failure(*response, location.bucket, "list " + location.str());
    }
    return {};
}

Result<std::optional<std::uint64_t>> S3Client::object_size(const std::string& bucket, const std::string& key) const {
    auto response = send(request("HEAD", m_settings.object_url(bucket, key)));
    if (!response) {
        return response.error();
    }
    if (response->status == 404) {
        return std::optional<std::uint64_t>{};
    }
    if (response->status != 200) {
        return failure(*response, bucket, "read s3://" + bucket + "/" + key);
    }
    std::string length = response->header("content-length");
    try {
        return std::optional<std::uint64_t>(std::stoull(length));
    } catch (const std::exception&) {
        return Error(ErrorCode::network, "the S3 store gave no size for s3://" + bucket + "/" + key);
    }
}

Result<std::optional<std::string>> S3Client::get_text(const std::string& bucket, const std::string& key) const {
    auto response = send(request("GET", m_settings.object_url(bucket, key)));
    if (!response) {
        return response.error();
    }
    if (response->status == 404 && s3_xml_text(response->body, "Code") != "NoSuchBucket") {
        return std::optional<std::string>{};
    }
    if (response->status != 200) {
        return failure(*response, bucket, "read s3://" + bucket + "/" + key);
    }
    return std::optional<std::string>(std::move(response->body));
}

Result<bool> S3Client::read_object(const std::string& bucket, const std::string& key,
                                   const std::function<void()>& restart,
                                   const std::function<bool(std::string_view)>& sink) const {
    HttpRequest get = request("GET", m_settings.object_url(bucket, key));
    get.timeout = std::chrono::hours(24); // an object may be terabytes; a stall is caught by the low-speed limit
    get.body_begin = restart;
    get.body_write = sink;
    auto response = send(get);
    if (!response) {
        return response.error();
    }
    if (response->status == 404 && s3_xml_text(response->body, "Code") != "NoSuchBucket") {
        return false;
    }
    if (response->status != 200) {
        return failure(*response, bucket, "read s3://" + bucket + "/" + key);
    }
    return true;
}

Result<void> S3Client::put_bytes(const std::string& bucket, const std::string& key, const std::string& body,
                                 const std::string& content_type) const {
    HttpRequest put = request("PUT", m_settings.object_url(bucket, key));
    put.post_body = body;
    put.headers = {"Content-MD5: " + content_md5(body), "Content-Type: " + content_type};
    auto response = send(put);
    if (!response) {
        return response.error();
    }
    if (response->status != 200) {
        return failure(*response, bucket, "write s3://" + bucket + "/" + key);
    }
    return {};
}

Result<void> S3Client::copy_object(const std::string& bucket, const std::string& from, const std::string& to) const {
    HttpRequest copy = request("PUT", m_settings.object_url(bucket, to));
    std::string source = m_settings.object_url(bucket, from);
    // x-amz-copy-source is /bucket/key, URL-encoded like the path of the object's own URL.
    std::string encoded_key = m_settings.object_url("b", from);
    encoded_key = encoded_key.substr(encoded_key.find("/b/") + 3);
    copy.headers = {"x-amz-copy-source: /" + bucket + "/" + encoded_key};
    auto response = send(copy);
    if (!response) {
        return response.error();
    }
    // CopyObject can fail after its 200 status line: the body is then an <Error>.
    if (response->status != 200 || response->body.find("<Error>") != std::string::npos) {
        return failure(*response, bucket, "copy " + RedactedUrl(source).str() + " to s3://" + bucket + "/" + to);
    }
    return {};
}

Result<std::string> S3Client::put_part(const std::string& url, std::string body) const {
    HttpRequest put = request("PUT", url);
    put.headers = {"Content-MD5: " + content_md5(body)};
    put.post_body = std::move(body); // a part is megabytes: moved, never copied
    auto response = send(put);
    if (!response) {
        return response.error();
    }
    if (response->status != 200 || response->header("etag").empty()) {
        return failure(*response, "", "upload a part (" + RedactedUrl(url).str() + ")");
    }
    return response->header("etag");
}

std::string S3Client::find_pending_upload(const std::string& bucket, const std::string& key) const {
    // ListMultipartUploads for the key (names in SigV4's canonical order: prefix, uploads).
    auto listed =
        send(request("GET", m_settings.object_url(bucket, "") + "?prefix=" + url_encode(key, false) + "&uploads="));
    if (!listed || listed->status != 200) {
        return ""; // best effort: a new upload is started
    }
    std::string_view body = listed->body;
    for (std::size_t at = body.find("<Upload>"); at != std::string_view::npos; at = body.find("<Upload>", at + 1)) {
        std::size_t end = body.find("</Upload>", at);
        std::string_view block = body.substr(at, end == std::string_view::npos ? end : end - at);
        if (s3_xml_text(block, "Key") == key) {
            return s3_xml_text(block, "UploadId");
        }
    }
    return "";
}

void S3Client::abort_upload(const std::string& url) const {
    // Best effort: a failed abort leaves parts that the bucket's lifecycle rule or a rerun cleans up.
    (void)send(request("DELETE", url));
}

Result<std::string> S3Client::create_upload(const std::string& bucket, const std::string& key) const {
    auto created = send(request("POST", m_settings.object_url(bucket, key) + "?uploads="));
    if (!created) {
        return created.error();
    }
    std::string upload_id = s3_xml_text(created->body, "UploadId");
    if (created->status != 200 || upload_id.empty()) {
        return failure(*created, bucket, "start a multipart upload of s3://" + bucket + "/" + key);
    }
    return upload_id;
}

Result<std::string> S3Client::upload_part(const std::string& bucket, const std::string& key,
                                          const std::string& upload_id, int number, std::string body) const {
    return put_part(m_settings.object_url(bucket, key) + "?partNumber=" + std::to_string(number) +
                        "&uploadId=" + url_encode(upload_id, false),
                    std::move(body));
}

Result<std::vector<S3Part>> S3Client::list_parts(const std::string& bucket, const std::string& key,
                                                 const std::string& upload_id) const {
    std::vector<S3Part> parts;
    std::string marker;
    while (true) {
        // ListParts: query names in SigV4's canonical (sorted) order, as libcurl 7.88 signs them as given.
        std::string url = m_settings.object_url(bucket, key) + "?max-parts=1000" +
                          (marker.empty() ? "" : "&part-number-marker=" + marker) +
                          "&uploadId=" + url_encode(upload_id, false);
        auto listed = send(request("GET", url));
        if (!listed) {
            return listed.error();
        }
        if (listed->status != 200) {
            return failure(*listed, bucket, "list the parts of an upload to s3://" + bucket + "/" + key);
        }
        std::string_view body = listed->body;
        for (std::size_t at = body.find("<Part>"); at != std::string_view::npos; at = body.find("<Part>", at + 1)) {
            std::size_t end = body.find("</Part>", at);
            std::string_view block = body.substr(at, end == std::string_view::npos ? end : end - at);
            S3Part part;
            try {
                part.number = std::stoi(s3_xml_text(block, "PartNumber"));
                part.size = std::stoull(s3_xml_text(block, "Size"));
            } catch (const std::exception&) {
                return Error(ErrorCode::network, "the S3 store listed a part without a number or size");
            }
            part.etag = s3_xml_text(block, "ETag");
            parts.push_back(std::move(part));
        }
        if (s3_xml_text(body, "IsTruncated") != "true") {
            return parts;
        }
        marker = s3_xml_text(body, "NextPartNumberMarker");
        if (marker.empty()) {
            return parts;
        }
    }
}

Result<void> S3Client::complete_upload(const std::string& bucket, const std::string& key, const std::string& upload_id,
                                       const std::vector<S3Part>& parts) const {
    std::string complete = "<CompleteMultipartUpload>";
    for (const auto& part : parts) {
        complete +=
            "<Part><PartNumber>" + std::to_string(part.number) + "</PartNumber><ETag>" + part.etag + "</ETag></Part>";
    }
    complete += "</CompleteMultipartUpload>";
    HttpRequest finish =
        request("POST", m_settings.object_url(bucket, key) + "?uploadId=" + url_encode(upload_id, false));
    finish.post_body = complete;
    finish.headers = {"Content-Type: application/xml"};
    auto finished = send(finish);
    if (!finished) {
        return finished.error();
    }
    // CompleteMultipartUpload may fail after its 200 status line: the body is then an <Error>.
    if (finished->status != 200 || finished->body.find("<Error>") != std::string::npos) {
        return failure(*finished, bucket, "complete the multipart upload of s3://" + bucket + "/" + key);
    }
    return {};
}

void S3Client::abort_upload(const std::string& bucket, const std::string& key, const std::string& upload_id) const {
    abort_upload(m_settings.object_url(bucket, key) + "?uploadId=" + url_encode(upload_id, false));
}

Result<std::map<std::string, std::uint64_t>> S3Client::list_sizes(const std::string& bucket,
                                                                  const std::string& prefix) const {
    std::map<std::string, std::uint64_t> sizes;
    std::string token;
    while (true) {
        std::string url = m_settings.object_url(bucket, "") +
                          (token.empty() ? "" : "?continuation-token=" + url_encode(token, false) + "&") +
                          (token.empty() ? "?" : "") + "list-type=2&prefix=" + url_encode(prefix, false);
        auto listed = send(request("GET", url));
        if (!listed) {
            return listed.error();
        }
        if (listed->status != 200) {
            return failure(*listed, bucket, "list s3://" + bucket + "/" + prefix);
        }
        auto page = parse_s3_listing(listed->body);
        if (!page) {
            return page.error();
        }
        for (const auto& object : page->objects) {
            sizes[object.name] = object.size.value_or(0);
        }
        if (!page->truncated || page->next_continuation_token.empty()) {
            return sizes;
        }
        token = page->next_continuation_token;
    }
}

Result<void> S3Client::delete_object(const std::string& bucket, const std::string& key) const {
    auto response = send(request("DELETE", m_settings.object_url(bucket, key)));
    if (!response) {
        return response.error();
    }
    if (response->status != 204 && response->status != 200 && response->status != 404) {
        return failure(*response, bucket, "delete s3://" + bucket + "/" + key);
    }
    return {};
}

} // namespace cxrcat::net
