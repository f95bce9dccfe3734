// SPDX-License-Identifier: Apache-2.0
// Entry path safety for symlinks: judged once every entry is known, because a chain of
// individually harmless links ("d/l -> ..", "e -> d/l/..") can still lead out.
#pragma once

#include "cxrcat/base/result.hpp"
#include "archive/extract_errors.hpp"
#include "archive/staging_area.hpp"

namespace cxrcat::extraction {

// Resolves every symlink in staging the way the kernel would, over the staged tree laid onto the
// destination (whose existing links count too); refuses one whose resolution ever leaves the
// destination or loops.
Result<void> check_staged_symlinks(StagingArea& staging, const Refusal& refuse);

} // namespace cxrcat::extraction
