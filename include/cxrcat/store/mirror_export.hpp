// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "cxrcat/catalog/dataset.hpp"
#include "cxrcat/base/paths.hpp"
#include "cxrcat/base/result.hpp"
#include "cxrcat/net/s3_settings.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace cxrcat {

struct MirrorExportReport {
    std::vector<std::string> datasets; // exported
    std::size_t files = 0;
    std::uint64_t bytes = 0;
    std::size_t objects_written = 0;   // content-addressed objects stored by this export
    std::size_t objects_present = 0;   // already in the mirror with the right size: skipped
    std::vector<std::string> warnings; // e.g. an archive deleted after extraction cannot be exported
};

// True when the dataset's terms allow copying it to a mirror outside the organisation.
[[nodiscard]] bool may_redistribute(const Dataset& dataset);

// Lays out the verified files of the installed datasets in content-addressed form, DIR/sha256/<hex>
// (and DIR/md5/<hex> where an md5 is known), hard-linked where possible, plus DIR/index.json.
// Refuses (access_denied) datasets whose terms forbid redistribution unless internal is set, in
// which case DIR/NOTICE.txt says the mirror must stay inside the organisation holding the rights.
[[nodiscard]] Result<MirrorExportReport> export_mirror(const std::filesystem::path& directory,
                                                       const std::vector<const Dataset*>& datasets, const Paths& paths,
                                                       bool internal);

// The same into an S3 bucket prefix: s3://bucket/prefix/sha256/<hex> (+ md5/<hex>, a server-side
// copy), index.json and NOTICE.txt beside them. Objects already there with the right size are
// skipped, so a rerun resumes; files from the multipart threshold up go as multipart uploads whose
// parts each carry their Content-MD5. Errors: not_found (no such bucket), access_denied (the
// credentials or the bucket's policy, naming where the credentials came from), network.
[[nodiscard]] Result<MirrorExportReport> export_mirror_to_s3(const S3Location& location, const S3Settings& settings,
                                                             const std::optional<std::filesystem::path>& ca_bundle,
                                                             const std::vector<const Dataset*>& datasets,
                                                             const Paths& paths, bool internal);

} // namespace cxrcat
