// SPDX-License-Identifier: Apache-2.0
#include "cxrcat/base/paths.hpp"
#include "support/scoped_env.hpp"

#include <gtest/gtest.h>

#include <filesystem>

namespace cxrcat {
namespace {

namespace fs = std::filesystem;

// Every test starts from an environment with none of the variables paths.cpp reads, and the
// ScopedEnv puts the real values back afterwards.
class PathsTest : public ::testing::Test {
  protected:
    void SetUp() override {
        for (const char* name : {"CXRCAT_HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "HOME"}) {
            m_env.unset(name);
        }
        m_env.set("HOME", "/home/tester");
    }

    // The directories under HOME=/home/tester when no CXRCAT_HOME or XDG value counts.
    static void expect_home_defaults(const Paths& paths) {
        EXPECT_EQ(paths.data_home, fs::path("/home/tester/.local/share/cxrcat"));
        EXPECT_EQ(paths.config_home, fs::path("/home/tester/.config/cxrcat"));
    }

    test::ScopedEnv m_env;
};

TEST_F(PathsTest, HomeFallback) {
    expect_home_defaults(Paths::from_environment());
}

TEST_F(PathsTest, XdgDataHome) {
    m_env.set("XDG_DATA_HOME", "/xdg/data");
    EXPECT_EQ(Paths::from_environment().data_home, fs::path("/xdg/data/cxrcat"));
}

TEST_F(PathsTest, XdgConfigHome) {
    m_env.set("XDG_CONFIG_HOME", "/xdg/config");
    Paths paths = Paths::from_environment();
    EXPECT_EQ(paths.config_home, fs::path("/xdg/config/cxrcat"));
    EXPECT_EQ(paths.terms_ledger(), fs::path("/xdg/config/cxrcat/accepted-terms.json"));
}

TEST_F(PathsTest, CxrcatHomeWinsOverXdg) {
    m_env.set("XDG_DATA_HOME", "/xdg/data");
    m_env.set("CXRCAT_HOME", "/srv/cxrcat");
    Paths paths = Paths::from_environment();
    EXPECT_EQ(paths.data_home, fs::path("/srv/cxrcat"));
    EXPECT_EQ(paths.dataset_dir("jsrt"), fs::path("/srv/cxrcat/datasets/jsrt"));
    // CXRCAT_HOME is about data only; the ledger stays in the config directory.
    EXPECT_EQ(paths.config_home, fs::path("/home/tester/.config/cxrcat"));
}

TEST_F(PathsTest, RelativeCxrcatHomeIsMadeAbsolute) {
    m_env.set("CXRCAT_HOME", "relative/data");
    EXPECT_EQ(Paths::from_environment().data_home, fs::current_path() / "relative/data");
}

TEST_F(PathsTest, RelativeXdgValuesAreIgnored) {
    m_env.set("XDG_DATA_HOME", "relative/data");
    m_env.set("XDG_CONFIG_HOME", "relative/config");
    expect_home_defaults(Paths::from_environment());
}

TEST_F(PathsTest, EmptyValuesCountAsUnset) {
    m_env.set("CXRCAT_HOME", "");
    m_env.set("XDG_DATA_HOME", "");
    m_env.set("XDG_CONFIG_HOME", "");
    expect_home_defaults(Paths::from_environment());
}

TEST_F(PathsTest, DatasetDirAndLedgerLayout) {
    m_env.set("XDG_DATA_HOME", "/d");
    m_env.set("XDG_CONFIG_HOME", "/c");
    Paths paths = Paths::from_environment();
    EXPECT_EQ(paths.dataset_dir("nih-cxr14"), fs::path("/d/cxrcat/datasets/nih-cxr14"));
    EXPECT_EQ(paths.terms_ledger(), fs::path("/c/cxrcat/accepted-terms.json"));
}

TEST(ScopedEnv, RestoresPreviousValues) {
    const char* name = "CXRCAT_TEST_SCOPED_ENV";
    {
        test::ScopedEnv outer;
        outer.set(name, "before");
        {
            test::ScopedEnv inner;
            inner.set(name, "during");
            EXPECT_STREQ(std::getenv(name), "during"); // NOLINT(concurrency-mt-unsafe)
            inner.unset(name);
            EXPECT_EQ(std::getenv(name), nullptr); // NOLINT(concurrency-mt-unsafe)
        }
        EXPECT_STREQ(std::getenv(name), "before"); // NOLINT(concurrency-mt-unsafe)
    }
    EXPECT_EQ(std::getenv(name), nullptr); // NOLINT(concurrency-mt-unsafe)
}

} // namespace
} // namespace cxrcat
