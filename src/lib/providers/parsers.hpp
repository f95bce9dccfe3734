// SPDX-License-Identifier: Apache-2.0
// Private: the pure parsers behind the Zenodo and IDC clients and what the providers' parsers share
// (no I/O, unit-tested; PhysioNet's checksum list: sha256sums.hpp, IDC's manifests: s5cmd_manifest.hpp).
// Errors carry a bare description ("line 3: ..."); the client adds which dataset and URL.
#pragma once

#include "cxrcat/base/result.hpp"
#include "net/s3_listing.hpp"

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
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

// Lowercase hex of exactly `length` hex digits, or "" (a checksum as a server writes it).
[[nodiscard]] std::string normalised_hex(std::string_view text, std::size_t length);
// A line of a server's file quoted in an error: cut, and with control bytes blanked (it reaches
// the terminal).
[[nodiscard]] std::string quoted_line(std::string_view line);
// "line N: what", the form of every line-numbered parse error.
[[nodiscard]] std::string line_error(std::size_t number, const std::string& what);

// True when a response is an HTML page (by its Content-Type, or by its first bytes).
[[nodiscard]] bool looks_like_html(std::string_view content_type, std::string_view body);

} // namespace cxrcat::providers
