// SPDX-License-Identifier: Apache-2.0
#include "cxrcat/version.hpp"

#include <archive.h>
#include <curl/curl.h>
#include <openssl/crypto.h>

namespace cxrcat {

std::string version() {
    return CXRCAT_VERSION;
}

std::string curl_version_text() {
    const curl_version_info_data* info = curl_version_info(CURLVERSION_NOW);
    return std::string("libcurl ") + (info && info->version ? info->version : "unknown");
}

std::string openssl_version_text() {
    return OpenSSL_version(OPENSSL_VERSION);
}

std::string curl_default_ca_bundle() {
    CURL* easy = curl_easy_init();
    if (easy == nullptr) {
        return {};
    }
    char* path = nullptr;
    std::string out;
    if (curl_easy_getinfo(easy, CURLINFO_CAINFO, &path) == CURLE_OK && path != nullptr) {
        out = path;
    }
    curl_easy_cleanup(easy);
    return out;
}

std::string libarchive_version_text() {
    return archive_version_string();
}

} // namespace cxrcat
