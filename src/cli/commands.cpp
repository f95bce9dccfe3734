// SPDX-License-Identifier: Apache-2.0
// What every command's setup shares: the --help footer, choice options and --format, the callback.
#include "commands.hpp"

#include "cxrcat/base/text.hpp"
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

void add_dataset_ids(CLI::App& command, std::vector<std::string>& ids) {
    command.add_option("ids", ids, "Dataset ids or aliases")->required();
}

Result<int> for_each_dataset(AppContext& context, const std::vector<std::string>& ids,
                             const std::function<int(const Dataset&)>& each) {
    int exit = 0;
    for (const auto& id : ids) {
        auto dataset = context.dataset(id);
        if (!dataset) {
            return dataset.error();
        }
        int code = each(**dataset);
        exit = exit == 0 ? code : exit;
    }
    return exit;
}

std::string choices_type_name(const std::vector<std::string>& choices) {
    return join(choices, "|");
}

CLI::Option* add_file_option(CLI::App& command, const std::string& name, std::string& path,
                             const std::string& description) {
    return add_typed_option(command, name, path, "FILE", description)->check(CLI::ExistingFile);
}

CLI::Option* add_range_option(CLI::App& command, const std::string& name, int& value, int min, int max,
                              const std::string& description) {
    return command.add_option(name, value, description)->check(CLI::Range(min, max))->capture_default_str();
}

CLI::Option* add_format_option(CLI::App& command, std::string& format, const std::vector<std::string>& choices,
                               const std::string& description) {
    return add_choice_option(command, "--format", format, description, choices)->capture_default_str();
}

} // namespace cxrcat::cli
