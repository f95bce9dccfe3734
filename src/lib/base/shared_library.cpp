// SPDX-License-Identifier: Apache-2.0
#include "base/shared_library.hpp"

#include "cxrcat/base/error.hpp"

#include <dlfcn.h>
#include <mutex>
#include <utility>

namespace cxrcat {

namespace {

// dlerror's text is per thread and cleared by the next call; read it right after the failing call.
std::string last_dl_error() {
    const char* text = dlerror(); // NOLINT(concurrency-mt-unsafe): glibc keeps it per thread
    return text != nullptr ? text : "unknown error";
}

} // namespace

SharedLibrary::SharedLibrary(std::string soname, std::string package)
    : m_soname(std::move(soname)), m_package(std::move(package)) {}

void* SharedLibrary::open() {
    // Serialised: two threads making their first request at once open the library once.
    static std::mutex opening;
    std::lock_guard lock(opening);
    if (m_handle == nullptr) {
        // RTLD_LOCAL: the library's symbols resolve its own references only, as with ordinary linking.
        m_handle = dlopen(m_soname.c_str(), RTLD_LAZY | RTLD_LOCAL);
        if (m_handle == nullptr) {
            throw LibraryUnavailable("cannot load " + m_soname + ": " + last_dl_error(), m_package);
        }
    }
    return m_handle;
}

void* SharedLibrary::function(const char* name) {
    void* handle = open();
    void* address = dlsym(handle, name);
    if (address == nullptr) {
        throw LibraryUnavailable(std::string("cannot find ") + name + " in " + m_soname + ": " + last_dl_error(),
                                 m_package);
    }
    return address;
}

} // namespace cxrcat
