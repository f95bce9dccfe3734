// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "cxrcat/net/download.hpp"

#include <memory>
#include <string>

namespace cxrcat::cli {

// --progress auto|bar|json|none. auto: bar when stderr is a terminal, else none: nothing
// animated ever reaches a log file.
[[nodiscard]] std::unique_ptr<ProgressSink> make_progress(const std::string& mode);

} // namespace cxrcat::cli
