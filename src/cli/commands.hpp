// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "app_context.hpp"

#include <CLI/CLI.hpp>

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

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
void add_labels_command(CLI::App& app, AppContext& context);
// `completion` and the hidden `manpage` describe app itself, so they are added after every other command.
void add_completion_command(CLI::App& app, AppContext& context);
void add_manpage_command(CLI::App& app, AppContext& context);

// Adds the exit-code footer every command shows in --help.
void add_help_footer(CLI::App& command);

// "a|b|c": how --help names an option that takes one of choices.
[[nodiscard]] std::string choices_type_name(const std::vector<std::string>& choices);

// Adds an option whose values must be among choices (in --help: "a|b|c" and "{a,b,c}", in this order).
template <typename Value>
CLI::Option* add_choice_option(CLI::App& command, const std::string& name, Value& value, const std::string& description,
                               const std::vector<std::string>& choices) {
    return command.add_option(name, value, description)
        ->check(CLI::IsMember(choices))
        ->type_name(choices_type_name(choices));
}

// Adds an option whose value --help names type_name (FILE, URL, GLOB, ...).
template <typename Value>
CLI::Option* add_typed_option(CLI::App& command, const std::string& name, Value& value, const std::string& type_name,
                              const std::string& description) {
    return command.add_option(name, value, description)->type_name(type_name);
}

// Adds an option naming a file that must exist (FILE in --help).
CLI::Option* add_file_option(CLI::App& command, const std::string& name, std::string& path,
                             const std::string& description);

// Adds a whole-number option from min to max, its default shown in --help.
CLI::Option* add_range_option(CLI::App& command, const std::string& name, int& value, int min, int max,
                              const std::string& description);

// Adds --format: one of choices, its default (format's value now) shown in --help.
CLI::Option* add_format_option(CLI::App& command, std::string& format, const std::vector<std::string>& choices,
                               const std::string& description = "Output format");

// Adds the required positional "ids" of a command that works on the datasets named.
void add_dataset_ids(CLI::App& command, std::vector<std::string>& ids);

// Calls each(dataset) for the datasets ids name, in order, looking each id up just before its turn,
// and returns the first nonzero exit code each returned (0 when none). Errors: an unknown id's, which
// stops the run there (what the datasets before it printed stays).
[[nodiscard]] Result<int> for_each_dataset(AppContext& context, const std::vector<std::string>& ids,
                                           const std::function<int(const Dataset&)>& each);

// Adds a command that only groups subcommands (catalog, mirror): one of them must be given.
CLI::App& add_command_group(CLI::App& parent, const std::string& name, const std::string& description);

// Adds subcommand name to parent with the exit-code footer in its --help, and fresh Options for its
// flags to fill: when the command runs, run(context, options) becomes the exit code.
template <typename Options>
std::pair<CLI::App*, std::shared_ptr<Options>> add_command(CLI::App& parent, AppContext& context,
                                                           const std::string& name, const std::string& description,
                                                           int (*run)(AppContext&, const Options&)) {
    auto options = std::make_shared<Options>();
    CLI::App* command = parent.add_subcommand(name, description);
    add_help_footer(*command);
    command->callback([&context, options, run] { context.exit_code = run(context, *options); });
    return {command, options};
}

// add_command for a command about one dataset: Options::id becomes its required positional "id".
template <typename Options>
std::pair<CLI::App*, std::shared_ptr<Options>>
add_dataset_command(CLI::App& parent, AppContext& context, const std::string& name, const std::string& description,
                    int (*run)(AppContext&, const Options&)) {
    auto added = add_command(parent, context, name, description, run);
    added.first->add_option("id", added.second->id, "Dataset id or alias")->required();
    return added;
}

} // namespace cxrcat::cli
