// SPDX-License-Identifier: Apache-2.0
#include "net/easy_setup.hpp"

#include "cxrcat/base/digest.hpp"
#include "cxrcat/base/text.hpp"

#include <algorithm>
#include <charconv>

namespace cxrcat::net {

namespace {

// Large receive buffers mean fewer callbacks and fewer copies per byte; together they stay within
// one budget however many connections run (-j times --segments), so memory does not grow with them.
constexpr long k_receive_budget = 4L << 20;
constexpr long k_receive_buffer_max = 512L * 1024;
constexpr long k_receive_buffer_min = 64L * 1024;
constexpr long k_capped_buffer_min = 16L * 1024;

long connection_count(const DownloadOptions& options) {
    return static_cast<long>(std::max(1, options.jobs)) * std::max(1, options.max_segments);
}

// A connection's share of --limit-rate, or nullopt without a cap.
std::optional<long> capped_share(const DownloadOptions& options) {
    if (options.max_receive_rate == 0) {
        return std::nullopt;
    }
    std::uint64_t share = options.max_receive_rate / static_cast<std::uint64_t>(connection_count(options));
    return static_cast<long>(std::min<std::uint64_t>(share, static_cast<std::uint64_t>(k_receive_budget)));
}

long receive_buffer_size(const DownloadOptions& options) {
    long size = std::clamp(k_receive_budget / connection_count(options), k_receive_buffer_min, k_receive_buffer_max);
    if (auto share = capped_share(options)) {
        // Under a rate cap, writes of a tenth of a second's share keep the rate smooth.
        size = std::clamp(*share / 10, k_capped_buffer_min, size);
    }
    return size;
}

// A connection held back by --limit-rate may rightly get less than the stall threshold.
long stall_limit(const DownloadOptions& options) {
    auto share = capped_share(options);
    if (!share || options.stall_bytes_per_second <= 0) {
        return options.stall_bytes_per_second;
    }
    return std::max(1L, std::min(*share / 4, options.stall_bytes_per_second));
}

std::string trim(std::string_view text) {
    std::size_t start = text.find_first_not_of(" \t\r\n");
    std::size_t end = text.find_last_not_of(" \t\r\n");
    return start == std::string_view::npos ? std::string{} : std::string(text.substr(start, end - start + 1));
}

std::optional<std::uint64_t> parse_number(std::string_view text) {
    std::uint64_t value = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size() || text.empty()) {
        return std::nullopt;
    }
    return value;
}

// Debian 12's libcurl (7.88) does not add x-amz-content-sha256, which S3 and radosgw require; curl
// signs whatever value is given (and uses it as the payload hash), so the body need not be hashed.
void add_aws_headers(CurlSlist& headers, const AwsSigV4& aws) {
    if (aws.access_key_id.empty()) {
        return;
    }
    headers.append("x-amz-content-sha256: UNSIGNED-PAYLOAD");
    if (!aws.session_token.empty()) {
        headers.append("x-amz-security-token: " + aws.session_token.reveal());
    }
    if (aws.request_payer) {
        headers.append("x-amz-request-payer: requester");
    }
}

void sign_for_s3(CURL* easy, const AwsSigV4& aws) {
    // A signature is valid only for its host: never follow a redirect with it.
    set_option(easy, CURLOPT_FOLLOWLOCATION, 0L);
    if (aws.access_key_id.empty()) {
        return; // a public bucket: unsigned, and still no other host's credentials
    }
    std::string provider = "aws:amz:" + aws.region + ":s3";
    set_option(easy, CURLOPT_AWS_SIGV4, provider.c_str()); // libcurl copies string options
    set_option(easy, CURLOPT_USERNAME, aws.access_key_id.c_str());
    set_option(easy, CURLOPT_PASSWORD, aws.secret_access_key.reveal().c_str());
}

} // namespace

bool sends_origin_credentials(const TransferRequest& request, const std::string& url) {
    if (!request.resume_url.empty() && url == request.resume_url) {
        return true;
    }
    // Provider API requests (http_get) list no URLs: the one they are made for is the origin's.
    auto mirrors_end =
        request.urls.begin() + static_cast<std::ptrdiff_t>(std::min(request.mirror_count, request.urls.size()));
    return std::find(request.urls.begin(), mirrors_end, url) == mirrors_end;
}

