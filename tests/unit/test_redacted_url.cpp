// SPDX-License-Identifier: Apache-2.0
#include "cxrcat/base/redacted_url.hpp"

#include <gtest/gtest.h>

namespace cxrcat {
namespace {

TEST(RedactedUrl, HidesUserInfoAndSecretParameters) {
    EXPECT_EQ(RedactedUrl("https://user:pw@physionet.org/files/x?token=abc&page=2").str(),
              "https://***@physionet.org/files/x?token=***&page=2");
    EXPECT_EQ(RedactedUrl("https://b.s3.amazonaws.com/k?X-Amz-Credential=AKIA&X-Amz-Signature=ff&x-id=Get#f").str(),
              "https://b.s3.amazonaws.com/k?X-Amz-Credential=***&X-Amz-Signature=***&x-id=Get#f");
    EXPECT_EQ(RedactedUrl("https://storage.googleapis.com/b/o?X-Goog-Signature=1").str(),
              "https://storage.googleapis.com/b/o?X-Goog-Signature=***");
}

// Found by fuzzing (tests/fuzz/regressions/redacted_url): a trailing '&' was dropped, so the shown
// URL was not the one used and redacting it again changed it once more.
TEST(RedactedUrl, KeepsEverySeparatorAndIsIdempotent) {
    for (const char* url : {"exth?m1&&m1&=&&", "https://h/p?a=1&", "https://h/p?", "https://h/p?&token=x&&"}) {
        RedactedUrl once(url);
        EXPECT_EQ(RedactedUrl(once.str()).str(), once.str()) << url;
    }
    EXPECT_EQ(RedactedUrl("https://h/p?a=1&").str(), "https://h/p?a=1&");
    EXPECT_EQ(RedactedUrl("https://h/p?&token=x&&").str(), "https://h/p?&token=***&&");
    EXPECT_EQ(RedactedUrl("https://h/p?").str(), "https://h/p?");
}

TEST(RedactedUrl, OriginIsSchemeAndHostLowercased) {
    EXPECT_EQ(url_origin("HTTPS://User:pw@HuggingFace.co:443/api?x"), "https://huggingface.co:443");
    EXPECT_EQ(url_origin("no-scheme/path"), "");
}

} // namespace
} // namespace cxrcat
