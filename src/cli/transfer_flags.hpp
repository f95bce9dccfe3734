// SPDX-License-Identifier: Apache-2.0
// The download options fetch and sync share, bound to CLI flags in one place.
#pragma once

#include "app_context.hpp"
#include "cxrcat/fetch/fetch.hpp"

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace cxrcat::cli {

struct TransferFlags {
    int jobs = 4;
    bool accept_terms = false;
    std::string cacert;
    std::string progress = "auto";
    int retries = 5;
    int stall_timeout = 30;
    int segments = 4;
    std::vector<std::string> mirrors;
    bool no_origin = false;
    bool request_payer = false;
    bool no_extract = false;
    bool keep_archives = false;
    double max_expansion = 100.0;
    bool decode = false;
    std::string group;
    std::string limit_rate; // "" = no cap
    std::string to;         // --to s3://bucket/prefix ("" = under CXRCAT_HOME)
};

// Adds -j, --accept-terms, --cacert, --progress, --retries, --stall-timeout, --segments, --mirror,
// --request-payer, --no-origin, --no-extract, --keep-archives, --max-expansion, --decode, --group, --limit-rate and
// --to to command.
void add_transfer_flags(CLI::App& command, TransferFlags& flags);

// Adds --format text|json for what a transfer did (json: a record per file and a summary).
void add_result_format_option(CLI::App& command, std::string& format);

// The library options the flags and the environment (CURL_CA_BUNDLE, CXRCAT_MIRRORS,
// CXRCAT_NO_ORIGIN, CXRCAT_RETRY_BASE_MS, CXRCAT_SEGMENT_THRESHOLD, CXRCAT_RANGE_ONLY_ABOVE) describe.
[[nodiscard]] FetchOptions make_fetch_options(AppContext& context, const TransferFlags& flags);

} // namespace cxrcat::cli
