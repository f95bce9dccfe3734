// SPDX-License-Identifier: Apache-2.0
// `cxrcat doctor`: one screen with everything that decides how cxrcat behaves on this machine.
#include "commands.hpp"
#include "cxrcat/base/redacted_url.hpp"
#include "cxrcat/base/text.hpp"
#include "cxrcat/base/version.hpp"
#include "cxrcat/catalog/embedded_catalog.hpp"
#include "cxrcat/files/install_mode.hpp"
#include "cxrcat/net/s3_settings.hpp"

#include <cstdlib>
#include <iostream>
#include <sys/statvfs.h>

namespace cxrcat::cli {

namespace {

// Free bytes on the file system that holds path (or its nearest existing parent), if known.
std::optional<std::uint64_t> doctor_free_bytes(std::filesystem::path path) {
    while (!path.empty() && !std::filesystem::exists(path)) {
        path = path.parent_path();
    }
    struct statvfs info {};
    if (path.empty() || ::statvfs(path.c_str(), &info) != 0) {
        return std::nullopt;
    }
    return static_cast<std::uint64_t>(info.f_bavail) * info.f_frsize;
}

std::string doctor_env(const char* name) {
    const char* value = std::getenv(name); // NOLINT(concurrency-mt-unsafe)
    return value ? value : "";
}

constexpr const char* k_proxy_variables[] = {"https_proxy", "HTTPS_PROXY", "http_proxy", "HTTP_PROXY",
                                             "all_proxy",   "ALL_PROXY",   "no_proxy",   "NO_PROXY"};

// The proxy variables that are set, each with its value (URLs redacted; no_proxy lists are not URLs).
std::vector<std::pair<std::string, std::string>> doctor_proxies() {
    std::vector<std::pair<std::string, std::string>> out;
    for (const char* name : k_proxy_variables) {
        std::string value = doctor_env(name);
        if (value.empty()) {
            continue;
        }
        bool is_list = std::string_view(name).find("no_") == 0 || std::string_view(name).find("NO_") == 0;
        out.emplace_back(name, is_list ? value : RedactedUrl(value).str());
    }
    return out;
}

nlohmann::json credential_json(const std::optional<Credential>& credential) {
    if (!credential) {
        return nullptr;
    }
    return {{"user", credential->user}, {"secret", credential->secret.masked()}, {"source", credential->source}};
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

// The S3 settings (AWS conventions), secrets masked; an "error" when they are unusable.
nlohmann::json s3_json() {
    auto settings = s3_settings_from_environment();
    if (!settings) {
        return {{"access_key_id", nullptr},
                {"secret", nullptr},
                {"session_token", false},
                {"source", nullptr},
                {"region", ""},
                {"endpoint", nullptr},
                {"error", settings.error().message()}};
    }
    bool signed_requests = settings->has_credentials();
    return {{"access_key_id", signed_requests ? nlohmann::json(mask_access_key(settings->access_key_id)) : nullptr},
            {"secret", signed_requests ? nlohmann::json(settings->secret_access_key.masked()) : nullptr},
            {"session_token", !settings->session_token.empty()},
            {"source", signed_requests ? nlohmann::json(settings->credentials_source) : nullptr},
            {"region", settings->region},
            {"endpoint", settings->endpoint.empty() ? nullptr : nlohmann::json(RedactedUrl(settings->endpoint).str())}};
}

void s3_line() {
    std::cout << "  s3: ";
    auto settings = s3_settings_from_environment();
    if (!settings) {
        std::cout << "unusable: " << settings.error().message() << '\n';
        return;
    }
    if (settings->has_credentials()) {
        std::cout << mask_access_key(settings->access_key_id) << " " << settings->secret_access_key.masked()
                  << (settings->session_token.empty() ? "" : " + session token") << " from "
                  << settings->credentials_source;
    } else {
        std::cout << "none found (unsigned requests)";
    }
    std::cout << "; region " << settings->region << "; endpoint "
              << (settings->endpoint.empty() ? "AWS" : RedactedUrl(settings->endpoint).str()) << '\n';
    for (const auto& warning : settings->warnings) {
        std::cout << "  warning: " << warning << '\n';
    }
}

// Installs of private datasets (credentialed, competition, gated, restricted, organisation-only)
// that others can read: the access rights do not extend to everyone on the machine.
std::vector<std::string> private_install_warnings(AppContext& context, const Catalog& catalog) {
    std::vector<std::string> warnings;
    constexpr std::size_t k_entries_checked = 100'000;
    for (const auto& dataset : catalog.datasets()) {
        std::filesystem::path directory = context.paths().dataset_dir(dataset.id);
        std::error_code ec;
        if (!must_stay_private(dataset) || !std::filesystem::is_directory(directory, ec)) {
            continue;
        }
        auto open_entries = world_readable_entries(directory, k_entries_checked);
        if (open_entries.empty()) {
            continue;
        }
        std::string why = dataset.redistribution == Redistribution::organisation_only &&
                                  dataset.access.access_class != AccessClass::credentialed &&
                                  dataset.access.access_class != AccessClass::competition &&
                                  dataset.access.access_class != AccessClass::gated &&
                                  dataset.access.access_class != AccessClass::restricted
                              ? "its redistribution is organisation-only"
                              : "its access is " + std::string(to_string(dataset.access.access_class));
        warnings.push_back(dataset.id + ": " + std::to_string(open_entries.size()) + " entr" +
                           (open_entries.size() == 1 ? "y" : "ies") + " under " + directory.string() +
                           " readable by everyone (e.g. " + open_entries.front().string() + "), but " + why +
                           "; run: chmod -R o-rwx " + directory.string());
    }
    return warnings;
}

// The machine-readable form of everything the text report shows (schemas/doctor.schema.json).
int print_doctor_json(AppContext& context) {
    auto catalog = context.catalog();
    nlohmann::json user_catalogs = nlohmann::json::array();
    for (const auto& path : context.user_catalog_paths()) {
        user_catalogs.push_back(path.string());
    }
    const Paths& paths = context.paths();
    auto free = doctor_free_bytes(paths.data_home);
    const CredentialStore& credentials = context.credentials();
    const ProviderEndpoints& endpoints = context.endpoints();
    nlohmann::json rewrites = nlohmann::json::array();
    for (const auto& rule : endpoints.url_rewrites) {
        rewrites.push_back({{"from", RedactedUrl(rule.from).str()}, {"to", RedactedUrl(rule.to).str()}});
    }
    nlohmann::json proxies = nlohmann::json::object();
    for (const auto& [name, value] : doctor_proxies()) {
        proxies[name] = value;
    }
    std::string bundle = doctor_env("CURL_CA_BUNDLE");
    int exit = catalog ? 0 : exit_code(ErrorCode::invalid_catalog);
    nlohmann::json out = {{"version", version()},
                          {"libraries",
                           {{"curl", curl_version_text()},
                            {"openssl", openssl_version_text()},
                            {"libarchive", libarchive_version_text()}}},
                          {"catalog",
                           {{"builtin_version", std::string(embedded_catalog_version())},
                            {"builtin_datasets", embedded_catalog_files().size()},
                            {"loaded_datasets", catalog ? nlohmann::json((*catalog)->size()) : nlohmann::json()},
                            {"error", catalog ? nlohmann::json() : nlohmann::json(catalog.error().message())},
                            {"user_catalogs", user_catalogs}}},
                          {"paths",
                           {{"data", paths.data_home.string()},
                            {"data_free_bytes", free ? nlohmann::json(*free) : nlohmann::json()},
                            {"config", paths.config_home.string()}}},
                          {"credentials",
                           {{"kaggle", credential_json(credentials.kaggle())},
                            {"huggingface", credential_json(credentials.huggingface())},
                            {"physionet", credential_json(credentials.physionet())},
                            {"s3", s3_json()},
                            {"warnings", credentials.warnings()}}},
                          {"endpoints",
                           {{"zenodo", endpoints.zenodo},
                            {"physionet", endpoints.physionet},
                            {"kaggle", endpoints.kaggle},
                            {"huggingface", endpoints.huggingface},
                            {"idc", endpoints.idc},
                            {"idc_api", endpoints.idc_api},
                            {"tcia", endpoints.tcia},
                            {"tcia_nlst", endpoints.tcia_nlst},
                            {"url_rewrites", rewrites}}},
                          {"ca_bundle",
                           {{"path", bundle.empty() ? curl_default_ca_bundle() : bundle},
                            {"source", bundle.empty() ? "libcurl default" : "CURL_CA_BUNDLE"}}},
                          {"proxies", proxies},
                          {"private_install_warnings",
                           catalog ? private_install_warnings(context, **catalog) : std::vector<std::string>{}},
                          {"exit_code", exit}};
    std::cout << out.dump(2) << '\n';
    return exit;
}

struct DoctorOptions {
    std::string format = "text";
};

int run_doctor(AppContext& context, const DoctorOptions& options) {
    if (options.format == "json") {
        return print_doctor_json(context);
    }
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
    auto free = doctor_free_bytes(paths.data_home);
    std::cout << "data:   " << paths.data_home.string() << " (" << (free ? human_size(*free) + " free" : "unknown")
              << ")\n";
    std::cout << "config: " << paths.config_home.string() << '\n';
    if (catalog) {
        for (const auto& warning : private_install_warnings(context, **catalog)) {
            std::cout << "  warning: " << warning << '\n';
        }
    }
    std::cout << "credentials:\n";
    const CredentialStore& credentials = context.credentials();
    credential_line("kaggle", credentials.kaggle());
    credential_line("huggingface", credentials.huggingface());
    credential_line("physionet", credentials.physionet());
    s3_line();
    for (const auto& warning : credentials.warnings()) {
        std::cout << "  warning: " << warning << '\n';
    }
    const ProviderEndpoints& endpoints = context.endpoints();
    std::cout << "endpoints:\n"
              << "  zenodo " << endpoints.zenodo << "\n  physionet " << endpoints.physionet << "\n  kaggle "
              << endpoints.kaggle << "\n  huggingface " << endpoints.huggingface << "\n  idc " << endpoints.idc
              << "\n  idc api " << endpoints.idc_api << "\n  tcia " << endpoints.tcia << "\n  tcia nlst "
              << endpoints.tcia_nlst << '\n';
    for (const auto& rule : endpoints.url_rewrites) {
        std::cout << "  url rewrite (CXRCAT_URL_REWRITE) " << RedactedUrl(rule.from).str() << " -> "
                  << RedactedUrl(rule.to).str() << '\n';
    }
    std::string bundle = doctor_env("CURL_CA_BUNDLE");
    std::cout << "CA bundle: "
              << (bundle.empty() ? curl_default_ca_bundle() + " (libcurl default)" : bundle + " (CURL_CA_BUNDLE)")
              << '\n';
    auto proxies = doctor_proxies();
    std::cout << (proxies.empty() ? "proxy: none\n" : "proxy:\n");
    for (const auto& [name, value] : proxies) {
        std::cout << "  " << name << "=" << value << '\n';
    }
    return catalog ? 0 : exit_code(ErrorCode::invalid_catalog);
}

} // namespace

void add_doctor_command(CLI::App& app, AppContext& context) {
    auto [command, options] = add_command(
        app, context, "doctor",
        "Show version, catalogs, data and config paths, credentials found (masked), CA bundle and proxies", run_doctor);
    add_format_option(*command, options->format, {"text", "json"});
}

} // namespace cxrcat::cli
