// SPDX-License-Identifier: Apache-2.0
// Private: the s5cmd manifests IDC's portal and idc-index write (no I/O, unit-tested and fuzzed).
#pragma once

#include "cxrcat/base/result.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace cxrcat::providers {

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

} // namespace cxrcat::providers
