// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "cxrcat/net/download.hpp"
#include "cxrcat/base/result.hpp"
#include "cxrcat/base/secret.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cxrcat {

// "s3://bucket/prefix" split into its parts; prefix has no leading or trailing '/' ("" for the root).
struct S3Location {
    std::string bucket;
    std::string prefix;

    // prefix + "/" + relative (or relative alone when the prefix is empty).
    [[nodiscard]] std::string key(std::string_view relative) const;
    // "s3://bucket/prefix", for messages.
    [[nodiscard]] std::string str() const;
};

// True when text starts with "s3://".
[[nodiscard]] bool is_s3_url(std::string_view text);

// True when text starts with "scheme://" for some scheme (a URL, not a local path).
[[nodiscard]] bool has_url_scheme(std::string_view text);

// Parses "s3://bucket[/prefix]". Errors (usage): not s3://, or a bucket name S3 would refuse.
[[nodiscard]] Result<S3Location> parse_s3_url(std::string_view text);

// Where S3 requests go and how they are signed, found the way the AWS CLI and SDKs find them:
//   credentials: AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY (+ AWS_SESSION_TOKEN), else the profile
//                AWS_PROFILE (default "default") in AWS_SHARED_CREDENTIALS_FILE (~/.aws/credentials),
//                then in AWS_CONFIG_FILE (~/.aws/config, section "[profile NAME]" or "[default]");
//                none at all means unsigned requests (public buckets);
//   region:      AWS_REGION, AWS_DEFAULT_REGION, the profile's `region`, else us-east-1;
//   endpoint:    AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL, the profile's `endpoint_url`, else AWS
//                (virtual-hosted https://BUCKET.s3.REGION.amazonaws.com); a set endpoint (MinIO,
//                Ceph radosgw, GCS interoperability) is addressed path-style, ENDPOINT/BUCKET/KEY.
struct S3Settings {
    std::string access_key_id;
    Secret secret_access_key;
    Secret session_token;
    std::string credentials_source; // "environment AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY", "profile x in FILE"
    std::string region = "us-east-1";
    std::string endpoint;              // "" = AWS
    bool request_payer = false;        // --request-payer: x-amz-request-payer: requester
    std::vector<std::string> warnings; // credential files readable by others, ...

    // True when requests are signed (credentials were found).
    [[nodiscard]] bool has_credentials() const { return !access_key_id.empty(); }
    // The HTTP(S) URL of an object (key percent-encoded except '/'); bucket root when key is "".
    [[nodiscard]] std::string object_url(const std::string& bucket, std::string_view key) const;
    // "credentials: <source> (access key <masked>)" or "no credentials: requests are unsigned".
    [[nodiscard]] std::string describe_credentials() const;
};

// Reads the environment and the AWS files now. Errors (access_denied): half a key pair in the
// environment, or an AWS_PROFILE that no file defines (the message names the variable or profile).
[[nodiscard]] Result<S3Settings> s3_settings_from_environment();

// How requests with these settings are signed (an empty key id when there are no credentials).
[[nodiscard]] AwsSigV4 aws_signing(const S3Settings& settings);

// The "access key" part of an access key id, masked like a secret ("****ABCD").
[[nodiscard]] std::string mask_access_key(std::string_view access_key_id);

} // namespace cxrcat
