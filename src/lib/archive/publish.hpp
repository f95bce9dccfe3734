// SPDX-License-Identifier: Apache-2.0
// The publish step: moves a fully read, checked and flushed staging area into its destination.
#pragma once

#include "cxrcat/base/result.hpp"
#include "archive/staging_area.hpp"

#include <string>

namespace cxrcat::extraction {

// Moves staging into its destination. A new destination is one rename; otherwise every top-most
// entry the destination lacks moves whole, and conflicts (a file where the archive has a
// directory, or the reverse) are found before anything moves: ErrorCode::local_io naming
// archive_name. Renames are made durable.
Result<void> publish_staging(StagingArea& staging, const std::string& archive_name);

} // namespace cxrcat::extraction
