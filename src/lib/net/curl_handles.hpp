// SPDX-License-Identifier: Apache-2.0
// Move-only owners of libcurl handles. Private to the library: only src/lib/net touches libcurl.
#pragma once

#include <curl/curl.h>

#include <memory>
#include <stdexcept>
#include <string>

namespace cxrcat::net {

struct CurlEasyDeleter {
    void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};
struct CurlMultiDeleter {
    void operator()(CURLM* handle) const { curl_multi_cleanup(handle); }
};
struct CurlSlistDeleter {
    void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

using CurlEasy = std::unique_ptr<CURL, CurlEasyDeleter>;
using CurlMulti = std::unique_ptr<CURLM, CurlMultiDeleter>;

// A header list that owns its nodes.
class CurlSlist {
  public:
    CurlSlist() = default;
    void append(const std::string& line) {
        curl_slist* next = curl_slist_append(m_list.get(), line.c_str());
        if (next == nullptr) {
            throw std::bad_alloc();
        }
        (void)m_list.release();
        m_list.reset(next);
    }
    [[nodiscard]] curl_slist* get() const { return m_list.get(); }

  private:
    std::unique_ptr<curl_slist, CurlSlistDeleter> m_list;
};

// Initialises libcurl once per process, before any handle exists.
void ensure_curl_initialised();

// curl_easy_setopt, throwing on failure: an option libcurl refuses is a programming error
// (or a libcurl built without a feature we need), never a user-fixable condition.
template <typename T> void set_option(CURL* handle, CURLoption option, T value) {
    CURLcode code = curl_easy_setopt(handle, option, value);
    if (code != CURLE_OK) {
        throw std::runtime_error(std::string("libcurl refused an option: ") + curl_easy_strerror(code));
    }
}

} // namespace cxrcat::net
