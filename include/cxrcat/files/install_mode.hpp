// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "cxrcat/catalog/dataset.hpp"
#include "cxrcat/base/result.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace cxrcat {

// True when a dataset's files must never be world-readable: credentialed, competition, gated or
// restricted access, or redistribution limited to the organisation.
[[nodiscard]] bool must_stay_private(const Dataset& dataset);

// The permission bits of something installed that asks for `wanted`: wanted less the umask in
// effect for installs (the process umask, narrowed by the current InstallScope).
[[nodiscard]] std::uint32_t install_mode(std::uint32_t wanted);

// While alive, what is created for one dataset honours the umask, is never world-accessible for a
// private dataset, and, with a group, belongs to that group (setgid directories, the umask's group
// bits lifted) so a lab shares one copy. Restores the umask when it ends.
class InstallScope {
  public:
    // Creates the dataset directory (its parents with the ordinary umask), gives it to `group`
    // (a name or a number) with the setgid bit, and narrows the umask. Errors: usage for an
    // unknown group, local_io when the directory cannot be created or given to the group.
    [[nodiscard]] static Result<InstallScope> enter(const Dataset& dataset, const std::filesystem::path& dataset_dir,
                                                    const std::optional<std::string>& group);
    InstallScope(InstallScope&& other) noexcept;
    InstallScope& operator=(InstallScope&&) = delete;
    InstallScope(const InstallScope&) = delete;
    InstallScope& operator=(const InstallScope&) = delete;
    ~InstallScope();

  private:
    explicit InstallScope(std::uint32_t previous) : m_previous(previous) {}
    std::optional<std::uint32_t> m_previous;
};

// True when `file` may be hard-linked into `directory` as it is: its permissions are no wider than
// installs allow now and, in a setgid directory, it already has the directory's group.
[[nodiscard]] bool may_share_inode(const std::filesystem::path& file, const std::filesystem::path& directory);

// Entries under dataset_dir (itself included, at most `limit` looked at) that others can read.
[[nodiscard]] std::vector<std::filesystem::path> world_readable_entries(const std::filesystem::path& dataset_dir,
                                                                        std::size_t limit);

} // namespace cxrcat
