// SPDX-License-Identifier: Apache-2.0
// A C library opened on first use instead of at start-up. cxrcat's executable does not link libcurl,
// libcrypto or libarchive: together with their own dependencies (gnutls, krb5, ldap, icu, libxml2 ...,
// about 35 libraries) they cost more start-up time than everything `cxrcat list` does. Each library's
// functions that cxrcat calls are defined by a forwarding file next to the code that uses it
// (net/libcurl_forwarding.cpp, extract/libarchive_forwarding.cpp, digest_libcrypto_forwarding.cpp):
// the first call opens the library and looks the function up, so call sites use the library's own
// header and API unchanged, and a command that never calls it never loads it.
#pragma once

#include <string>

namespace cxrcat {

class SharedLibrary {
  public:
    // soname as the linker would record it ("libcurl.so.4"); package names the Debian package that
    // provides it, for the error when it is missing.
    SharedLibrary(std::string soname, std::string package);
    SharedLibrary(const SharedLibrary&) = delete;
    SharedLibrary& operator=(const SharedLibrary&) = delete;
    SharedLibrary(SharedLibrary&&) = delete;
    SharedLibrary& operator=(SharedLibrary&&) = delete;
    // The library stays loaded until the process ends (its own atexit handlers may still run).
    ~SharedLibrary() = default;

    // The address of the library's function `name`; opens the library on the first call. Throws
    // LibraryUnavailable (cxrcat/error.hpp) naming the file when either cannot be found.
    [[nodiscard]] void* function(const char* name);

  private:
    void* open();

    std::string m_soname;
    std::string m_package;
    void* m_handle = nullptr;
};

// `name`'s address in `library` as a pointer to Function (the type the library's header declares).
template <typename Function> Function* library_function(SharedLibrary& library, const char* name) {
    // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): dlsym's documented use
    return reinterpret_cast<Function*>(library.function(name));
}

} // namespace cxrcat

// Defines `returns name params` as a forwarder to the function of the same name in `library()` (a
// function returning SharedLibrary&), looked up once. `args` repeats the parameter names.
// The parameter names are the library header's own (clang-tidy compares them).
// NOLINTBEGIN(cppcoreguidelines-macro-usage,bugprone-macro-parentheses): a type and a parameter list
// cannot be parenthesised; the same five lines for each of ~60 C functions
#define CXRCAT_FORWARD(library, returns, name, params, args)                                                           \
    extern "C" returns(name) params {                                                                                  \
        static auto* const real = ::cxrcat::library_function<decltype(name)>(library(), #name);                        \
        return real args;                                                                                              \
    }
// NOLINTEND(cppcoreguidelines-macro-usage,bugprone-macro-parentheses)
