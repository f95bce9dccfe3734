// SPDX-License-Identifier: Apache-2.0
#include "transfer_flags.hpp"

#include "commands.hpp"
#include "cxrcat/base/text.hpp"
#include "cxrcat/base/version.hpp"

#include <cstdlib>

namespace cxrcat::cli {

namespace {

std::string env(const char* name) {
    const char* value = std::getenv(name); // NOLINT(concurrency-mt-unsafe): read before threads start
    return value ? value : "";
}

// CXRCAT_MIRRORS: URLs separated by spaces or commas.
std::vector<std::string> split_mirrors(const std::string& text) {
    std::vector<std::string> out;
    std::string current;
    for (char c : text) {
        if (c == ' ' || c == ',' || c == '\t' || c == '\n') {
            if (!current.empty()) {
                out.push_back(current);
                current.clear();
            }
        } else {
            current.push_back(c);
        }
    }
    if (!current.empty()) {
        out.push_back(current);
    }
    return out;
}

// --limit-rate: a rate parse_rate reads.
CLI::Validator rate_validator() {
    return {[](const std::string& text) {
                return parse_rate(text) ? std::string{}
                                        : "not a rate: '" + text + "' (a number of bytes per second, with K, M or G)";
            },
            "RATE"};
}

// --to: the store installs go to, when it is not the local one under CXRCAT_HOME.
void add_store_flag(CLI::App& command, std::string& to) {
    add_typed_option(command, "--to", to, "s3://BUCKET/PREFIX",
                     "Install into an S3 bucket instead of CXRCAT_HOME: each dataset under PREFIX/ID/, verified before "
                     "any object is completed, with no local copy; archives are stored as they are, not extracted "
                     "(AWS credentials, region and endpoint from the environment, as for s3:// mirrors)");
}

} // namespace

void add_transfer_flags(CLI::App& command, TransferFlags& flags) {
    add_range_option(command, "-j,--jobs", flags.jobs, 1, 64,
                     "Parallel transfers (also the per-host connection limit)");
    command.add_flag("--accept-terms", flags.accept_terms,
                     "Accept the datasets' terms now (recorded as with 'cxrcat accept')");
    add_file_option(command, "--cacert", flags.cacert,
                    "CA bundle to trust for HTTPS (default: CURL_CA_BUNDLE, else the system's)");
    add_choice_option(command, "--progress", flags.progress,
                      "Progress on stderr (auto: a bar on a terminal, else none)", {"auto", "bar", "json", "none"})
        ->capture_default_str();
    add_range_option(command, "--retries", flags.retries, 0, 50, "Retries per file for transient failures");
    add_range_option(command, "--stall-timeout", flags.stall_timeout, 1, 3600,
                     "Seconds below 1 KB/s after which a transfer counts as stalled and is retried");
    add_range_option(command, "--segments", flags.segments, 1, 16,
                     "Connections for one slow large file from a server that accepts ranges (1 = never split)");
    add_typed_option(command, "--mirror", flags.mirrors, "URL",
                     "Mirror tried before the origin, looked up by content: URL/sha256/<hex> or URL/md5/<hex>; "
                     "URL may be s3://BUCKET/PREFIX (AWS credentials and endpoint from the environment) "
                     "(repeatable; also CXRCAT_MIRRORS, space- or comma-separated)");
    command.add_flag("--request-payer", flags.request_payer,
                     "Requests to s3:// mirrors agree to pay for them (x-amz-request-payer: requester)");
    command.add_flag("--no-origin", flags.no_origin,
                     "Never contact upstream servers, only mirrors (also CXRCAT_NO_ORIGIN=1)");
    command.add_flag("--no-extract", flags.no_extract, "Keep archives as they are instead of unpacking them");
    add_typed_option(command, "--max-expansion", flags.max_expansion, "RATIO",
                     "Let an archive whose extracted size the catalog does not state unpack to RATIO times its own "
                     "size before it is refused as a compression bomb (default 100; sparse masks compress further)")
        ->check(CLI::PositiveNumber);
    command.add_flag("--decode", flags.decode,
                     "Check that every downloaded image, and every image unpacked from an archive, opens (as verify "
                     "--decode) before installing it; one that does not is not installed unless the catalog lists it "
                     "as an erratum (not with --to: a bucket install keeps no local copy to check)");
    add_typed_option(command, "--group", flags.group, "GROUP",
                     "Give the install to this Unix group (setgid, group-writable directories) so a lab shares one "
                     "copy (also CXRCAT_GROUP)");
    add_typed_option(command, "--limit-rate", flags.limit_rate, "RATE",
                     "Cap the total receive rate of all connections together, in bytes per second: 50M, 512K, "
                     "1.5G (K, M, G are powers of 1024, as in curl)")
        ->check(rate_validator());
    add_store_flag(command, flags.to);
    command.add_flag("--keep-archives", flags.keep_archives,
                     "Keep each archive after unpacking it (needed to export it to a mirror)");
}

void add_result_format_option(CLI::App& command, std::string& format) {
    add_format_option(command, format, {"text", "json"},
                      "Result output: text, or json (a record per file and a summary)");
}

FetchOptions make_fetch_options(AppContext& context, const TransferFlags& flags) {
    FetchOptions out;
    out.extract = !flags.no_extract;
    out.keep_archives = flags.keep_archives || flags.no_extract;
    out.max_expansion = flags.max_expansion;
    out.decode = flags.decode;
    out.download.jobs = flags.jobs;
    out.download.per_host = flags.jobs;
    out.download.retry.max_attempts = flags.retries + 1;
    out.download.stall_time = std::chrono::seconds(flags.stall_timeout);
    out.download.max_segments = flags.segments;
    out.download.max_receive_rate = parse_rate(flags.limit_rate).value_or(0);
    out.download.user_agent = user_agent();
    if (!flags.cacert.empty()) {
        out.download.ca_bundle = flags.cacert;
    } else if (std::string bundle = env("CURL_CA_BUNDLE"); !bundle.empty()) {
        out.download.ca_bundle = bundle;
    }
    // Tuning knobs for slow links and for tests.
    if (std::string base = env("CXRCAT_RETRY_BASE_MS"); !base.empty()) {
        out.download.retry.base_delay = std::chrono::milliseconds(std::strtol(base.c_str(), nullptr, 10));
    }
    if (std::string threshold = env("CXRCAT_SEGMENT_THRESHOLD"); !threshold.empty()) {
        out.download.segment_threshold = std::strtoull(threshold.c_str(), nullptr, 10);
    }
    if (std::string above = env("CXRCAT_RANGE_ONLY_ABOVE"); !above.empty()) {
        out.download.range_only_above = std::strtoull(above.c_str(), nullptr, 10);
    }
    out.mirrors = flags.mirrors;
    for (auto& mirror : split_mirrors(env("CXRCAT_MIRRORS"))) {
        out.mirrors.push_back(std::move(mirror));
    }
    out.request_payer = flags.request_payer;
    out.to = flags.to;
    out.no_origin = flags.no_origin || env("CXRCAT_NO_ORIGIN") == "1";
    if (std::string group = flags.group.empty() ? env("CXRCAT_GROUP") : flags.group; !group.empty()) {
        out.group = group;
    }
    out.providers.endpoints = context.endpoints();
    out.providers.credentials = &context.credentials();
    out.providers.ca_bundle = out.download.ca_bundle;
    out.providers.retry = out.download.retry;
    out.providers.user_agent = out.download.user_agent;
    out.catalog_sha256 = context.catalog() ? (*context.catalog())->digest() : "";
    return out;
}

} // namespace cxrcat::cli
