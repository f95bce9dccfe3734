// SPDX-License-Identifier: Apache-2.0
// s3:// URLs and the AWS conventions for credentials, region and endpoint (include/cxrcat/s3_settings.hpp).
#include "cxrcat/net/s3_settings.hpp"
#include "support/files.hpp"
#include "support/scoped_env.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

namespace cxrcat::test {
namespace {

// Every AWS variable unset, HOME in a temporary directory (no ~/.aws of the developer's).
class S3SettingsTest : public ::testing::Test {
  protected:
    S3SettingsTest() {
        for (const char* name : {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE",
                                 "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3",
                                 "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"}) {
            m_env.unset(name);
        }
        m_env.set("HOME", m_dir.path().string());
    }

    TempDir m_dir;
    ScopedEnv m_env;
};

TEST(S3Url, SplitsBucketAndPrefix) {
    auto location = parse_s3_url("s3://team-bucket/a/b/");
    ASSERT_TRUE(location);
    EXPECT_EQ(location->bucket, "team-bucket");
    EXPECT_EQ(location->prefix, "a/b");
    EXPECT_EQ(location->key("sha256/ff"), "a/b/sha256/ff");
    EXPECT_EQ(location->str(), "s3://team-bucket/a/b");
    auto root = parse_s3_url("s3://team-bucket");
    ASSERT_TRUE(root);
    EXPECT_EQ(root->key("index.json"), "index.json");
    EXPECT_FALSE(parse_s3_url("s3://x/m"));
    EXPECT_FALSE(parse_s3_url("s3:///m"));
    EXPECT_EQ(parse_s3_url("gs://bucket/m").error().code(), ErrorCode::usage);
    EXPECT_TRUE(has_url_scheme("gs://b/m"));
    EXPECT_FALSE(has_url_scheme("./dir/m"));
    EXPECT_FALSE(has_url_scheme("/tmp/a://b"));
}

TEST_F(S3SettingsTest, NoCredentialsMeansUnsignedAwsVirtualHosted) {
    auto settings = s3_settings_from_environment();
    ASSERT_TRUE(settings);
    EXPECT_FALSE(settings->has_credentials());
    EXPECT_EQ(settings->region, "us-east-1");
    EXPECT_EQ(settings->object_url("bkt", "a b/c+d"), "https://bkt.s3.us-east-1.amazonaws.com/a%20b/c%2Bd");
    EXPECT_EQ(aws_signing(*settings).access_key_id, "");
}

TEST_F(S3SettingsTest, EnvironmentKeysRegionAndEndpointArePathStyle) {
    m_env.set("AWS_ACCESS_KEY_ID", "AKIAEXAMPLE123456789");
    m_env.set("AWS_SECRET_ACCESS_KEY", "secret-value-never-shown");
    m_env.set("AWS_SESSION_TOKEN", "token-value");
    m_env.set("AWS_DEFAULT_REGION", "eu-west-1");
    m_env.set("AWS_REGION", "eu-central-1");
    m_env.set("AWS_ENDPOINT_URL", "http://127.0.0.1:9000/");
    m_env.set("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:9001");
    auto settings = s3_settings_from_environment();
    ASSERT_TRUE(settings);
    EXPECT_EQ(settings->region, "eu-central-1") << "AWS_REGION wins over AWS_DEFAULT_REGION";
    EXPECT_EQ(settings->object_url("bkt", "m/sha256/ab"), "http://127.0.0.1:9001/bkt/m/sha256/ab");
    EXPECT_EQ(settings->session_token.reveal(), "token-value");
    std::string described = settings->describe_credentials();
    EXPECT_NE(described.find("AWS_ACCESS_KEY_ID"), std::string::npos) << described;
    EXPECT_EQ(described.find("AKIAEXAMPLE123456789"), std::string::npos) << described;
    EXPECT_EQ(described.find("secret-value"), std::string::npos) << described;
}

TEST_F(S3SettingsTest, HalfAKeyPairNamesTheMissingVariable) {
    m_env.set("AWS_ACCESS_KEY_ID", "AKIAEXAMPLE123456789");
    auto settings = s3_settings_from_environment();
    ASSERT_FALSE(settings);
    EXPECT_EQ(settings.error().code(), ErrorCode::access_denied);
    EXPECT_NE(settings.error().message().find("AWS_SECRET_ACCESS_KEY is not"), std::string::npos);
}

TEST_F(S3SettingsTest, ProfileFromCredentialsAndConfigFiles) {
    write_text_file(m_dir.path() / ".aws" / "credentials",
                    "[default]\naws_access_key_id = DEFAULTKEY0000000\naws_secret_access_key = d\n"
                    "# a comment\n[lab]\naws_access_key_id=LABKEY000000000000\naws_secret_access_key = lab-secret\n");
    write_text_file(m_dir.path() / ".aws" / "config",
                    "[default]\nregion = us-west-2\n[profile lab]\nregion = ap-south-1\nendpoint_url = "
                    "http://127.0.0.1:7480\n");
    m_env.set("AWS_PROFILE", "lab");
    auto settings = s3_settings_from_environment();
    ASSERT_TRUE(settings);
    EXPECT_EQ(settings->access_key_id, "LABKEY000000000000");
    EXPECT_EQ(settings->secret_access_key.reveal(), "lab-secret");
    EXPECT_EQ(settings->region, "ap-south-1");
    EXPECT_EQ(settings->object_url("b1b", "k"), "http://127.0.0.1:7480/b1b/k");
    EXPECT_NE(settings->credentials_source.find("profile lab"), std::string::npos);

    m_env.set("AWS_PROFILE", "nobody");
    auto unknown = s3_settings_from_environment();
    ASSERT_FALSE(unknown);
    EXPECT_EQ(unknown.error().code(), ErrorCode::access_denied);
    EXPECT_NE(unknown.error().message().find("AWS_PROFILE=nobody"), std::string::npos);

    m_env.unset("AWS_PROFILE");
    auto fallback = s3_settings_from_environment();
    ASSERT_TRUE(fallback);
    EXPECT_EQ(fallback->access_key_id, "DEFAULTKEY0000000");
    EXPECT_EQ(fallback->region, "us-west-2");
}

} // namespace
} // namespace cxrcat::test
