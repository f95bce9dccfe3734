// SPDX-License-Identifier: Apache-2.0
// `cxrcat manpage` (hidden): prints cxrcat(1); the build runs it to generate the installed man page.
#include "command_model.hpp"
#include "commands.hpp"
#include "cxrcat/base/version.hpp"
#include "man_page.hpp"

#include <iostream>

namespace cxrcat::cli {

void add_manpage_command(CLI::App& app, AppContext& context) {
    CLI::App* command = app.add_subcommand("manpage", "Print the cxrcat(1) man page (roff)");
    command->group(""); // hidden: the man page is generated at build time and installed
    command->callback([&context, &app] {
        std::cout << man_page(describe_command(app), version());
        context.exit_code = std::cout.good() ? 0 : exit_code(ErrorCode::local_io);
    });
}

} // namespace cxrcat::cli
