// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "command_model.hpp"

#include <string>

namespace cxrcat::cli {

// Shell completion scripts for the program described by root. Dataset ids are completed by running
// `cxrcat list --format ids` (with any --catalog given so far), so user catalogs complete too.
[[nodiscard]] std::string bash_completion(const CommandDoc& root);
[[nodiscard]] std::string zsh_completion(const CommandDoc& root);
[[nodiscard]] std::string fish_completion(const CommandDoc& root);

} // namespace cxrcat::cli
