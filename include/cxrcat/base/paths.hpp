// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <filesystem>
#include <string>

namespace cxrcat {

// Resolved locations, following the XDG conventions.
struct Paths {
    std::filesystem::path data_home;   // $CXRCAT_HOME, else $XDG_DATA_HOME/cxrcat, else ~/.local/share/cxrcat
    std::filesystem::path config_home; // $XDG_CONFIG_HOME/cxrcat, else ~/.config/cxrcat

    // Reads the environment. Relative XDG values are ignored, as the XDG spec asks.
    static Paths from_environment();

    // Where a dataset's files live: <data_home>/datasets/<id>.
    [[nodiscard]] std::filesystem::path dataset_dir(const std::string& id) const;
    // The accepted-terms ledger file.
    [[nodiscard]] std::filesystem::path terms_ledger() const;
};

} // namespace cxrcat
