// SPDX-License-Identifier: Apache-2.0
#include "cxrcat/net/http_get.hpp"

#include "base/rate_limit_header.hpp"
#include "cxrcat/base/redacted_url.hpp"
#include "net/curl_errors.hpp"
#include "net/curl_handles.hpp"
#include "net/easy_setup.hpp"

#include <algorithm>
#include <random>
#include <thread>

namespace cxrcat {

namespace {

struct Collector {
    net::ResponseHeaders current;
    std::map<std::string, std::string> first;
    long first_status = 0;
    bool first_done = false;
    std::map<std::string, std::string> final_headers;
    std::string body;
    std::size_t max_body = 0;
    bool too_big = false;
    const HttpRequest* request = nullptr; // for its body sink
    bool sink_stopped = false;
    std::vector<std::pair<std::string, std::string>> raw; // headers of the response being read
};

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* self) {
    auto* collector = static_cast<Collector*>(self);
    std::string_view line(data, size * count);
    if (line.rfind("HTTP/", 0) == 0) {
        collector->raw.clear();
    } else if (std::size_t colon = line.find(':'); colon != std::string_view::npos) {
        std::string name(line.substr(0, colon));
        for (auto& c : name) {
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
        std::string_view value = line.substr(colon + 1);
        while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) {
            value.remove_prefix(1);
        }
        while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' ')) {
            value.remove_suffix(1);
        }
        collector->raw.emplace_back(name, std::string(value));
    }
    bool final_response = collector->current.add_line(line);
    bool end_of_headers = line == "\r\n" || line == "\n";
    if (end_of_headers && collector->current.status() != 100) {
        std::map<std::string, std::string> headers(collector->raw.begin(), collector->raw.end());
        if (!collector->first_done) {
            collector->first = headers;
            collector->first_status = collector->current.status();
            collector->first_done = true;
        }
        if (final_response) {
            collector->final_headers = headers;
        }
    }
    return size * count;
}

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* self) {
    auto* collector = static_cast<Collector*>(self);
    std::size_t bytes = size * count;
    const HttpRequest& request = *collector->request;
    // A ranged request's body is the 206 answer's; a 200 to it (Range ignored) is kept in the body.
    long wanted = request.range ? 206 : 200;
    if (request.body_write && collector->current.status() == wanted) {
        if (!request.body_write(std::string_view(data, bytes))) {
            collector->sink_stopped = true;
            return 0;
        }
        return bytes;
    }
    if (collector->body.size() + bytes > collector->max_body) {
        collector->too_big = true;
        return 0;
    }
    collector->body.append(data, bytes);
    return bytes;
}

// The body of a PUT, handed to libcurl piece by piece (each attempt starts at offset 0).
struct UploadBody {
    std::string_view data;
    std::size_t offset = 0;
};

std::size_t on_read_body(char* buffer, std::size_t size, std::size_t count, void* self) {
    auto* upload = static_cast<UploadBody*>(self);
    std::size_t bytes = std::min(size * count, upload->data.size() - upload->offset);
    std::copy_n(upload->data.data() + upload->offset, bytes, buffer);
    upload->offset += bytes;
    return bytes;
}

