// SPDX-License-Identifier: Apache-2.0
#include "cxrcat/base/version.hpp"

#include "cxrcat/base/error.hpp"

#include <archive.h>
#include <curl/curl.h>
#include <openssl/crypto.h>

namespace cxrcat {

namespace {

// text(), or what is wrong when its library cannot be loaded: --version and doctor report a missing
// library instead of failing on it (the commands that need it fail with LibraryUnavailable).
template <typename Text> std::string library_text(const char* library, Text text) {
    try {
        return text();
    } catch (const LibraryUnavailable& missing) {
        return std::string(library) + " unavailable (" + missing.what() + ")";
    }
}

} // namespace

std::string version() {
    return CXRCAT_VERSION;
}

// Where the project lives, for the User-Agent. No public address exists yet: set it when one does
// (an invented address would send providers' operators to the wrong place).
constexpr std::string_view k_project_url = "";

std::string user_agent() {
    return "cxrcat/" + version() +
           (k_project_url.empty() ? std::string(" (chest-imaging dataset fetcher)")
                                  : " (+" + std::string(k_project_url) + ")");
}

std::string curl_version_text() {
    return library_text("libcurl", [] {
        const curl_version_info_data* info = curl_version_info(CURLVERSION_NOW);
        return std::string("libcurl ") + (info && info->version ? info->version : "unknown");
    });
}

std::string openssl_version_text() {
    return library_text("OpenSSL", [] { return std::string(OpenSSL_version(OPENSSL_VERSION)); });
}

std::string curl_default_ca_bundle() {
    try {
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
    } catch (const LibraryUnavailable&) {
        return {}; // curl_version_text() says why
    }
}

std::string libarchive_version_text() {
    return library_text("libarchive", [] { return std::string(archive_version_string()); });
}

} // namespace cxrcat
