// SPDX-License-Identifier: Apache-2.0
#include "support/temp_dir.hpp"

#include <cerrno>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

namespace cxrcat::test {

TempDir::TempDir() {
    const char* base = std::getenv("TMPDIR"); // NOLINT(concurrency-mt-unsafe): tests start no threads here
    std::filesystem::path parent = (base != nullptr && *base != '\0') ? base : "/tmp";
    std::string pattern = (parent / "cxrcat-test-XXXXXX").string();
    std::vector<char> buffer(pattern.begin(), pattern.end());
    buffer.push_back('\0');
    if (::mkdtemp(buffer.data()) == nullptr) {
        throw std::system_error(errno, std::generic_category(), "mkdtemp " + pattern);
    }
    // Canonical, so that tests can compare it with paths the program prints.
    m_path = std::filesystem::canonical(buffer.data());
}

TempDir::~TempDir() {
    remove();
}

TempDir::TempDir(TempDir&& other) noexcept : m_path(std::move(other.m_path)) {
    other.m_path.clear();
}

TempDir& TempDir::operator=(TempDir&& other) noexcept {
    if (this != &other) {
        remove();
        m_path = std::move(other.m_path);
        other.m_path.clear();
    }
    return *this;
}

void TempDir::remove() noexcept {
    if (m_path.empty()) {
        return;
    }
    // Tests may leave read-only directories behind; make them writable so that removal succeeds.
    std::error_code error;
    for (auto it = std::filesystem::recursive_directory_iterator(m_path, error);
         !error && it != std::filesystem::recursive_directory_iterator(); it.increment(error)) {
        if (it->is_directory(error) && !it->is_symlink(error)) {
            std::filesystem::permissions(it->path(), std::filesystem::perms::owner_all,
                                         std::filesystem::perm_options::add, error);
        }
    }
    std::filesystem::remove_all(m_path, error);
    m_path.clear();
}

} // namespace cxrcat::test