// transient_failure tells the retry loop whether a failed transfer is worth another attempt.
Result<HttpResponse> perform_once(const HttpRequest& request, bool& transient_failure) {
    transient_failure = false;
    net::ensure_curl_initialised();
    net::CurlEasy easy(curl_easy_init());
    if (!easy) {
        return Error(ErrorCode::internal, "libcurl could not create a transfer handle");
    }
    TransferRequest as_transfer;
    as_transfer.secret_headers = request.secret_headers;
    as_transfer.basic_auth = request.basic_auth;
    if (request.aws_sigv4) {
        as_transfer.signed_urls.emplace(request.url, *request.aws_sigv4);
    }
    as_transfer.user_agent = request.user_agent;
    DownloadOptions options;
    options.ca_bundle = request.ca_bundle;
    if (request.paced_rate > 0) {
        options.max_receive_rate = request.paced_rate;
        options.jobs = 1;
        options.max_segments = 1; // this one connection's share is the whole paced rate
    }
    std::vector<std::string> headers = request.headers;
    if (request.range) {
        headers.push_back("Range: bytes=" + std::to_string(request.range->first) + "-" +
                          std::to_string(request.range->second));
    }
    if (request.body_begin) {
        request.body_begin(); // each attempt's body starts the sink over
    }
    std::string error_buffer(CURL_ERROR_SIZE + 1, '\0');
    UploadBody upload{request.post_body, 0};
    Collector collector;
    collector.max_body = request.max_body;
    collector.request = &request;
    net::CurlSlist list;
    net::configure_easy(easy.get(), list, as_transfer, options, request.url, headers,
                        {&on_header, &on_body, &collector, error_buffer.data()});
    net::set_option(easy.get(), CURLOPT_FOLLOWLOCATION, request.follow_redirects && !request.aws_sigv4 ? 1L : 0L);
    net::set_option(easy.get(), CURLOPT_TIMEOUT, static_cast<long>(request.timeout.count()));
    if (request.method == "HEAD") {
        net::set_option(easy.get(), CURLOPT_NOBODY, 1L);
    } else if (request.method == "POST") {
        net::set_option(easy.get(), CURLOPT_POSTFIELDS, request.post_body.c_str());
        net::set_option(easy.get(), CURLOPT_POSTFIELDSIZE, static_cast<long>(request.post_body.size()));
    } else if (request.method == "PUT") {
        // An upload (not POSTFIELDS): no form Content-Type is added, and the body may hold NULs.
        net::set_option(easy.get(), CURLOPT_UPLOAD, 1L);
        net::set_option(easy.get(), CURLOPT_READFUNCTION, &on_read_body);
        net::set_option(easy.get(), CURLOPT_READDATA, &upload);
        net::set_option(easy.get(), CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(request.post_body.size()));
    } else if (request.method == "DELETE") {
        net::set_option(easy.get(), CURLOPT_CUSTOMREQUEST, "DELETE");
    }
    CURLcode code = curl_easy_perform(easy.get());
    if (code != CURLE_OK && !(code == CURLE_WRITE_ERROR && (collector.too_big || collector.sink_stopped))) {
        net::CurlFailure failure = net::classify_curl_error(
            code, error_buffer.c_str()); // NOLINT(readability-redundant-string-cstr): cut at the NUL
        transient_failure = failure.transient;
        Error error(failure.code, failure.message, {"request: " + RedactedUrl(request.url).str()});
        if (!failure.hint.empty()) {
            error.note(failure.hint);
        }
        return error;
    }
    HttpResponse response;
    response.status = collector.current.status();
    response.headers = collector.final_headers;
    response.first_headers = collector.first;
    response.first_status = collector.first_status;
    response.body = std::move(collector.body);
    char* effective = nullptr;
    if (curl_easy_getinfo(easy.get(), CURLINFO_EFFECTIVE_URL, &effective) == CURLE_OK && effective != nullptr) {
        response.effective_url = effective;
    }
    return response;
}

} // namespace

std::string HttpResponse::header(const std::string& lowercase_name) const {
    auto it = headers.find(lowercase_name);
    return it == headers.end() ? std::string{} : it->second;
}

Result<HttpResponse> http_request(const HttpRequest& request, const RetryPolicy& policy) {
    std::mt19937_64 random(std::random_device{}());
    std::uniform_real_distribution<double> jitter(0.0, 1.0);
    std::chrono::milliseconds waited{0};
    for (int attempt = 1;; ++attempt) {
        bool transient_failure = false;
        auto response = perform_once(request, transient_failure);
        bool transient = response ? is_transient_http_status(response->status) : transient_failure;
        if (!transient || attempt >= policy.max_attempts) {
            return response;
        }
        std::optional<std::chrono::seconds> retry_after;
        if (response && honours_retry_after(response->status)) {
            retry_after = parse_retry_after(response->header("retry-after"), std::chrono::system_clock::now());
        }
        if (!retry_after && response && response->status == 429) {
            retry_after = parse_ratelimit_reset(response->header("ratelimit")); // the Hub's window reset
        }
        auto delay = policy.delay_before(attempt + 1, jitter(random), retry_after);
        if (waited + delay > policy.max_total_wait) {
            return response;
        }
        waited += delay;
        std::this_thread::sleep_for(delay);
    }
}

} // namespace cxrcat
