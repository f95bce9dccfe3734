// SPDX-License-Identifier: Apache-2.0
// The libcurl functions cxrcat calls, forwarded to libcurl opened on first use (shared_library.hpp
// says why). A function used anywhere in src/lib/net needs its line here, or the link fails.
#include "base/shared_library.hpp"

#include <curl/curl.h>

#include <cstdarg>

namespace {

// Never destroyed: a forwarder may still be called while static objects are destroyed at exit.
cxrcat::SharedLibrary& libcurl() {
    static auto* const library = new cxrcat::SharedLibrary(CXRCAT_LIBCURL_SONAME, CXRCAT_LIBCURL_PACKAGE);
    return *library;
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

// NOLINTBEGIN(cppcoreguidelines-pro-type-vararg,clang-analyzer-valist.Uninitialized): forwarding
// libcurl's own variadic API; the caller va_start'ed `arguments` (the analyzer does not follow a
// va_list into a called function)

// real(handle, option, the one argument after `option`), read as the type the option's number says.
template <typename Code, typename Handle, typename Option>
Code forward_option(Code (*real)(Handle*, Option, ...), Handle* handle, Option option, va_list arguments) {
    OptionArgument kind = option_argument(option);
    if (kind == OptionArgument::long_value) {
        return real(handle, option, va_arg(arguments, long));
    }
    if (kind == OptionArgument::off_t_value) {
        return real(handle, option, va_arg(arguments, curl_off_t));
    }
    return real(handle, option, va_arg(arguments, void*));
}

} // namespace

// The two option setters: `handle` is the parameter's name in the header.
// NOLINTBEGIN(cppcoreguidelines-macro-usage,bugprone-macro-parentheses): see CXRCAT_FORWARD
#define FORWARD_OPTION_SETTER(returns, name, handle_type, handle, option_type)                                         \
    extern "C" returns(name)(handle_type * handle, option_type option, ...) {                                          \
        static auto* const real = cxrcat::library_function<decltype(name)>(libcurl(), #name);                          \
        va_list arguments;                                                                                             \
        va_start(arguments, option);                                                                                   \
        returns code = forward_option(real, handle, option, arguments);                                                \
        va_end(arguments);                                                                                             \
        return code;                                                                                                   \
    }
// NOLINTEND(cppcoreguidelines-macro-usage,bugprone-macro-parentheses)

FORWARD_OPTION_SETTER(CURLcode, curl_easy_setopt, CURL, curl, CURLoption)
FORWARD_OPTION_SETTER(CURLMcode, curl_multi_setopt, CURLM, multi_handle, CURLMoption)

// Every CURLINFO's argument is a pointer to where the answer goes (curl_easy_getinfo(3)).
extern "C" CURLcode(curl_easy_getinfo)(CURL* curl, CURLINFO info, ...) {
    static auto* const real = cxrcat::library_function<decltype(curl_easy_getinfo)>(libcurl(), "curl_easy_getinfo");
    va_list arguments;
    va_start(arguments, info);
    void* answer = va_arg(arguments, void*);
    va_end(arguments);
    return real(curl, info, answer);
}
// NOLINTEND(cppcoreguidelines-pro-type-vararg,clang-analyzer-valist.Uninitialized)
