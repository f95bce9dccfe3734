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

namespace cxrcat {

// Checks the image at file (the bytes that are to be dataset's `path`): nullopt when it passes, is
// not an image, or fails as a listed erratum (a note in result says which); else the integrity
// error to fail the file with.
[[nodiscard]] std::optional<Error> decode_gate(const Dataset& dataset, const std::string& path,
                                               const std::filesystem::path& file, FileResult& result);

} // namespace cxrcat
