// SPDX-License-Identifier: Apache-2.0
// The selection flags fetch, sync, plan and status share: --files-from, --where, --sample, --seed,
// --shard, bound to CLI flags in one place.
#pragma once

#include "app_context.hpp"
#include "cxrcat/plan/selection.hpp"

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace cxrcat::cli {

struct SelectionFlags {
    std::string files_from;
    std::vector<std::string> where;
    std::size_t sample = 0;
    std::uint64_t seed = 0;
    std::string shard;
    CLI::Option* sample_option = nullptr;
};

// Adds --files-from, --where, --sample and --seed (and --shard unless with_shard is false).
void add_selection_flags(CLI::App& command, SelectionFlags& flags, bool with_shard = true);

// The selection the flags describe: reads --files-from, parses --where and --shard (auto: from the
// Slurm or Kubernetes variables, saying which it used). Errors: usage, local_io.
[[nodiscard]] Result<Selection> make_selection(const AppContext& context, const SelectionFlags& flags);

} // namespace cxrcat::cli
