// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "cxrcat/plan/fetch_options.hpp"
#include "cxrcat/base/result.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cxrcat {

// Input formats of external download engines that `cxrcat plan` writes.
enum class PlanFormat {
    aria2, // aria2c --input-file: URL, then "  out=PATH" and "  checksum=sha-256=HEX" (or md5)
    s5cmd, // s5cmd run: "cp s3://bucket/key PATH" (bucket sources only)
    tsv,   // Google Storage Transfer Service URL list: TsvHttpData-1.0, then URL, size, base64 MD5
    urls,  // one URL per line
    json,  // every selected file: path, redacted URL, size, digests, status
};

[[nodiscard]] std::optional<PlanFormat> parse_plan_format(std::string_view text);

// Renders the files of plans still to download (json: every selected file) in format. A plan never
// holds a secret. Errors: access_denied when a file's requests need credentials (an auth header,
// basic auth, a token in the URL), which the format cannot carry without writing the secret into it;
// usage for an s5cmd plan of files that do not come from a bucket, or a TSV plan of files whose size
// Storage Transfer Service would need.
[[nodiscard]] Result<std::string> render_plans(const std::vector<FetchPlan>& plans, PlanFormat format);

} // namespace cxrcat
