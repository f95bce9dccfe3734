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
CXRCAT_FORWARD(libcurl, void, curl_easy_cleanup, (CURL * curl), (curl))
CXRCAT_FORWARD(libcurl, void, curl_easy_reset, (CURL * curl), (curl))
CXRCAT_FORWARD(libcurl, CURLcode, curl_easy_perform, (CURL * curl), (curl))
CXRCAT_FORWARD(libcurl, CURLcode, curl_easy_pause, (CURL * handle, int bitmask), (handle, bitmask))
CXRCAT_FORWARD(libcurl, curl_slist*, curl_slist_append, (curl_slist * list, const char* data), (list, data))
CXRCAT_FORWARD(libcurl, void, curl_slist_free_all, (curl_slist * list), (list))
CXRCAT_FORWARD(libcurl, CURLM*, curl_multi_init, (void), ())
CXRCAT_FORWARD(libcurl, CURLMcode, curl_multi_cleanup, (CURLM * multi), (multi))
CXRCAT_FORWARD(libcurl, CURLMcode, curl_multi_add_handle, (CURLM * multi, CURL* handle), (multi, handle))
CXRCAT_FORWARD(libcurl, CURLMcode, curl_multi_remove_handle, (CURLM * multi, CURL* handle), (multi, handle))
CXRCAT_FORWARD(libcurl, CURLMcode, curl_multi_perform, (CURLM * multi, int* running), (multi, running))
CXRCAT_FORWARD(libcurl, CURLMcode, curl_multi_poll,
               (CURLM * multi_handle, curl_waitfd* extra_fds, unsigned extra_nfds, int timeout_ms, int* ret),
               (multi_handle, extra_fds, extra_nfds, timeout_ms, ret))
CXRCAT_FORWARD(libcurl, CURLMcode, curl_multi_wakeup, (CURLM * multi), (multi))
CXRCAT_FORWARD(libcurl, CURLMsg*, curl_multi_info_read, (CURLM * multi_handle, int* msgs_in_queue),
               (multi_handle, msgs_in_queue))

// The variadic three take exactly one argument after the option, of the type the option's number
// range says (curl.h: CURLOPTTYPE_*); libcurl reads it with va_arg the same way (lib/setopt.c).
// Function pointers travel as void*, which every platform libcurl supports passes identically.
namespace {

enum class OptionArgument { long_value, off_t_value, pointer };

OptionArgument option_argument(int option) {
    if (option < CURLOPTTYPE_OBJECTPOINT) {
        return OptionArgument::long_value;
    }
    if (option >= CURLOPTTYPE_OFF_T && option < CURLOPTTYPE_BLOB) {
        return OptionArgument::off_t_value;
    }
    return OptionArgument::pointer; // object, string, function, slist and blob pointers
}

} // namespace

// NOLINTBEGIN(cppcoreguidelines-pro-type-vararg): forwarding libcurl's own variadic API
extern "C" CURLcode(curl_easy_setopt)(CURL* curl, CURLoption option, ...) {
    static auto* const real = cxrcat::library_function<decltype(curl_easy_setopt)>(libcurl(), "curl_easy_setopt");
    OptionArgument kind = option_argument(option);
    CURLcode code = CURLE_OK;
    va_list arguments;
    va_start(arguments, option);
    if (kind == OptionArgument::long_value) {
        long value = va_arg(arguments, long);
        code = real(curl, option, value);
    } else if (kind == OptionArgument::off_t_value) {
        curl_off_t value = va_arg(arguments, curl_off_t);
        code = real(curl, option, value);
    } else {
        void* value = va_arg(arguments, void*);
        code = real(curl, option, value);
    }
    va_end(arguments);
    return code;
}

extern "C" CURLMcode(curl_multi_setopt)(CURLM* multi_handle, CURLMoption option, ...) {
    static auto* const real = cxrcat::library_function<decltype(curl_multi_setopt)>(libcurl(), "curl_multi_setopt");
    OptionArgument kind = option_argument(option);
    CURLMcode code = CURLM_OK;
    va_list arguments;
    va_start(arguments, option);
    if (kind == OptionArgument::long_value) {
        long value = va_arg(arguments, long);
        code = real(multi_handle, option, value);
    } else if (kind == OptionArgument::off_t_value) {
        curl_off_t value = va_arg(arguments, curl_off_t);
        code = real(multi_handle, option, value);
    } else {
        void* value = va_arg(arguments, void*);
        code = real(multi_handle, option, value);
    }
    va_end(arguments);
    return code;
}

// Every CURLINFO's argument is a pointer to where the answer goes (curl_easy_getinfo(3)).
extern "C" CURLcode(curl_easy_getinfo)(CURL* curl, CURLINFO info, ...) {
    static auto* const real = cxrcat::library_function<decltype(curl_easy_getinfo)>(libcurl(), "curl_easy_getinfo");
    va_list arguments;
    va_start(arguments, info);
    void* answer = va_arg(arguments, void*);
    va_end(arguments);
    return real(curl, info, answer);
}
// NOLINTEND(cppcoreguidelines-pro-type-vararg)
