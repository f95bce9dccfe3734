// SPDX-License-Identifier: Apache-2.0
// Private: anonymous listing of one series prefix in an IDC public bucket, in the S3 ListObjectsV2
// XML form that both S3 and GCS answer (`GET /<bucket>?list-type=2&prefix=<uuid>/`).
#pragma once

#include "cxrcat/base/result.hpp"
#include "cxrcat/providers/provider.hpp"
#include "net/s3_listing.hpp"
#include "providers/parsers.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace cxrcat::providers {

// The S3 XML readers live with the S3 client (net/s3_listing.hpp); the IDC listing uses them here.
using net::md5_from_etag;
using net::parse_s3_listing;
using net::s3_xml_text;
using net::S3ListingPage;

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
