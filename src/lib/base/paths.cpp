// SPDX-License-Identifier: Apache-2.0
#include "cxrcat/base/paths.hpp"

#include <cstdlib>

namespace cxrcat {

namespace {

// An environment variable's value, or "" when unset.
std::string env(const char* name) {
    const char* value = std::getenv(name); // NOLINT(concurrency-mt-unsafe): read before any thread starts
    return value ? value : "";
}

// XDG: a relative or empty value is invalid and must be ignored.
std::filesystem::path xdg_dir(const char* variable, const std::filesystem::path& fallback_under_home) {
    std::filesystem::path value = env(variable);
    if (!value.empty() && value.is_absolute()) {
        return value;
    }
    std::string home = env("HOME");
    return std::filesystem::path(home.empty() ? "/" : home) / fallback_under_home;
}

} // namespace

Paths Paths::from_environment() {
    Paths paths;
    std::filesystem::path cxrcat_home = env("CXRCAT_HOME");
    paths.data_home = !cxrcat_home.empty() ? std::filesystem::absolute(cxrcat_home)
                                           : xdg_dir("XDG_DATA_HOME", ".local/share") / "cxrcat";
    paths.config_home = xdg_dir("XDG_CONFIG_HOME", ".config") / "cxrcat";
    return paths;
}

std::filesystem::path Paths::dataset_dir(const std::string& id) const {
    return data_home / "datasets" / id;
}

std::filesystem::path Paths::terms_ledger() const {
    return config_home / "accepted-terms.json";
}

} // namespace cxrcat
