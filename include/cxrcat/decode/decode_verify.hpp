// SPDX-License-Identifier: Apache-2.0
// `verify --decode`: every installed image of a dataset checked by its format on every core, each
// failure told apart as known (an erratum the catalog lists: the publisher's problem) or new (this
// copy's problem).
#pragma once

#include "cxrcat/base/paths.hpp"
#include "cxrcat/base/result.hpp"
#include "cxrcat/base/spelled_enum.hpp"
#include "cxrcat/catalog/dataset.hpp"
#include "cxrcat/decode/image_check.hpp"
#include "cxrcat/verify/verify.hpp"

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cxrcat {

struct DecodeOptions {
    unsigned threads = 0; // 0 = every core
    bool strict = false;  // content warnings fail the file too
};

// ok; warning (content sanity only); failed (new: exit 5); known (a listed erratum: exit 0).
enum class DecodeStatus { ok, warning, failed, known };
constexpr std::array<std::string_view, 4> spellings(DecodeStatus /*unused*/) {
    return {"ok", "warning", "failed", "known"};
}

struct DecodeItem {
    std::string path; // dataset-relative
    ImageCheck check;
    DecodeStatus status = DecodeStatus::ok;
    std::optional<Erratum> erratum; // the catalog's entry for this path, when it lists one
};

struct DecodeReport {
    std::string dataset_id;
    std::vector<DecodeItem> items; // image files only, sorted by path
    std::size_t skipped = 0;       // installed files that are not images

    // Items with status.
    [[nodiscard]] std::size_t count(DecodeStatus status) const;
    // No new failure.
    [[nodiscard]] bool ok() const { return count(DecodeStatus::failed) == 0; }
};

// find_erratum (the erratum a dataset lists for a path) is in cxrcat/catalog/dataset.hpp: `labels`
// drops errata rows too.

// Adds the content warning "declared: …" to a passed check whose bit depth or colour differs from the
// dataset's declared pixels (when it declares them and the format says them): NIH's RGBA PNGs among
// its 8-bit greys. A warning, a failure only under --strict.
void compare_with_declared(const Dataset& dataset, ImageCheck& check);

// What a check means for the run: failed unless erratum lists the file (then known); warnings are
// failures under strict.
[[nodiscard]] DecodeStatus decode_status(const ImageCheck& check, const Erratum* erratum, bool strict);

// Checks every installed image of dataset (under its lock); errors: nothing installed (not_found),
// the lock or the state unreadable.
[[nodiscard]] Result<DecodeReport> verify_decode(const Dataset& dataset, const Paths& paths,
                                                 const DecodeOptions& options = {});

// `verify --decode`: the digests of every installed file and the checks of every image, in one pass
// on every core that reads each image once for both (files up to 32 MiB; larger ones are read
// twice). Errors as verify_dataset's.
struct VerifyDecodeReport {
    VerifyReport files;
    DecodeReport images;
};
[[nodiscard]] Result<VerifyDecodeReport> verify_and_decode(const Dataset& dataset, const Paths& paths,
                                                           const DecodeOptions& options = {});

// Catalog errata entries for the report's new failures (problem from the failed check), each with
// source as its source: what `verify --decode --emit-errata` prints for a contributor.
[[nodiscard]] std::vector<Erratum> errata_from(const DecodeReport& report, const std::string& source);

} // namespace cxrcat
