// SPDX-License-Identifier: Apache-2.0
// Private: the `split_archives` declaration of a catalog source.
#pragma once

#include "cxrcat/catalog/dataset.hpp"

#include <nlohmann/json.hpp>

#include <functional>
#include <string>
#include <vector>

namespace cxrcat {

// Receives one problem: a JSON pointer and what is wrong there.
using SplitArchiveProblem = std::function<void(const std::string& pointer, const std::string& message)>;

// Reads source_entry["split_archives"] (absent: none). Each needs a relative `archive` name and
// at least two distinct relative `parts`; a part may belong to one archive only, must be one of
// files when the source lists files, and may not itself be marked "extract". Problems are
// reported under pointer (the source's pointer) and the offending declaration is dropped.
std::vector<SplitArchive> parse_split_archives(const nlohmann::json& source_entry, const std::string& pointer,
                                               const std::vector<FileEntry>& files, const SplitArchiveProblem& problem);

} // namespace cxrcat
