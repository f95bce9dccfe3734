// SPDX-License-Identifier: Apache-2.0
// Fuzzes URL redaction and url_origin: whatever the URL, the redacted form never shows the user info
// or the value of a secret query parameter.
#include "cxrcat/base/redacted_url.hpp"
#include "cxrcat/base/text.hpp"
#include "fuzz_support.hpp"

#include <string>

CXRCAT_FUZZ_TEXT_HARNESS(input) {
    RedactedUrl redacted(input);
    (void)url_origin(input);
    // Redacting twice changes nothing more: the redacted form is itself a safe URL.
    RedactedUrl again(redacted.str());
    fuzz_require(again.str() == redacted.str(), "redaction is idempotent");

    // A secret planted as user info and as a token parameter never survives.
    const std::string secret = "S3cr3tFuzzValue";
    std::string base(input.substr(0, input.find_first_of("?#")));
    if (base.find(secret) != std::string::npos) {
        return; // the input itself shows the value (say, as a host name): nothing was planted
    }
    std::size_t scheme = base.find("://");
    if (scheme != std::string::npos && base.find_first_of("/@", scheme + 3) == std::string::npos) {
        std::string with_user = base.substr(0, scheme + 3) + "user:" + secret + "@" + base.substr(scheme + 3);
        fuzz_require(RedactedUrl(with_user).str().find(secret) == std::string::npos, "user info is redacted");
    }
    std::string with_token = base + "?token=" + secret + "&X-Amz-Signature=" + secret;
    fuzz_require(RedactedUrl(with_token).str().find(secret) == std::string::npos, "secret parameters are redacted");
}
