// SPDX-License-Identifier: Apache-2.0
// Private to fetch: archives extracted after download, and split archives (the ordered parts of
// one archive, each downloaded and verified on its own, extracted once as a whole).
#pragma once

#include "cxrcat/archive/extract.hpp"
#include "cxrcat/catalog/dataset.hpp"
#include "cxrcat/fetch/fetch.hpp"
#include "cxrcat/state/dataset_state.hpp"

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace cxrcat {

// The limits of an archive fetch extracts into `into`, below the dataset directory destination:
// its declared extracted size plus a margin when declared_size is set, else at most max_expansion
// (--max-expansion, default 100) times the archive's size (generous for medical images, which
// compress little; fatal for a compression bomb); never into the state directory.
[[nodiscard]] ExtractLimits fetch_extract_limits(const std::filesystem::path& destination,
                                                 const std::filesystem::path& into, double max_expansion,
                                                 std::optional<std::uint64_t> declared_size);

// Records in state every file extracted from the archive (or split archive) archive_key into
// the directory prefix (relative to the dataset, "" for its top); returns the archive's record:
// archive_size, the files' dataset paths and the time (digests and kept are the caller's).
Result<ExtractedArchive> record_extracted_files(DatasetState& state, const std::string& archive_key,
                                                const std::string& prefix, const std::vector<ExtractedFile>& files,
                                                std::uint64_t archive_size, const std::string& now);

// Part path (below the source's directory, as planned) → its split archive's path, for every
// split archive source declares.
[[nodiscard]] std::map<std::string, std::string> split_archive_parts(const Source& source);

// Extracts every split archive of dataset whose parts are all in the plan and verified (in this
// run or earlier) and that is not extracted yet, into the directory of the archive's path. The
// result of the last part carries the extraction: its count and note, or the failure (the parts
// are kept). A failed part gets a note that the others are kept and nothing was extracted. Parts
// missing from the plan leave the archive unextracted, with a warning.
void extract_split_archives(const Dataset& dataset, const FetchPlan& plan, std::vector<FileResult>& results,
                            DatasetState& state, const FetchOptions& options, const std::string& now,
                            std::vector<std::string>& warnings);

} // namespace cxrcat
