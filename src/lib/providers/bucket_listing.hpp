// SPDX-License-Identifier: Apache-2.0
// Private: anonymous listing of one series prefix in an IDC public bucket, in the S3 ListObjectsV2
// XML form that both S3 and GCS answer (`GET /<bucket>?list-type=2&prefix=<uuid>/`).
#pragma once

#include "cxrcat/providers/provider.hpp"
#include "cxrcat/base/result.hpp"
#include "providers/parsers.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace cxrcat::providers {

// One page of a ListObjectsV2 answer.
struct S3ListingPage {
    std::vector<BucketObject> objects;   // md5 set only for a single-part ETag (32 hex, no "-N")
    std::string next_continuation_token; // "" unless IsTruncated
    bool truncated = false;
};

// Parses a ListObjectsV2 XML body: every <Contents> with <Key>, <Size> and <ETag> (XML entities
// such as &quot; decoded), <IsTruncated> and <NextContinuationToken>. Errors (network): not a
// ListBucketResult, or a <Contents> without a key.
[[nodiscard]] Result<S3ListingPage> parse_s3_listing(std::string_view body);

// The decoded text of the first <tag> element of an S3 XML answer (an <Error>'s <Code>, an
// <UploadId>), or "" when there is none.
[[nodiscard]] std::string s3_xml_text(std::string_view xml, std::string_view tag);

// The MD5 an S3 ETag stands for: the lowercase hex when the ETag (quotes removed) is exactly 32 hex
// characters; "" for a multipart ("<hex>-N") or otherwise opaque ETag.
[[nodiscard]] std::string md5_from_etag(std::string_view etag);

// The bucket name to use on the endpoint: the GCS name (gcs_bucket_for) unless the endpoint is
// an AWS S3 one, which serves the AWS names.
[[nodiscard]] std::string bucket_on_endpoint(const std::string& endpoint, std::string_view aws_bucket);

// Every object under "<series>/" in bucket (an AWS bucket name, mapped for the endpoint), pages
// followed through continuation tokens, zero-byte "<series>/" marker keys left out. first_only
// stops after one object (a probe). Errors: not_found (no bucket, or no object), access_denied,
// network (with "HTTP <status>" in the message), integrity (a key outside the prefix).
[[nodiscard]] Result<std::vector<BucketObject>> list_series_objects(const ProviderContext& context,
                                                                    const std::string& bucket,
                                                                    const std::string& series, bool first_only);

// The download URL of an object listed by list_series_objects.
[[nodiscard]] std::string bucket_object_url(const ProviderContext& context, const std::string& bucket,
                                            const std::string& name);

} // namespace cxrcat::providers
