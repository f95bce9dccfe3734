// SPDX-License-Identifier: Apache-2.0
#include "cxrcat/access/credentials.hpp"
#include "support/files.hpp"
#include "support/scoped_env.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <sys/stat.h>

namespace cxrcat {
namespace {

// Only the Kaggle lookup under test sees files: every other place is empty.
struct KaggleJsonOnly {
    test::TempDir home;
    test::ScopedEnv env;

    explicit KaggleJsonOnly(const std::string& kaggle_json) {
        for (const char* name : {"KAGGLE_API_TOKEN", "KAGGLE_USERNAME", "KAGGLE_KEY", "XDG_CONFIG_HOME"}) {
            env.unset(name);
        }
        env.set("HOME", home.path().string());
        env.set("KAGGLE_CONFIG_DIR", (home / "config").string());
        test::write_text_file(home / "config" / "kaggle.json", kaggle_json);
        (void)::chmod((home / "config" / "kaggle.json").c_str(), 0600);
    }
};

TEST(CredentialsKaggleJson, ReadsUsernameAndKey) {
    KaggleJsonOnly setup(R"({"username": "alice", "key": "0123abcd"})");
    auto store = CredentialStore::from_environment("physionet.org");
    ASSERT_TRUE(store.kaggle().has_value());
    EXPECT_EQ(store.kaggle()->user, "alice");
    EXPECT_EQ(store.kaggle()->kind, CredentialKind::kaggle_key);
}

// Found while writing the fuzz harnesses: a username that is not a string threw out of the lookup
// (nlohmann's value() throws on a type mismatch) and ended the process.
TEST(CredentialsKaggleJson, AFieldThatIsNotAStringIsIgnoredWithAWarning) {
    for (const char* text : {R"({"username": 7, "key": "k"})", R"({"username": "a", "key": ["k"]})",
                             R"({"username": null, "key": null})", "[]", "not json"}) {
        KaggleJsonOnly setup(text);
        auto store = CredentialStore::from_environment("physionet.org");
        EXPECT_FALSE(store.kaggle().has_value()) << text;
        ASSERT_FALSE(store.warnings().empty()) << text;
        EXPECT_NE(store.warnings().back().find("kaggle.json is not"), std::string::npos) << store.warnings().back();
    }
}

TEST(CredentialsNetrc, FindsTheMachineEntryOrTheDefault) {
    auto entry = find_netrc_entry("machine a.org login x password y\ndefault login anon password z", "physionet.org");
    ASSERT_TRUE(entry.has_value());
    EXPECT_EQ(entry->login, "anon");
    auto exact = find_netrc_entry("default login anon password z\nmachine physionet.org\n login bob password p",
                                  "physionet.org");
    ASSERT_TRUE(exact.has_value());
    EXPECT_EQ(exact->login, "bob");
    EXPECT_FALSE(find_netrc_entry("machine physionet.org password only", "physionet.org").has_value());
    EXPECT_FALSE(find_netrc_entry("machine", "machine").has_value());
}

} // namespace
} // namespace cxrcat
