// SPDX-License-Identifier: Apache-2.0
#include "support/scoped_env.hpp"

#include <cerrno>
#include <cstdlib>
#include <system_error>

namespace cxrcat::test {

// NOLINTBEGIN(concurrency-mt-unsafe): the class is documented as single-threaded.
ScopedEnv::~ScopedEnv() {
    for (const auto& [name, value] : m_saved) {
        if (value) {
            ::setenv(name.c_str(), value->c_str(), 1);
        } else {
            ::unsetenv(name.c_str());
        }
    }
}

void ScopedEnv::remember(const std::string& name) {
    if (m_saved.count(name) == 0) {
        const char* old = std::getenv(name.c_str());
        m_saved.emplace(name, old ? std::optional<std::string>(old) : std::nullopt);
    }
}

void ScopedEnv::set(const std::string& name, const std::string& value) {
    remember(name);
    if (::setenv(name.c_str(), value.c_str(), 1) != 0) {
        throw std::system_error(errno, std::generic_category(), "setenv " + name);
    }
}

void ScopedEnv::unset(const std::string& name) {
    remember(name);
    if (::unsetenv(name.c_str()) != 0) {
        throw std::system_error(errno, std::generic_category(), "unsetenv " + name);
    }
}
// NOLINTEND(concurrency-mt-unsafe)

} // namespace cxrcat::test
