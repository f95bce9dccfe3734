// SPDX-License-Identifier: Apache-2.0
// Shared fixture of the CLI contract tests: runs the real cxrcat binary with HOME and every XDG and
// cxrcat directory pointed into a fresh temporary directory, so no test touches the real home.
#pragma once

#include "support/files.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace cxrcat::test {

// The words every CLI test uses, said once here.
namespace fs = std::filesystem;
using nlohmann::json;

// True when part occurs in text.
inline bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

class CliTest : public ::testing::Test {
  protected:
    CliTest()
        : m_env{{"HOME", (m_dir / "home").string()},
                {"XDG_CONFIG_HOME", (m_dir / "config").string()},
                {"XDG_DATA_HOME", (m_dir / "data").string()},
                {"CXRCAT_HOME", (m_dir / "cxrcat-home").string()}} {}

    // Runs cxrcat with args. extra_env is added to (or overrides) the fixture's variables; unset names
    // are removed from the child's environment. CXRCAT_CATALOG and COLUMNS are never inherited.
    ProcessResult cxrcat(const std::vector<std::string>& args, const std::map<std::string, std::string>& extra_env = {},
                         const std::vector<std::string>& unset = {}) const {
        std::vector<std::string> argv{CXRCAT_BINARY};
        argv.insert(argv.end(), args.begin(), args.end());
        std::map<std::string, std::string> env = m_env;
        for (const auto& [name, value] : extra_env) {
            env[name] = value;
        }
        std::vector<std::string> removed{"CXRCAT_CATALOG", "COLUMNS", "NO_COLOR"};
        for (const auto& name : unset) {
            env.erase(name);
            removed.push_back(name);
        }
        for (const auto& [name, value] : extra_env) {
            std::erase(removed, name);
        }
        return run_process(argv, env, removed);
    }

    // The ledger file `accept` writes under the fixture's XDG_CONFIG_HOME.
    [[nodiscard]] std::filesystem::path ledger_file() const {
        return m_dir / "config" / "cxrcat" / "accepted-terms.json";
    }

    // A built-in catalog entry as JSON, read from catalog/datasets/ in the source tree.
    static nlohmann::json builtin_entry(const std::string& id) {
        return nlohmann::json::parse(
            read_text_file(std::filesystem::path(CXRCAT_SOURCE_DIR) / "catalog" / "datasets" / (id + ".json")));
    }

    static std::filesystem::path fixture(const std::string& relative) {
        return std::filesystem::path(CXRCAT_FIXTURES_DIR) / relative;
    }

    TempDir m_dir;
    std::map<std::string, std::string> m_env;
};

} // namespace cxrcat::test
