// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <filesystem>
#include <string>

namespace cxrcat::test {

// A fresh directory (mkdtemp under $TMPDIR, else /tmp) removed with everything in it on destruction.
// Move-only; a moved-from TempDir removes nothing.
class TempDir {
  public:
    TempDir();
    ~TempDir();
    TempDir(TempDir&& other) noexcept;
    TempDir& operator=(TempDir&& other) noexcept;
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    // The directory itself (absolute).
    [[nodiscard]] const std::filesystem::path& path() const { return m_path; }
    // path() / relative, for brevity in tests.
    [[nodiscard]] std::filesystem::path operator/(const std::filesystem::path& relative) const {
        return m_path / relative;
    }

  private:
    void remove() noexcept;

    std::filesystem::path m_path;
};

} // namespace cxrcat::test
