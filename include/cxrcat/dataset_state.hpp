// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "cxrcat/digest.hpp"
#include "cxrcat/result.hpp"

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace cxrcat {

// A file cxrcat installed and verified. A rerun trusts it without hashing while size and mtime
// still match; `verify` re-hashes it.
struct InstalledFile {
    std::uint64_t size = 0;
    std::int64_t mtime_ns = 0;
    std::map<DigestAlgorithm, std::string> digests;
    std::string from_archive; // catalog path of the archive it was extracted from, or ""
    std::string installed_at;
};

// An archive that was downloaded, verified and completely extracted.
struct ExtractedArchive {
    std::uint64_t size = 0;
    std::map<DigestAlgorithm, std::string> digests;
    std::vector<std::string> files;
    bool kept = false; // the archive itself is still on disk
    std::string extracted_at;
};

// A SHA-256 recorded at the first download of a file that has no published digest.
struct RecordedDigest {
    std::string sha256;
    std::uint64_t size = 0;
    std::string recorded_at;
};

// What is installed in one dataset directory, kept in `<dir>/.cxrcat/state.json`.
class DatasetState {
  public:
    // Reads the state; a missing file is an empty state, a damaged one is empty with a warning
    // (everything will be verified again, nothing is trusted).
    [[nodiscard]] static DatasetState load(const std::filesystem::path& dataset_dir);
    // Writes the state atomically.
    Result<void> save() const;

    std::map<std::string, InstalledFile> files;
    std::map<std::string, ExtractedArchive> archives;
    std::map<std::string, RecordedDigest> recorded;
    std::vector<std::string> warnings;

    // True when path is recorded and the file on disk still has the recorded size and mtime.
    [[nodiscard]] bool is_intact(const std::string& path) const;
    // True when the archive was extracted and every extracted file is intact.
    [[nodiscard]] bool is_extracted(const std::string& archive_path) const;
    // Records the file now on disk at path (size and mtime are read from it).
    Result<void> record_file(const std::string& path, std::map<DigestAlgorithm, std::string> digests,
                             const std::string& from_archive, const std::string& now);
    [[nodiscard]] const std::filesystem::path& dataset_dir() const { return m_dir; }

  private:
    std::filesystem::path m_dir;
};

// The file holding a dataset's state, and the directory for cxrcat's own files.
[[nodiscard]] std::filesystem::path state_dir(const std::filesystem::path& dataset_dir);

} // namespace cxrcat
