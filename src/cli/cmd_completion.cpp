// SPDX-License-Identifier: Apache-2.0
// `cxrcat completion bash|zsh|fish`: the shell completion script, generated from the command definitions.
#include "command_model.hpp"
#include "commands.hpp"
#include "completion_scripts.hpp"

#include <iostream>

namespace cxrcat::cli {

void add_completion_command(CLI::App& app, AppContext& context) {
    auto shell = std::make_shared<std::string>();
    CLI::App* command =
        app.add_subcommand("completion", "Print the shell completion script (bash: source <(cxrcat completion bash))");
    add_choice_option(*command, "shell", *shell, "The shell to complete in", {"bash", "zsh", "fish"})->required();
    add_help_footer(*command);
    command->callback([&context, &app, shell] {
        CommandDoc root = describe_command(app);
        std::cout << (*shell == "bash"  ? bash_completion(root)
                      : *shell == "zsh" ? zsh_completion(root)
                                        : fish_completion(root));
        context.exit_code = std::cout.good() ? 0 : exit_code(ErrorCode::local_io);
    });
}

} // namespace cxrcat::cli
