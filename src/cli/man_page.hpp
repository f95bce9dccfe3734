// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "command_model.hpp"

#include <string>

namespace cxrcat::cli {

// cxrcat(1) in roff (man macros): every command with its options and arguments, then the exit codes,
// environment and files, all from the same definitions as --help.
[[nodiscard]] std::string man_page(const CommandDoc& root, const std::string& version);

} // namespace cxrcat::cli
