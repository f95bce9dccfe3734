// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "app_context.hpp"

#include <CLI/CLI.hpp>

namespace cxrcat::cli {

// Each adds one subcommand to app; its callback stores the exit code in context.exit_code.
void add_list_command(CLI::App& app, AppContext& context);
void add_show_command(CLI::App& app, AppContext& context);
void add_search_command(CLI::App& app, AppContext& context);
void add_terms_command(CLI::App& app, AppContext& context);
void add_accept_command(CLI::App& app, AppContext& context);
void add_cite_command(CLI::App& app, AppContext& context);
void add_path_command(CLI::App& app, AppContext& context);
void add_catalog_command(CLI::App& app, AppContext& context);
void add_fetch_command(CLI::App& app, AppContext& context);
void add_verify_command(CLI::App& app, AppContext& context);
void add_check_command(CLI::App& app, AppContext& context);
void add_doctor_command(CLI::App& app, AppContext& context);
void add_sync_command(CLI::App& app, AppContext& context);
void add_mirror_command(CLI::App& app, AppContext& context);
void add_status_command(CLI::App& app, AppContext& context);
void add_plan_command(CLI::App& app, AppContext& context);
// `completion` and the hidden `manpage` describe app itself, so they are added after every other command.
void add_completion_command(CLI::App& app, AppContext& context);
void add_manpage_command(CLI::App& app, AppContext& context);

// Adds the exit-code footer every command shows in --help.
void add_help_footer(CLI::App& command);

} // namespace cxrcat::cli
