// SPDX-License-Identifier: Apache-2.0
#include "cxrcat/providers/provider.hpp"
#include "support/scoped_env.hpp"

#include <gtest/gtest.h>

namespace cxrcat {
namespace {

class ProviderEndpointsTest : public ::testing::Test {
  protected:
    void SetUp() override {
        for (const char* name : {"CXRCAT_ZENODO_URL", "CXRCAT_PHYSIONET_URL", "CXRCAT_KAGGLE_URL", "HF_ENDPOINT",
                                 "CXRCAT_IDC_URL", "CXRCAT_URL_REWRITE", "CXRCAT_TCIA_URL", "CXRCAT_TCIA_NLST_URL"}) {
            m_env.unset(name);
        }
    }

    test::ScopedEnv m_env;
};

TEST_F(ProviderEndpointsTest, DefaultsAreTheProvidersOwnHosts) {
    ProviderEndpoints endpoints = ProviderEndpoints::from_environment();
    EXPECT_EQ(endpoints.zenodo, "https://zenodo.org");
    EXPECT_EQ(endpoints.huggingface, "https://huggingface.co");
    EXPECT_TRUE(endpoints.url_rewrites.empty());
    EXPECT_EQ(endpoints.rewrite("https://example.org/a.zip"), "https://example.org/a.zip");
}

TEST_F(ProviderEndpointsTest, NlstHasItsOwnNbiaHostOverriddenByItsOwnVariable) {
    ProviderEndpoints defaults = ProviderEndpoints::from_environment();
    EXPECT_EQ(defaults.tcia, "https://services.cancerimagingarchive.net/nbia-api/services/v4");
    EXPECT_EQ(defaults.tcia_nlst, "https://nlst.cancerimagingarchive.net/nbia-api/services/v4");
    m_env.set("CXRCAT_TCIA_NLST_URL", "http://127.0.0.1:9/nlst/nbia-api/services/v4");
    ProviderEndpoints overridden = ProviderEndpoints::from_environment();
    EXPECT_EQ(overridden.tcia_nlst, "http://127.0.0.1:9/nlst/nbia-api/services/v4");
    EXPECT_EQ(overridden.tcia, defaults.tcia) << "CXRCAT_TCIA_NLST_URL must not move the main host";
}

TEST_F(ProviderEndpointsTest, BaseUrlsLoseTrailingSlashes) {
    m_env.set("HF_ENDPOINT", "http://127.0.0.1:9/");
    EXPECT_EQ(ProviderEndpoints::from_environment().huggingface, "http://127.0.0.1:9");
}

TEST_F(ProviderEndpointsTest, UrlRewritesApplyTheLongestMatchingPrefix) {
    m_env.set("CXRCAT_URL_REWRITE", "  https://a.example/=http://127.0.0.1:1/all/\n"
                                    "https://a.example/deep/=http://127.0.0.1:2/deep/ ignored-without-equals =x ");
    ProviderEndpoints endpoints = ProviderEndpoints::from_environment();
    ASSERT_EQ(endpoints.url_rewrites.size(), 2U);
    EXPECT_EQ(endpoints.rewrite("https://a.example/x/y.zip"), "http://127.0.0.1:1/all/x/y.zip");
    EXPECT_EQ(endpoints.rewrite("https://a.example/deep/z.zip"), "http://127.0.0.1:2/deep/z.zip");
    EXPECT_EQ(endpoints.rewrite("https://b.example/a.example/"), "https://b.example/a.example/");
}

TEST_F(ProviderEndpointsTest, ATargetMayContainEquals) {
    m_env.set("CXRCAT_URL_REWRITE", "https://a.example/=http://127.0.0.1:1/get?file=");
    EXPECT_EQ(ProviderEndpoints::from_environment().rewrite("https://a.example/x.zip"),
              "http://127.0.0.1:1/get?file=x.zip");
}

} // namespace
} // namespace cxrcat
