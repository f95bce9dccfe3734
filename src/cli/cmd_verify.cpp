// SPDX-License-Identifier: Apache-2.0
// `cxrcat verify ID...`: re-hash every installed file on every core; with --decode also check that
// every image opens. Exit 5 when any file is bad (a known erratum is not).
#include "commands.hpp"
#include "cxrcat/base/text.hpp"
#include "cxrcat/decode/decode_verify.hpp"
#include "cxrcat/verify/verify.hpp"
#include "verify_decode_output.hpp"

#include <iostream>

namespace cxrcat::cli {

namespace {

struct VerifyOptions {
    std::vector<std::string> ids;
    std::string format = "text";
    unsigned threads = 0;
    bool decode = false;
    bool strict = false;
    bool emit_errata = false;
};

// What the run prints in json or --emit-errata mode, gathered over the datasets.
struct VerifyOutput {
    nlohmann::json files = nlohmann::json::array();
    nlohmann::json images = nlohmann::json::array();
    nlohmann::json summary = nlohmann::json::array();
    nlohmann::json errata = nlohmann::json::array();
};

// Prints one dataset's bad files (or adds every file to files for json): the count of bad files.
std::size_t report_files(const VerifyReport& report, const VerifyOptions& options, VerifyOutput& output) {
    std::size_t bad = 0;
    for (const auto& item : report.items) {
        bad += item.status == VerifyStatus::ok ? 0 : 1;
        if (options.format == "json") {
            output.files.push_back({{"dataset", report.dataset_id},
                                    {"path", item.path},
                                    {"status", to_string(item.status)},
                                    {"detail", item.detail}});
        } else if (item.status != VerifyStatus::ok && !options.emit_errata) {
            std::cout << to_string(item.status) << "  " << report.dataset_id << "/" << item.path << "  " << item.detail
                      << '\n';
        }
    }
    if (options.format != "json" && !options.emit_errata) {
        std::cout << report.dataset_id << ": " << report.items.size() - bad << " of " << report.items.size()
                  << " files ok (" << human_size(report.bytes_hashed) << " hashed)\n";
    }
    return bad;
}

// Prints one dataset's decode results (or adds them to output): the count of new failures.
std::size_t report_images(const DecodeReport& report, const VerifyOptions& options, VerifyOutput& output) {
    if (options.emit_errata) {
        for (auto& entry : errata_entries(report)) {
            output.errata.push_back(std::move(entry));
        }
    } else if (options.format == "json") {
        add_decode_rows(report, output.images);
        output.summary.push_back(decode_summary(report));
    } else {
        print_decode_report(report);
    }
    return report.count(DecodeStatus::failed);
}

// Hashes (and with --decode checks the images of) one dataset, reading each file once for both.
Result<VerifyDecodeReport> verify_files(AppContext& context, const Dataset& dataset, const VerifyOptions& options) {
    if (options.decode) {
        return verify_and_decode(dataset, context.paths(), {options.threads, options.strict});
    }
    auto files = verify_dataset(dataset, context.paths(), options.threads);
    if (!files) {
        return files.error();
    }
    return VerifyDecodeReport{std::move(*files), {}};
}

// Verifies one dataset: its exit code.
int verify_one(AppContext& context, const Dataset& dataset, const VerifyOptions& options, VerifyOutput& output) {
    auto report = verify_files(context, dataset, options);
    if (!report) {
        return context.fail(report.error());
    }
    std::size_t bad = report_files(report->files, options, output);
    std::size_t undecodable = options.decode ? report_images(report->images, options, output) : 0;
    if (bad > 0) {
        return context.fail(Error(ErrorCode::integrity,
                                  dataset.id + ": " + std::to_string(bad) + " file" + (bad == 1 ? " is" : "s are") +
                                      " missing or corrupt",
                                  {"run: cxrcat fetch " + dataset.id + " to repair"}));
    }
    if (undecodable > 0) {
        return context.fail(Error(ErrorCode::integrity,
                                  dataset.id + ": " + std::to_string(undecodable) + " image" +
                                      (undecodable == 1 ? " does" : "s do") +
                                      " not decode and the catalog lists no "
                                      "erratum for " +
                                      (undecodable == 1 ? "it" : "them"),
                                  {"the files match what was installed: the damage is in the bytes as published or "
                                   "on this disk",
                                   "--emit-errata prints catalog errata entries for them"}));
    }
    return 0;
}

int run_verify(AppContext& context, const VerifyOptions& options) {
    VerifyOutput output;
    auto exit = for_each_dataset(context, options.ids,
                                 [&](const Dataset& dataset) { return verify_one(context, dataset, options, output); });
    if (!exit) {
        return context.fail(exit.error());
    }
    if (options.emit_errata) {
        std::cout << nlohmann::json{{"errata", output.errata}}.dump(2) << '\n';
    } else if (options.format == "json") {
        nlohmann::json document{{"files", output.files}, {"exit_code", *exit}};
        if (options.decode) {
            document["images"] = output.images;
            document["decode"] = output.summary;
        }
        std::cout << document.dump(2) << '\n';
    }
    return *exit;
}

} // namespace

void add_verify_command(CLI::App& app, AppContext& context) {
    auto [command, options] =
        add_command(app, context, "verify", "Re-hash installed files and report missing or corrupt ones", run_verify);
    add_dataset_ids(*command, options->ids);
    add_format_option(*command, options->format, {"text", "json"});
    command->add_option("-j,--threads", options->threads, "Hashing and decoding threads (0 = every core)")
        ->capture_default_str();
    command->add_flag("--decode", options->decode,
                      "Also check that every image opens: PNG, JPEG and DICOM fully decoded, raw and volume formats "
                      "measured against their headers; known errata in the catalog are reported, not failed");
    command->add_flag("--strict", options->strict,
                      "With --decode, content warnings (an image of one value) fail the file too");
    command->add_flag("--emit-errata", options->emit_errata,
                      "With --decode, print the new failures as catalog errata entries (JSON) to contribute upstream");
}

} // namespace cxrcat::cli
