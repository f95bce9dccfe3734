// SPDX-License-Identifier: Apache-2.0
// `cxrcat mirror export DIR [ID...]`: a content-addressed copy of installed datasets for a team mirror.
#include "commands.hpp"
#include "cxrcat/base/text.hpp"
#include "cxrcat/net/s3_settings.hpp"
#include "cxrcat/state/dataset_state.hpp"
#include "cxrcat/store/mirror_export.hpp"

#include <cstdlib>
#include <iostream>

namespace cxrcat::cli {

namespace {

struct MirrorOptions {
    std::string directory;
    std::vector<std::string> ids;
    bool internal = false;
    bool request_payer = false;
};

// The export into s3://bucket/prefix, with the AWS settings of the environment. Errors: a bad URL
// (usage), half a key pair or an unknown profile (access_denied).
Result<MirrorExportReport> export_to_bucket(const MirrorOptions& options, const std::vector<const Dataset*>& datasets,
                                            const Paths& paths) {
    auto location = parse_s3_url(options.directory);
    if (!location) {
        return location.error();
    }
    auto settings = s3_settings_from_environment();
    if (!settings) {
        return settings.error();
    }
    settings->request_payer = options.request_payer;
    std::optional<std::filesystem::path> ca_bundle;
    if (const char* bundle = std::getenv("CURL_CA_BUNDLE"); bundle != nullptr && *bundle != '\0') { // NOLINT
        ca_bundle = bundle;
    }
    return export_mirror_to_s3(*location, *settings, ca_bundle, datasets, paths, options.internal);
}

// The datasets of the catalog that are installed (have a state file), when no id is given. Never an
// error: a Result only to stand in for context.datasets(ids).
Result<std::vector<const Dataset*>> installed_datasets(const Catalog& catalog, const Paths& paths) {
    std::vector<const Dataset*> datasets;
    for (const auto& dataset : catalog.datasets()) {
        if (std::filesystem::exists(state_dir(paths.dataset_dir(dataset.id)) / "state.json")) {
            datasets.push_back(&dataset);
        }
    }
    return datasets;
}

int run_export(AppContext& context, const MirrorOptions& options) {
    bool to_bucket = is_s3_url(options.directory);
    if (has_url_scheme(options.directory) && !to_bucket) {
        // Before anything else: "s3:" or "gs:" must never become a local folder by accident.
        std::string scheme = options.directory.substr(0, options.directory.find("://"));
        return context.fail(Error(ErrorCode::usage, "mirror export cannot write to " + scheme + ":// URLs",
                                  {"give a local directory, or s3://BUCKET/PREFIX for an S3-compatible store "
                                   "(AWS_ENDPOINT_URL for MinIO, Ceph or Google Cloud Storage's XML API)"}));
    }
    if (to_bucket) {
        if (auto location = parse_s3_url(options.directory); !location) {
            return context.fail(location.error());
        }
    }
    auto catalog = context.catalog();
    if (!catalog) {
        return context.fail(catalog.error());
    }
    auto datasets =
        options.ids.empty() ? installed_datasets(**catalog, context.paths()) : context.datasets(options.ids);
    if (!datasets) {
        return context.fail(datasets.error());
    }
    if (datasets->empty()) {
        return context.fail(
            Error(ErrorCode::not_found, "nothing is installed to export", {"run cxrcat fetch ID first"}));
    }
    auto report = to_bucket ? export_to_bucket(options, *datasets, context.paths())
                            : export_mirror(options.directory, *datasets, context.paths(), options.internal);
    if (!report) {
        return context.fail(report.error());
    }
    context.warn_all(report->warnings);
    std::cout << "exported " << report->files << " files (" << human_size(report->bytes) << ") of "
              << join(report->datasets, ", ") << " to " << options.directory;
    if (to_bucket) {
        std::cout << " (" << report->objects_written << " objects uploaded, " << report->objects_present
                  << " already there)";
    }
    std::cout << '\n';
    if (options.internal) {
        context.notice("internal mirror: see NOTICE.txt; it must stay inside the organisation that holds the rights");
    }
    return 0;
}

} // namespace

void add_mirror_command(CLI::App& app, AppContext& context) {
    CLI::App& mirror = add_command_group(app, "mirror", "Build mirrors for teams and air-gapped CI");
    auto [export_command, options] =
        add_command(mirror, context, "export",
                    "Lay out installed, verified files as DIR/sha256/<hex> (+ md5/<hex>) with DIR/index.json, in a "
                    "directory or an S3 bucket prefix",
                    run_export);
    export_command
        ->add_option("dir", options->directory,
                     "Mirror directory, or s3://BUCKET/PREFIX (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or AWS_PROFILE, "
                     "AWS_REGION, AWS_ENDPOINT_URL)")
        ->required();
    export_command->add_option("ids", options->ids, "Datasets to export (default: every installed one)");
    export_command->add_flag("--internal", options->internal,
                             "Also export datasets whose terms forbid redistribution, for a mirror that stays inside "
                             "the organisation holding the access rights (writes NOTICE.txt)");
    export_command->add_flag("--request-payer", options->request_payer,
                             "The bucket is requester-pays: agree to pay (x-amz-request-payer: requester)");
}

} // namespace cxrcat::cli
