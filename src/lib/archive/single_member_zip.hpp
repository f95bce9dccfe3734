// SPDX-License-Identifier: Apache-2.0
// Private: a file a provider sent as a zip that holds it alone. Kaggle does this for some
// single-file competition downloads: the signed URL ends in `<name>.zip` and the body is a zip of
// `<name>` (Kaggle/kagglehub:src/kagglehub/clients.py `download_file`, "the downloaded file may be a
// zip of the file"; tensorflow/datasets#844, train.csv of severstal-steel-defect-detection).
#pragma once

#include "cxrcat/base/result.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace cxrcat {

// True when the file open at fd starts with a zip local file header ("PK\3\4").
[[nodiscard]] bool starts_with_zip_magic(int fd);

// True when the bytes start with a zip local file header ("PK\3\4").
[[nodiscard]] bool starts_with_zip_magic(std::string_view head);

struct UnpackedMember {
    std::filesystem::path path; // inside the work directory
    std::uint64_t size = 0;
};

// Unpacks archive through extract_archive into work_dir (created; the caller removes it), which
// must then hold exactly one regular file, named member (a base name). expected_size bounds what
// may be written. Errors name display_path: ErrorCode::integrity for a corrupt archive or one that
// holds anything else (naming what it holds), local_io as extract_archive reports it.
[[nodiscard]] Result<UnpackedMember> unpack_single_member(const std::filesystem::path& archive, std::string_view member,
                                                          const std::filesystem::path& work_dir,
                                                          std::optional<std::uint64_t> expected_size,
                                                          const std::string& display_path);

} // namespace cxrcat
