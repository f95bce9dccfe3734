// SPDX-License-Identifier: Apache-2.0
// The libcurl functions cxrcat calls, forwarded to libcurl opened on first use (shared_library.hpp
// says why). A function used anywhere in src/lib/net needs its line here, or the link fails.
#include "shared_library.hpp"

#include <curl/curl.h>

#include <cstdarg>

namespace {

cxrcat::SharedLibrary& libcurl() {
    static cxrcat::SharedLibrary library(CXRCAT_LIBCURL_SONAME, CXRCAT_LIBCURL_PACKAGE);
    return library;
}

} // namespace

CXRCAT_FORWARD(libcurl, CURLcode, curl_global_init, (long flags), (flags))
CXRCAT_FORWARD(libcurl, curl_version_info_data*, curl_version_info, (CURLversion stamp), (stamp))
CXRCAT_FORWARD(libcurl, const char*, curl_easy_strerror, (CURLcode code), (code))
CXRCAT_FORWARD(libcurl, CURL*, curl_easy_init, (void), ())
CXRCAT_FORWARD(libcurl, void, curl_easy_cleanup, (CURL * handle), (handle))
CXRCAT_FORWARD(libcurl, void, curl_easy_reset, (CURL * handle), (handle))
CXRCAT_FORWARD(libcurl, CURLcode, curl_easy_perform, (CURL * handle), (handle))
CXRCAT_FORWARD(libcurl, CURLcode, curl_easy_pause, (CURL * handle, int bitmask), (handle, bitmask))
CXRCAT_FORWARD(libcurl, curl_slist*, curl_slist_append, (curl_slist * list, const char* line), (list, line))
CXRCAT_FORWARD(libcurl, void, curl_slist_free_all, (curl_slist * list), (list))
CXRCAT_FORWARD(libcurl, CURLM*, curl_multi_init, (void), ())
CXRCAT_FORWARD(libcurl, CURLMcode, curl_multi_cleanup, (CURLM * multi), (multi))
CXRCAT_FORWARD(libcurl, CURLMcode, curl_multi_add_handle, (CURLM * multi, CURL* handle), (multi, handle))
CXRCAT_FORWARD(libcurl, CURLMcode, curl_multi_remove_handle, (CURLM * multi, CURL* handle), (multi, handle))
CXRCAT_FORWARD(libcurl, CURLMcode, curl_multi_perform, (CURLM * multi, int* running), (multi, running))
CXRCAT_FORWARD(libcurl, CURLMcode, curl_multi_poll,
               (CURLM * multi, curl_waitfd* extra, unsigned extra_count, int timeout_ms, int* ready),
               (multi, extra, extra_count, timeout_ms, ready))
CXRCAT_FORWARD(libcurl, CURLMcode, curl_multi_wakeup, (CURLM * multi), (multi))
CXRCAT_FORWARD(libcurl, CURLMsg*, curl_multi_info_read, (CURLM * multi, int* left), (multi, left))

// The variadic three take exactly one argument after the option, of the type the option's number
// range says (curl.h: CURLOPTTYPE_*); libcurl reads it with va_arg the same way (lib/setopt.c).
// Function pointers travel as void*, which every platform libcurl supports passes identically.
namespace {

// The argument of an option numbered `option`, read as its class's type and handed to `call`.
template <typename Call> auto with_option_argument(int option, va_list& arguments, Call call) {
    if (option < CURLOPTTYPE_OBJECTPOINT) {
        return call(va_arg(arguments, long));
    }
    if (option >= CURLOPTTYPE_OFF_T && option < CURLOPTTYPE_BLOB) {
        return call(va_arg(arguments, curl_off_t));
    }
    return call(va_arg(arguments, void*)); // object, string, function, slist and blob pointers
}

} // namespace

// NOLINTBEGIN(cppcoreguidelines-pro-type-vararg): forwarding libcurl's own variadic API
extern "C" CURLcode(curl_easy_setopt)(CURL* handle, CURLoption option, ...) {
    static auto* const real = cxrcat::library_function<decltype(curl_easy_setopt)>(libcurl(), "curl_easy_setopt");
    va_list arguments;
    va_start(arguments, option);
    CURLcode code = with_option_argument(option, arguments, [&](auto value) { return real(handle, option, value); });
    va_end(arguments);
    return code;
}

extern "C" CURLMcode(curl_multi_setopt)(CURLM* multi, CURLMoption option, ...) {
    static auto* const real = cxrcat::library_function<decltype(curl_multi_setopt)>(libcurl(), "curl_multi_setopt");
    va_list arguments;
    va_start(arguments, option);
    CURLMcode code = with_option_argument(option, arguments, [&](auto value) { return real(multi, option, value); });
    va_end(arguments);
    return code;
}

// Every CURLINFO's argument is a pointer to where the answer goes (curl_easy_getinfo(3)).
extern "C" CURLcode(curl_easy_getinfo)(CURL* handle, CURLINFO info, ...) {
    static auto* const real = cxrcat::library_function<decltype(curl_easy_getinfo)>(libcurl(), "curl_easy_getinfo");
    va_list arguments;
    va_start(arguments, info);
    void* answer = va_arg(arguments, void*);
    va_end(arguments);
    return real(handle, info, answer);
}
// NOLINTEND(cppcoreguidelines-pro-type-vararg)
