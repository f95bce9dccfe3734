// SPDX-License-Identifier: Apache-2.0
// Private to fetch: `fetch --decode`, the image checks of `verify --decode` run before a file counts
// as installed. A file that fails is not installed, as with a digest mismatch, unless the catalog
// lists it as an erratum (the publisher's own damage: installed, with a note).
#pragma once

#include "cxrcat/base/error.hpp"
#include "cxrcat/catalog/dataset.hpp"
#include "cxrcat/plan/fetch_options.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace cxrcat {

// What checking one file before it is installed found.
struct DecodeVerdict {
    bool image = false;                // the file is an image of a format verify --decode checks
    std::string failure;               // "png truncated: <the library's words>"; "" = it opens (or no image)
    const Erratum* erratum = nullptr;  // the catalog's erratum for the path, when failure is set and one is listed
    std::vector<std::string> warnings; // content warnings ("constant: ...", "declared: ...")

    // It must not be installed: it fails and no erratum lists it.
    [[nodiscard]] bool refused() const { return !failure.empty() && erratum == nullptr; }
};

// Checks the image at file (the bytes that are to be dataset's `path`).
[[nodiscard]] DecodeVerdict decode_verdict(const Dataset& dataset, const std::string& path,
                                           const std::filesystem::path& file);

// The note for a failure a listed erratum excuses: "known erratum (<problem>, <source>): <failure>".
[[nodiscard]] std::string known_erratum_note(const DecodeVerdict& verdict);

// Checks the image at file (the bytes that are to be dataset's `path`): nullopt when it passes, is
// not an image, or fails as a listed erratum (a note in result says which); else the integrity
// error to fail the file with.
[[nodiscard]] std::optional<Error> decode_gate(const Dataset& dataset, const std::string& path,
                                               const std::filesystem::path& file, FileResult& result);

} // namespace cxrcat
