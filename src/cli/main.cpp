// SPDX-License-Identifier: Apache-2.0
// The cxrcat executable: parse arguments, run one command of the library, map errors to exit codes.
#include "commands.hpp"
#include "cxrcat/base/error.hpp"
#include "cxrcat/base/version.hpp"
#include "cxrcat/catalog/embedded_catalog.hpp"
#include "output.hpp"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <csignal>
#include <exception>
#include <iostream>

namespace cxrcat::cli {

namespace {

std::string version_text() {
    return "cxrcat " + version() + "\n" + curl_version_text() + "\n" + openssl_version_text() + "\n" +
           libarchive_version_text() + "\ncatalog " + std::string(embedded_catalog_version()) + " (" +
           std::to_string(embedded_catalog_files().size()) + " built-in datasets)";
}

// Diagnostics go to stderr; stdout carries data only.
void set_up_logging(const GlobalOptions& options) {
    auto logger = spdlog::stderr_logger_mt("cxrcat");
    logger->set_pattern("cxrcat: %l: %v");
    logger->set_level(options.verbose ? spdlog::level::debug
                                      : (options.quiet ? spdlog::level::err : spdlog::level::warn));
    spdlog::set_default_logger(logger);
}

int run(int argc, char** argv) {
    AppContext context;
    CLI::App app("cxrcat: find, understand and fetch public chest X-ray and CT datasets", "cxrcat");
    app.set_version_flag("--version", version_text, "Print the version of cxrcat, libcurl, OpenSSL and the catalog");
    app.add_option("--catalog", context.options.catalogs,
                   "Add a catalog .json file or directory (repeatable; also CXRCAT_CATALOG, colon-separated)")
        ->type_name("PATH");
    app.add_flag("-q,--quiet", context.options.quiet, "Print only data and errors");
    app.add_flag("-v,--verbose", context.options.verbose, "Print debugging detail on stderr");
    app.require_subcommand(1);
    app.fallthrough();
    add_help_footer(app);

    add_list_command(app, context);
    add_show_command(app, context);
    add_search_command(app, context);
    add_terms_command(app, context);
    add_accept_command(app, context);
    add_cite_command(app, context);
    add_path_command(app, context);
    add_catalog_command(app, context);
    add_fetch_command(app, context);
    add_verify_command(app, context);
    add_check_command(app, context);
    add_doctor_command(app, context);
    add_sync_command(app, context);
    add_mirror_command(app, context);
    add_status_command(app, context);
    add_plan_command(app, context);
    add_labels_command(app, context);
    add_completion_command(app, context);
    add_manpage_command(app, context);

    // Parse first so that callbacks only run once the whole command line is valid.
    app.parse_complete_callback([&context] { set_up_logging(context.options); });
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        std::cout << e.what() << '\n';
        return 0;
    } catch (const CLI::ParseError& e) {
        // CLI11's own exit codes (100+) would break the documented contract: usage errors are 2.
        std::cerr << "cxrcat: error: " << e.what() << '\n' << "note: run 'cxrcat --help' or 'cxrcat COMMAND --help'\n";
        return exit_code(ErrorCode::usage);
    }
    return context.exit_code;
}

} // namespace
} // namespace cxrcat::cli

int main(int argc, char** argv) {
    // A write past RLIMIT_FSIZE must fail with EFBIG (reported as local I/O), not kill the process.
    (void)std::signal(SIGXFSZ, SIG_IGN);
    try {
        return cxrcat::cli::run(argc, argv);
    } catch (const cxrcat::LibraryUnavailable& e) {
        // Not a bug: the installation lacks a library that only this command needed.
        std::cerr << "cxrcat: error: " << e.what() << '\n';
        if (!e.package().empty()) {
            std::cerr << "note: install the Debian package " << e.package() << " (apt install " << e.package() << ")\n";
        }
    } catch (const std::exception& e) {
        std::cerr << "cxrcat: error: internal error: " << e.what() << '\n'
                  << "note: this is a bug in cxrcat; please report it with the command you ran\n";
    } catch (...) {
        std::cerr << "cxrcat: error: internal error\n";
    }
    return cxrcat::exit_code(cxrcat::ErrorCode::internal);
}
