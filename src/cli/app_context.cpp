// SPDX-License-Identifier: Apache-2.0
#include "app_context.hpp"

#include "builtin_summaries.hpp"

#include <cstdlib>
#include <iostream>

namespace cxrcat::cli {

std::vector<std::filesystem::path> AppContext::user_catalog_paths() const {
    std::vector<std::filesystem::path> paths;
    if (const char* env = std::getenv("CXRCAT_CATALOG")) { // NOLINT(concurrency-mt-unsafe)
        paths = split_catalog_path_list(env);
    }
    for (const auto& path : options.catalogs) {
        paths.emplace_back(path);
    }
    return paths;
}

Result<const Catalog*> AppContext::catalog() {
    if (!m_loaded) {
        m_loaded = load_catalog(CatalogSources{true, user_catalog_paths()});
        for (const auto& notice_text : m_loaded->notices) {
            notice(notice_text);
        }
    }
    if (!m_loaded->ok()) {
        std::vector<std::string> notes;
        for (const auto& problem : m_loaded->problems) {
            notes.push_back(problem.to_string());
        }
        notes.emplace_back("run 'cxrcat catalog validate' to check catalog files");
        return Error(ErrorCode::invalid_catalog,
                     "the catalog is invalid (" + std::to_string(m_loaded->problems.size()) + " problem" +
                         (m_loaded->problems.size() == 1 ? "" : "s") + ")",
                     std::move(notes));
    }
    return &m_loaded->catalog;
}

Result<std::vector<DatasetSummary>> AppContext::summaries() {
    if (user_catalog_paths().empty()) {
        return summaries_from_json(builtin_summaries_json());
    }
    auto loaded = catalog();
    if (!loaded) {
        return loaded.error();
    }
    return summarize(**loaded);
}

Result<const Dataset*> AppContext::dataset(std::string_view key) {
    auto loaded = catalog();
    if (!loaded) {
        return loaded.error();
    }
    if (const Dataset* found = (*loaded)->find(key)) {
        return found;
    }
    Error error(ErrorCode::not_found, "unknown dataset '" + std::string(key) + "'");
    auto suggestions = (*loaded)->suggest(key);
    if (!suggestions.empty()) {
        std::string list;
        for (const auto& id : suggestions) {
            list += (list.empty() ? "" : ", ") + id;
        }
        error.note("did you mean: " + list + "?");
    }
    error.note("run 'cxrcat list --format ids' to see every dataset id");
    return error;
}

Result<std::vector<const Dataset*>> AppContext::datasets(const std::vector<std::string>& keys) {
    std::vector<const Dataset*> out;
    for (const auto& key : keys) {
        auto found = dataset(key);
        if (!found) {
            return found.error();
        }
        out.push_back(*found);
    }
    return out;
}

const Paths& AppContext::paths() {
    if (!m_paths) {
        m_paths = Paths::from_environment();
    }
    return *m_paths;
}

const ProviderEndpoints& AppContext::endpoints() {
    if (!m_endpoints) {
        m_endpoints = ProviderEndpoints::from_environment();
    }
    return *m_endpoints;
}

const CredentialStore& AppContext::credentials() {
    if (!m_credentials) {
        m_credentials = CredentialStore::from_environment(endpoints().physionet_host());
        for (const auto& warning : m_credentials->warnings()) {
            warn(warning);
        }
    }
    return *m_credentials;
}

int AppContext::fail(const Error& error) const {
    std::cerr << "cxrcat: error: " << error.message() << '\n';
    for (const auto& note : error.notes()) {
        std::cerr << "note: " << note << '\n';
    }
    return cxrcat::exit_code(error.code());
}

void AppContext::warn(std::string_view message) const {
    std::cerr << "cxrcat: warning: " << message << '\n';
}

void AppContext::warn_all(const std::vector<std::string>& warnings) const {
    for (const auto& warning : warnings) {
        warn(warning);
    }
}

void AppContext::notice(std::string_view message) const {
    if (!options.quiet) {
        std::cerr << "cxrcat: note: " << message << '\n';
    }
}

} // namespace cxrcat::cli
