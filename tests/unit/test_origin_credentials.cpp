// SPDX-License-Identifier: Apache-2.0
// Only the origin gets a request's credentials: a mirror (tried first, looked up by content) never
// sees the origin's Authorization header or basic-auth password.
#include "net/curl_handles.hpp"
#include "net/easy_setup.hpp"

#include <gtest/gtest.h>

#include <string>

namespace cxrcat::net {
namespace {

TransferRequest credentialed_request() {
    TransferRequest request;
    request.urls = {"https://mirror.example/m/sha256/ab", "https://origin.example/files/a.bin"};
    request.resume_url = "https://origin.example/files/a.bin?download=1";
    request.mirror_count = 1;
    request.secret_headers = {{"Authorization", Secret("Bearer hf_secret")}};
    request.basic_auth = BasicAuth{"user", Secret("password")};
    return request;
}

bool has_authorization(const CurlSlist& headers) {
    for (const curl_slist* node = headers.get(); node != nullptr; node = node->next) {
        if (std::string(node->data).rfind("Authorization:", 0) == 0) {
            return true;
        }
    }
    return false;
}

TEST(OriginCredentials, OnlyTheOriginAndItsResumeUrlGetThem) {
    TransferRequest request = credentialed_request();
    EXPECT_FALSE(sends_origin_credentials(request, request.urls.front()));
    EXPECT_TRUE(sends_origin_credentials(request, request.urls.back()));
    EXPECT_TRUE(sends_origin_credentials(request, request.resume_url));
    // Without mirrors, every URL of the source is the origin's.
    request.mirror_count = 0;
    EXPECT_TRUE(sends_origin_credentials(request, request.urls.front()));
}

TEST(OriginCredentials, AMirrorRequestCarriesNoAuthorizationHeader) {
    ensure_curl_initialised();
    TransferRequest request = credentialed_request();
    DownloadOptions options;
    CurlEasy easy(curl_easy_init());
    ASSERT_NE(easy.get(), nullptr);
    std::string error_buffer(CURL_ERROR_SIZE, '\0');
    EasyCallbacks callbacks{nullptr, nullptr, nullptr, error_buffer.data()};
    CurlSlist headers;
    configure_easy(easy.get(), headers, request, options, request.urls.front(), {}, callbacks);
    EXPECT_FALSE(has_authorization(headers));
    configure_easy(easy.get(), headers, request, options, request.urls.back(), {}, callbacks);
    EXPECT_TRUE(has_authorization(headers));
}

} // namespace
} // namespace cxrcat::net