void configure_easy(CURL* easy, CurlSlist& headers, const TransferRequest& request, const DownloadOptions& options,
                    const std::string& url, const std::vector<std::string>& extra_headers,
                    const EasyCallbacks& callbacks, const EasyHop& hop) {
    curl_easy_reset(easy);
    headers = CurlSlist();
    for (const auto& line : extra_headers) {
        headers.append(line);
    }
    auto signing = request.signed_urls.find(url);
    const AwsSigV4* aws = signing == request.signed_urls.end() ? nullptr : &signing->second;
    bool credentials = hop.credentials && aws == nullptr && sends_origin_credentials(request, url);
    if (aws != nullptr) {
        add_aws_headers(headers, *aws);
    } else if (credentials) {
        for (const auto& [name, value] : request.secret_headers) {
            headers.append(name + ": " + value.reveal());
        }
    }
    bool rpc = aws == nullptr && credentials && !request.post_body.empty();
    if (rpc) {
        headers.append("Content-Type: application/json");
    }
    set_option(easy, CURLOPT_URL, url.c_str());
    set_option(easy, CURLOPT_PROTOCOLS_STR, "http,https");
    set_option(easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    set_option(easy, CURLOPT_FOLLOWLOCATION, hop.follow ? 1L : 0L);
    set_option(easy, CURLOPT_MAXREDIRS, 10L);
    set_option(easy, CURLOPT_NOSIGNAL, 1L);
    set_option(easy, CURLOPT_BUFFERSIZE, receive_buffer_size(options));
    set_option(easy, CURLOPT_CONNECTTIMEOUT, static_cast<long>(options.connect_timeout.count()));
    set_option(easy, CURLOPT_LOW_SPEED_LIMIT, stall_limit(options));
    set_option(easy, CURLOPT_LOW_SPEED_TIME, static_cast<long>(options.stall_time.count()));
    set_option(easy, CURLOPT_USERAGENT, (request.user_agent.empty() ? options.user_agent : request.user_agent).c_str());
    set_option(easy, CURLOPT_ERRORBUFFER, callbacks.error_buffer);
    set_option(easy, CURLOPT_HEADERFUNCTION, callbacks.on_header);
    set_option(easy, CURLOPT_HEADERDATA, callbacks.self);
    set_option(easy, CURLOPT_WRITEFUNCTION, callbacks.on_body);
    set_option(easy, CURLOPT_WRITEDATA, callbacks.self);
    set_option(easy, CURLOPT_PRIVATE, callbacks.self);
    if (headers.get() != nullptr) {
        set_option(easy, CURLOPT_HTTPHEADER, headers.get());
    }
    if (options.ca_bundle) {
        set_option(easy, CURLOPT_CAINFO, options.ca_bundle->c_str());
    }
    if (rpc) {
        // CURLOPT_POSTREDIR stays unset: the 302 to the signed URL is followed as a GET.
        set_option(easy, CURLOPT_POSTFIELDS, request.post_body.c_str());
        set_option(easy, CURLOPT_POSTFIELDSIZE, static_cast<long>(request.post_body.size()));
    }
    if (aws != nullptr) {
        sign_for_s3(easy, *aws);
    } else if (credentials && request.basic_auth) {
        // libcurl sends these to the original host only; a redirect elsewhere drops them.
        set_option(easy, CURLOPT_HTTPAUTH, static_cast<long>(CURLAUTH_BASIC));
        set_option(easy, CURLOPT_USERNAME, request.basic_auth->user.c_str());
        set_option(easy, CURLOPT_PASSWORD, request.basic_auth->password.reveal().c_str());
    }
}

std::optional<std::string> goog_hash_md5(std::string_view value) {
    // Kaggle/kagglehub:src/kagglehub/integrity.py `get_md5_checksum_from_response` reads it the same way.
    while (!value.empty()) {
        std::size_t comma = value.find(',');
        std::string item = trim(value.substr(0, comma));
        if (item.rfind("md5=", 0) == 0) {
            return base64_digest_to_hex(std::string_view(item).substr(4), DigestAlgorithm::md5);
        }
        value = comma == std::string_view::npos ? std::string_view{} : value.substr(comma + 1);
    }
    return std::nullopt;
}

ContentRange parse_content_range(std::string_view value) {
    ContentRange range;
    if (value.rfind("bytes ", 0) != 0) {
        return range;
    }
    value.remove_prefix(6);
    std::size_t slash = value.find('/');
    if (slash == std::string_view::npos) {
        return range;
    }
    range.total = parse_number(value.substr(slash + 1));
    std::string_view span = value.substr(0, slash);
    std::size_t dash = span.find('-');
    if (dash != std::string_view::npos) {
        range.first = parse_number(span.substr(0, dash));
        range.last = parse_number(span.substr(dash + 1));
    }
    return range;
}

bool ResponseHeaders::add_line(std::string_view line) {
    if (line.rfind("HTTP/", 0) == 0) {
        m_headers.clear();
        std::size_t space = line.find(' ');
        m_status = space == std::string_view::npos
                       ? 0
                       : static_cast<long>(parse_number(trim(line.substr(space + 1, 3))).value_or(0));
        return false;
    }
    std::string text = trim(line);
    if (!text.empty()) {
        std::size_t colon = text.find(':');
        if (colon != std::string::npos) {
            std::string name = to_lower(text.substr(0, colon));
            std::string value = trim(text.substr(colon + 1));
            auto [it, added] = m_headers.try_emplace(name, value);
            if (!added) {
                // GCS sends X-Goog-Hash once per algorithm (crc32c, md5): keep both, as one list
                // (RFC 9110 §5.3). Any other repeated field keeps its last value, as before.
                it->second = name == "x-goog-hash" ? it->second + ", " + value : value;
            }
        }
        return false;
    }
    // Redirects are followed by libcurl; only the final response matters.
    bool redirect = m_status >= 300 && m_status < 400 && m_headers.count("location") > 0;
    return !redirect && m_status != 100;
}

std::string ResponseHeaders::get(const std::string& lowercase_name) const {
    auto it = m_headers.find(lowercase_name);
    return it == m_headers.end() ? std::string{} : it->second;
}

void ResponseHeaders::clear() {
    m_status = 0;
    m_headers.clear();
}

} // namespace cxrcat::net
