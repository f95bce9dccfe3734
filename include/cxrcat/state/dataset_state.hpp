// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "cxrcat/base/digest.hpp"
#include "cxrcat/base/result.hpp"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <set>
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

    bool operator==(const InstalledFile&) const = default;
};

// An archive that was downloaded, verified and completely extracted.
struct ExtractedArchive {
    std::uint64_t size = 0;
    std::map<DigestAlgorithm, std::string> digests;
    std::vector<std::string> files;
    bool kept = false; // the archive itself is still on disk
    std::string extracted_at;
    // fetch --where on labels: the archive's members (dataset paths) that were not selected, so not
    // installed. Empty when everything was extracted.
    std::vector<std::string> not_selected;
    // fetch --decode: the members (dataset paths) whose image did not open, so not installed. While
    // any is listed the archive is not done (is_extracted_for), so a later run checks them again.
    std::vector<std::string> refused;

    bool operator==(const ExtractedArchive&) const = default;
};

// A SHA-256 recorded at the first download of a file that has no published digest.
struct RecordedDigest {
    std::string sha256;
    std::uint64_t size = 0;
    std::string recorded_at;

    bool operator==(const RecordedDigest&) const = default;
};

// What a recorded file looks like now where it is stored: its size, and its modification time (0
// where the store has none that a rerun could compare, as in an S3 bucket).
struct FileStamp {
    std::uint64_t size = 0;
    std::int64_t mtime_ns = 0;
};

// True when the archive member at dataset path `path` is one of members: the path itself, or its
// trailing components (a label file names `train/patient1/study1/view1_frontal.jpg`, the release zip
// holds it under `CheXpert-v1.0-small/`; NIH's Kaggle copy nests `images/` in `images_001/`).
[[nodiscard]] bool member_selected(const std::set<std::string>& members, const std::string& path);

// The stamp of the file at a dataset-relative path, or nullopt when there is none.
using StampReader = std::function<std::optional<FileStamp>(const std::string& path)>;

// What is installed in one dataset directory, kept in `<dir>/.cxrcat/state.json` plus one journal
// per shard (`<dir>/.cxrcat/journal/shard-K-of-N.json`), merged on read: shards running at the same
// time each write only their own journal, so no update is lost.
class DatasetState {
  public:
    // Reads the state and merges every shard journal into it; a missing file is an empty state, a
    // damaged one is empty with a warning (everything will be verified again, nothing is trusted).
    [[nodiscard]] static DatasetState load(const std::filesystem::path& dataset_dir);
    // Writes the whole state atomically and folds the journals into it (only under the exclusive
    // dataset lock, when no shard runs).
    Result<void> save() const;
    // A state kept elsewhere than on a local disk (an S3 bucket): parsed from the text of its
    // state.json and the texts of its shard journals in name order, merged as load() does (where
    // names it in a warning when damaged; "" text is an empty state), the stamps of its files read
    // through stamp.
    [[nodiscard]] static DatasetState from_text(const std::string& text, const std::vector<std::string>& journals,
                                                const std::string& where, StampReader stamp);
    // The whole state as the text of a state.json.
    [[nodiscard]] std::string to_text() const;
    // Writes what changed since load() into the journal `tag` (under that shard's lock), atomically.
    Result<void> save_journal(const std::string& tag) const;
    // The text of a shard journal: its earlier text ("" when none) with what changed since loading
    // on top (what save_journal writes; a bucket store stores it as an object).
    [[nodiscard]] std::string journal_text(const std::string& earlier) const;

    std::map<std::string, InstalledFile> files;
    std::map<std::string, ExtractedArchive> archives;
    std::map<std::string, RecordedDigest> recorded;
    std::vector<std::string> warnings;

    // True when path is recorded and the file on disk still has the recorded size and mtime.
    [[nodiscard]] bool is_intact(const std::string& path) const;
    // True when the archive was extracted, every extracted file is intact and no member was refused.
    [[nodiscard]] bool is_extracted(const std::string& archive_path) const;
    // is_extracted, and no member it left out is wanted: members lists the wanted dataset paths
    // (nullptr: all of them, so nothing may have been left out).
    [[nodiscard]] bool is_extracted_for(const std::string& archive_path, const std::set<std::string>* members) const;
    // Records the file now on disk at path (size and mtime are read from it).
    Result<void> record_file(const std::string& path, std::map<DigestAlgorithm, std::string> digests,
                             const std::string& from_archive, const std::string& now);
    [[nodiscard]] const std::filesystem::path& dataset_dir() const { return m_dir; }

  private:
    struct Snapshot {
        std::map<std::string, InstalledFile> files;
        std::map<std::string, ExtractedArchive> archives;
        std::map<std::string, RecordedDigest> recorded;
    };
    [[nodiscard]] std::optional<FileStamp> stamp(const std::string& path) const;

    std::filesystem::path m_dir;
    StampReader m_stamp; // set by from_text: the files are not under m_dir
    Snapshot m_loaded;   // what load() found, to write only the changes to a journal
};

// The file holding a dataset's state, and the directory for cxrcat's own files.
[[nodiscard]] std::filesystem::path state_dir(const std::filesystem::path& dataset_dir);

} // namespace cxrcat
