// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "cxrcat/access/credentials.hpp"
#include "cxrcat/base/paths.hpp"
#include "cxrcat/base/result.hpp"
#include "cxrcat/catalog/catalog_loader.hpp"
#include "cxrcat/catalog/dataset_summary.hpp"
#include "cxrcat/providers/provider.hpp"

#include <optional>
#include <string>
#include <vector>

namespace cxrcat::cli {

// Options that every command accepts.
struct GlobalOptions {
    std::vector<std::string> catalogs; // --catalog, repeatable
    bool quiet = false;
    bool verbose = false;
};

// What the commands share: options, lazily loaded catalog and paths, and the exit code to return.
class AppContext {
  public:
    GlobalOptions options;
    int exit_code = 0;

    // Loads built-in + CXRCAT_CATALOG + --catalog once. Any problem is an invalid_catalog error whose
    // notes list every problem.
    Result<const Catalog*> catalog();
    // Every dataset's summary, in id order: the built-in catalog's were made at build time, so with
    // no user catalog nothing is parsed but them; with user catalogs, catalog() is loaded and summarised.
    Result<std::vector<DatasetSummary>> summaries();
    // The dataset with this id or alias, or a not_found error suggesting the nearest ids.
    Result<const Dataset*> dataset(std::string_view key);
    // The datasets of keys, in order, or the first unknown key's error (as dataset() makes it).
    Result<std::vector<const Dataset*>> datasets(const std::vector<std::string>& keys);
    const Paths& paths();
    // Provider base URLs from the environment, and the credentials found (read once).
    const ProviderEndpoints& endpoints();
    const CredentialStore& credentials();

    // Prints an Error as `cxrcat: error: ...` plus `note:` lines and returns its exit code.
    int fail(const Error& error) const;
    // Prints `cxrcat: warning: ...` to stderr.
    void warn(std::string_view message) const;
    // warn() for each of warnings, in order.
    void warn_all(const std::vector<std::string>& warnings) const;
    // Prints `cxrcat: note: ...` to stderr unless --quiet.
    void notice(std::string_view message) const;

    // The user catalog paths in effect: CXRCAT_CATALOG entries, then --catalog ones.
    [[nodiscard]] std::vector<std::filesystem::path> user_catalog_paths() const;

  private:
    std::optional<LoadedCatalog> m_loaded;
    std::optional<Paths> m_paths;
    std::optional<ProviderEndpoints> m_endpoints;
    std::optional<CredentialStore> m_credentials;
};

} // namespace cxrcat::cli
