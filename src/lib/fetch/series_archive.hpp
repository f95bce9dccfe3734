// SPDX-License-Identifier: Apache-2.0
// Private to fetch: a series delivered as one zip that carries its own checksum list (a TCIA NBIA
// `getImageWithMD5Hash` answer: the DICOM files plus md5hashes.csv). The series is installed only
// when every member matches the list; a single wrong member installs nothing of the series.
#pragma once

#include "cxrcat/archive/extract.hpp"
#include "cxrcat/base/result.hpp"
#include "cxrcat/fetch/fetch.hpp"
#include "cxrcat/net/download.hpp"
#include "cxrcat/state/dataset_state.hpp"

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace cxrcat {

// Parses a checksum list `Filename,MD5Hash` (a header line, then one member name and its MD5 per
// line; fields may be double-quoted; \n or \r\n). Returns member name → lowercase MD5. Errors
// (integrity): no header, a malformed line or digest, a name listed twice.
[[nodiscard]] Result<std::map<std::string, std::string>> parse_member_checksums(std::string_view text);

// The vet step of a series zip's extraction: the staged files against the checksum member
// `list_name` (itself staged among them). Every listed member must be present with that MD5 and
// every other member must be listed, except a LICENSE file (which NBIA puts in its zips unlisted).
// label names the series in messages. Errors are integrity errors naming the member.
[[nodiscard]] Result<void> check_series_members(const std::string& list_name, const std::filesystem::path& staging,
                                                const std::vector<ExtractedFile>& files, const std::string& label);

// Where fetch downloads the zip of a series entry (path is the series directory): "<path>.zip".
[[nodiscard]] std::filesystem::path series_archive_path(const std::filesystem::path& destination,
                                                        const std::string& path);

// After the download of planned (a series entry with member_checksums) into zip: extracts it into
// the series directory through a staging directory, checking every member first, then records the
// files in state and removes the zip (its bytes differ on every request, so it is never kept).
// On failure result becomes failed, nothing of the series is installed and the zip is removed.
// options gives --max-expansion (see fetch_extract_limits) and --decode: a member whose image does
// not open is left out (the others are installed, result fails naming it, the series is recorded
// with it refused so that a rerun downloads the series again).
void install_series_archive(const Dataset& dataset, const PlannedFile& planned, const std::filesystem::path& zip,
                            const std::filesystem::path& destination, DatasetState& state, const FetchOptions& options,
                            FileResult& result, const std::string& now);

} // namespace cxrcat
