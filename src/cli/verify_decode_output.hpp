// SPDX-License-Identifier: Apache-2.0
// How `verify --decode` prints a dataset's decode report: text lines, JSON rows, or catalog errata.
#pragma once

#include "cxrcat/decode/decode_verify.hpp"

#include <nlohmann/json.hpp>

namespace cxrcat::cli {

// Text: one line per file that is not ok (status, path, format, check, the library's words), then a
// summary line.
void print_decode_report(const DecodeReport& report);

// JSON: one row per image (schemas/verify-decode.schema.json, "images").
void add_decode_rows(const DecodeReport& report, nlohmann::json& rows);

// The report's counts as a JSON object ("summary" rows).
[[nodiscard]] nlohmann::json decode_summary(const DecodeReport& report);

// The catalog `errata` entries of the report's new failures, as a dataset file holds them.
[[nodiscard]] nlohmann::json errata_entries(const DecodeReport& report);

} // namespace cxrcat::cli
