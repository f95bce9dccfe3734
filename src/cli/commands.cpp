// SPDX-License-Identifier: Apache-2.0
// What every command's setup shares: the --help footer, choice options and --format, the callback.
#include "commands.hpp"

#include "cxrcat/text.hpp"
#include "output.hpp"

namespace cxrcat::cli {

void add_help_footer(CLI::App& command) {
    command.footer(exit_code_help());
}

CLI::App& add_command_group(CLI::App& parent, const std::string& name, const std::string& description) {
    CLI::App* group = parent.add_subcommand(name, description);
    group->require_subcommand(1);
    add_help_footer(*group);
    return *group;
}

std::string choices_type_name(const std::vector<std::string>& choices) {
    return join(choices, "|");
}

CLI::Option* add_format_option(CLI::App& command, std::string& format, const std::vector<std::string>& choices,
                               const std::string& description) {
    return add_choice_option(command, "--format", format, description, choices)->capture_default_str();
}

} // namespace cxrcat::cli
