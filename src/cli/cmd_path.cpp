// SPDX-License-Identifier: Apache-2.0
// `cxrcat path ID`: where a dataset lives (or will live), for scripts.
#include "commands.hpp"

#include <iostream>

namespace cxrcat::cli {

void add_path_command(CLI::App& app, AppContext& context) {
    auto id = std::make_shared<std::string>();
    CLI::App* command = app.add_subcommand(
        "path", "Print the directory where a dataset is (or will be) installed: "
                "$CXRCAT_HOME, else $XDG_DATA_HOME/cxrcat, else ~/.local/share/cxrcat, then datasets/<id>");
    command->add_option("id", *id, "Dataset id or alias")->required();
    add_help_footer(*command);
    command->callback([&context, id] {
        auto found = context.dataset(*id);
        if (!found) {
            context.exit_code = context.fail(found.error());
            return;
        }
        std::cout << context.paths().dataset_dir((*found)->id).string() << '\n';
    });
}

} // namespace cxrcat::cli
