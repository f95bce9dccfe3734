// SPDX-License-Identifier: Apache-2.0
// Private: the pure parsers behind the Zenodo, PhysioNet and IDC clients (no I/O, unit-tested).
// Errors carry a bare description ("line 3: ..."); the client adds which dataset and URL.
#pragma once

#include "cxrcat/base/result.hpp"
#include "net/s3_listing.hpp"

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cxrcat::providers {

// One file of a Zenodo record.
struct ZenodoFile {
    std::string key; // the file name; may contain '/'
    std::optional<std::uint64_t> size;
    std::string md5;  // lowercase hex, "" when the record gives none
    std::string link; // the record's download link for it (see parse_zenodo_record), "" when none
};

struct ZenodoRecord {
    std::vector<ZenodoFile> files;
    std::string access_right;  // metadata.access_right ("open", "restricted", ...), "" when absent
    std::string id;            // the record's own id (`id`, else `recid`), "" when absent
    bool files_listed = false; // `files` is present as a list (an empty list: a restricted record)
};

// The files of a `GET /api/records/{id}` answer, in any of its three shapes (api-drift-2026.md §4.1):
// today's (`key`, `size`, `checksum: "md5:<hex>"`, `links.self` ending in `/content`), the
// 2023-10 compatibility one (`filename`, `filesize`, bare hex, `links.download`) and the pre-2023
// one (`key`, `bucket`, `links.self` = `/api/files/<bucket>/<key>`). The link is `links.self` when it
// ends in `/content`, else `links.download`, else a bucket entry's `links.self`.
// Errors: the body is not a JSON object, or a file entry has no name.
[[nodiscard]] Result<ZenodoRecord> parse_zenodo_record(std::string_view body);

// One line of a SHA256SUMS.txt.
struct ChecksumEntry {
    std::string sha256; // lowercase hex
    std::string path;   // relative to the project version
};

// Parses PhysioNet's SHA256SUMS.txt: `<64 hex> <path>` per line (one or more spaces, an optional
// `*` before the path, CRLF tolerated, blank lines skipped, any order). Errors (integrity) name the
// line: a malformed line, an absolute path or a `..` segment.
[[nodiscard]] Result<std::vector<ChecksumEntry>> parse_sha256sums(std::string_view text);

// The same parser fed chunk by chunk as the listing arrives, keeping only the entries `keep`
// accepts: memory follows the kept entries and one line, never the listing (MIMIC-CXR-JPG's has
// 377,110 lines, some 54 MB).
class Sha256SumsReader {
  public:
    explicit Sha256SumsReader(std::function<bool(std::string_view)> keep = {});

    // Forgets everything read (a retried request starts the listing again).
    void reset();
    // Reads a chunk; false once a line was malformed (finish() then says which).
    bool feed(std::string_view chunk);
    // The kept entries, after the last (possibly unterminated) line; or the first line's error.
    [[nodiscard]] Result<std::vector<ChecksumEntry>> finish();
    // The listing's first bytes, to tell a login page from a listing.
    [[nodiscard]] const std::string& head() const { return m_head; }

  private:
    static constexpr std::size_t k_head_bytes = 512;
    static constexpr std::size_t k_max_line = std::size_t{64} << 10;
    void read_line(std::string_view line);

    std::function<bool(std::string_view)> m_keep;
    std::string m_partial; // the line cut by the end of the last chunk
    std::string m_head;
    std::vector<ChecksumEntry> m_entries;
    std::optional<Error> m_error;
    std::size_t m_lines = 0;
};

// One series of an IDC manifest.
struct ManifestSeries {
    std::string bucket; // as written in the manifest (an AWS bucket name, usually)
    std::string series; // crdc_series_uuid: the object prefix
    std::size_t line = 0;
    std::vector<std::string> instances; // single-file lines: only these objects (when !whole)
    bool whole = true;                  // a `<series>/*` line: every object of the series
};

struct S5cmdManifest {
    std::vector<ManifestSeries> series;
    std::size_t skipped_lines = 0; // lines that are not `cp`/`sync` commands (headers, other tools)
};

// Parses an s5cmd manifest as the IDC portal, idc-index and `bq query --format=csv` write it:
// `cp s3://BUCKET/SERIES/* DEST` (or `sync`), or `cp s3://BUCKET/SERIES/INSTANCE.dcm DEST` for one
// file; double or single quotes; `#` comments and blank lines ignored; other lines (a CSV header,
// another tool's command) counted in skipped_lines. A series listed twice is kept once; a series
// line wins over single-file lines of the same series. Errors (usage) name the line of a
// malformed `cp`/`sync` line.
[[nodiscard]] Result<S5cmdManifest> parse_s5cmd_manifest(std::string_view text);

// The bucket that serves an IDC AWS bucket on the GCS endpoint: idc-open-data-two → idc-open-idc1,
// idc-open-data-cr → idc-open-cr; every other name (idc-open-data, public-datasets-idc) is the same.
[[nodiscard]] std::string gcs_bucket_for(std::string_view bucket);

using net::BucketObject; // one object of a bucket listing (net/s3_listing.hpp)

struct BucketPage {
    std::vector<BucketObject> objects;
    std::string next_page_token; // "" on the last page
};

// One page of a GCS JSON API objects listing (`size` is a decimal string, `md5Hash` base64).
// Errors: not a JSON object, or an item without a name.
[[nodiscard]] Result<BucketPage> parse_gcs_listing(std::string_view body);

// A size in a JSON answer: a non-negative number, or a decimal string (GCS and Kaggle write sizes
// as strings); nullopt for anything else.
[[nodiscard]] std::optional<std::uint64_t> json_size(const nlohmann::json& value);

// Lowercase hex of a base64-encoded MD5 (GCS md5Hash); nullopt unless it decodes to 16 bytes.
[[nodiscard]] std::optional<std::string> base64_md5_to_hex(std::string_view base64);

// True when path is non-empty, relative, has no empty, "." or ".." segment, no backslash and no
// control character (a name a server sends is printed: it must not carry terminal escapes or CRs).
[[nodiscard]] bool is_safe_relative_path(std::string_view path);

// True when a response is an HTML page (by its Content-Type, or by its first bytes).
[[nodiscard]] bool looks_like_html(std::string_view content_type, std::string_view body);

} // namespace cxrcat::providers
