// SPDX-License-Identifier: Apache-2.0
// `cxrcat doctor`: one screen with everything that decides how cxrcat behaves on this machine.
#include "commands.hpp"
#include "cxrcat/embedded_catalog.hpp"
#include "cxrcat/redacted_url.hpp"
#include "cxrcat/text.hpp"
#include "cxrcat/version.hpp"

#include <cstdlib>
#include <iostream>
#include <sys/statvfs.h>

namespace cxrcat::cli {

namespace {

std::string free_space(std::filesystem::path path) {
    while (!path.empty() && !std::filesystem::exists(path)) {
        path = path.parent_path();
    }
    struct statvfs info {};
    if (path.empty() || ::statvfs(path.c_str(), &info) != 0) {
        return "unknown";
    }
    return human_size(static_cast<std::uint64_t>(info.f_bavail) * info.f_frsize) + " free";
}

std::string env(const char* name) {
    const char* value = std::getenv(name); // NOLINT(concurrency-mt-unsafe)
    return value ? value : "";
}

void credential_line(const char* label, const std::optional<Credential>& credential) {
    std::cout << "  " << label << ": ";
    if (!credential) {
        std::cout << "none found\n";
        return;
    }
    std::cout << (credential->user.empty() ? "" : credential->user + " ") << credential->secret.masked() << " from "
              << credential->source << '\n';
}

int run_doctor(AppContext& context) {
    std::cout << "cxrcat " << version() << " (" << curl_version_text() << ", " << openssl_version_text() << ", "
              << libarchive_version_text() << ")\n";
    std::cout << "catalog: built-in " << embedded_catalog_version() << " (" << embedded_catalog_files().size()
              << " datasets)";
    auto catalog = context.catalog();
    if (catalog) {
        std::cout << "; " << (*catalog)->size() << " datasets loaded\n";
    } else {
        std::cout << "; INVALID: " << catalog.error().message() << '\n';
    }
    for (const auto& path : context.user_catalog_paths()) {
        std::cout << "  user catalog: " << path.string() << '\n';
    }
    const Paths& paths = context.paths();
    std::cout << "data:   " << paths.data_home.string() << " (" << free_space(paths.data_home) << ")\n";
    std::cout << "config: " << paths.config_home.string() << '\n';
    std::cout << "credentials:\n";
    const CredentialStore& credentials = context.credentials();
    credential_line("kaggle", credentials.kaggle());
    credential_line("huggingface", credentials.huggingface());
    credential_line("physionet", credentials.physionet());
    for (const auto& warning : credentials.warnings()) {
        std::cout << "  warning: " << warning << '\n';
    }
    const ProviderEndpoints& endpoints = context.endpoints();
    std::cout << "endpoints:\n"
              << "  zenodo " << endpoints.zenodo << "\n  physionet " << endpoints.physionet << "\n  kaggle "
              << endpoints.kaggle << "\n  huggingface " << endpoints.huggingface << "\n  idc " << endpoints.idc << '\n';
    for (const auto& rule : endpoints.url_rewrites) {
        std::cout << "  url rewrite (CXRCAT_URL_REWRITE) " << RedactedUrl(rule.from).str() << " -> "
                  << RedactedUrl(rule.to).str() << '\n';
    }
    std::string bundle = env("CURL_CA_BUNDLE");
    std::cout << "CA bundle: "
              << (bundle.empty() ? curl_default_ca_bundle() + " (libcurl default)" : bundle + " (CURL_CA_BUNDLE)")
              << '\n';
    bool any_proxy = false;
    for (const char* name :
         {"https_proxy", "HTTPS_PROXY", "http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY", "no_proxy", "NO_PROXY"}) {
        std::string value = env(name);
        if (!value.empty()) {
            std::cout << (any_proxy ? "" : "proxy:\n") << "  " << name << "="
                      << (std::string_view(name).find("no_") == 0 || std::string_view(name).find("NO_") == 0
                              ? value
                              : RedactedUrl(value).str())
                      << '\n';
            any_proxy = true;
        }
    }
    if (!any_proxy) {
        std::cout << "proxy: none\n";
    }
    return catalog ? 0 : exit_code(ErrorCode::invalid_catalog);
}

} // namespace

void add_doctor_command(CLI::App& app, AppContext& context) {
    CLI::App* command = app.add_subcommand(
        "doctor", "Show version, catalogs, data and config paths, credentials found (masked), CA bundle and proxies");
    add_help_footer(*command);
    command->callback([&context] { context.exit_code = run_doctor(context); });
}

} // namespace cxrcat::cli
