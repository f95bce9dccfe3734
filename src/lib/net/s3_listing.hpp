// SPDX-License-Identifier: Apache-2.0
// Private: readers of S3's XML answers, shared by the S3 client and the IDC bucket listing.
#pragma once

#include "cxrcat/base/result.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cxrcat::net {

// One object of a bucket listing.
struct BucketObject {
    std::string name;
    std::optional<std::uint64_t> size;
    std::string md5; // lowercase hex; "" for composite objects (no md5Hash)
};

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

} // namespace cxrcat::net
