// SPDX-License-Identifier: Apache-2.0
// `cxrcat labels ID…`: one row per image from the installed label files, one vocabulary, official or
// patient splits, as CSV / JSON Lines / JSON / a MONAI datalist / Hugging Face metadata.jsonl.
#include "commands.hpp"
#include "cxrcat/base/text.hpp"
#include "cxrcat/labels/label_query.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <unistd.h>

namespace cxrcat::cli {

namespace {

struct LabelsOptions {
    std::vector<std::string> ids;
    std::string output;
    std::string format = "csv";
    std::string findings = "common";
    std::string labeler;
    std::string readers = "any";
    std::vector<std::string> views;
    std::vector<std::string> splits;
    std::vector<std::string> where;
    bool absolute = false;
    bool require_images = false;
    bool drop_overlap = false;
    bool keep_errata = false;
    std::string split_by;
    std::string ratios = "70,10,20";
    std::string seed = "0";
    bool override_official = false;
    bool list_findings = false;
};

// "70,10,20" as three whole numbers with a positive sum.
Result<std::array<unsigned, 3>> parse_ratios(const std::string& text) {
    std::array<unsigned, 3> ratios{};
    std::istringstream in(text);
    char comma1 = 0;
    char comma2 = 0;
    if (!(in >> ratios[0] >> comma1 >> ratios[1] >> comma2 >> ratios[2]) || comma1 != ',' || comma2 != ',' ||
        !in.eof() || ratios[0] + ratios[1] + ratios[2] == 0) {
        return Error(ErrorCode::usage, "--ratios " + text + ": expected TRAIN,VALIDATE,TEST, e.g. 70,10,20");
    }
    return ratios;
}

// The vocabulary with the datasets that map onto each name.
int list_findings(AppContext& context) {
    auto catalog = context.catalog();
    if (!catalog) {
        return context.fail(catalog.error());
    }
    const Vocabulary& vocabulary = builtin_vocabulary();
    for (const std::string& name : vocabulary.names) {
        std::vector<std::string> carriers;
        for (const Dataset& dataset : (*catalog)->datasets()) {
            if (!dataset.label_table) {
                continue;
            }
            for (const FindingMapping& mapping : dataset.label_table->findings) {
                if (mapping.common == name) {
                    carriers.push_back(dataset.id + (mapping.native == name ? "" : " (" + mapping.native + ")"));
                }
            }
        }
        std::cout << name << '\t' << join(carriers, ", ") << '\n';
    }
    return 0;
}

// --where labeler=NAME is --labeler NAME (fetch and plan take it that way too).
Result<std::string> labeler_of(const LabelsOptions& options) {
    std::string labeler = options.labeler;
    for (const std::string& term : options.where) {
        if (to_lower(term.substr(0, term.find('='))) == "labeler") {
            std::string value = term.substr(term.find('=') + 1);
            if (!labeler.empty() && labeler != value) {
                return Error(ErrorCode::usage, "two labelers given: " + labeler + " and " + value);
            }
            labeler = value;
        }
    }
    return labeler;
}

Result<LabelQuery> make_query(const LabelsOptions& options, const LabelColumns& columns) {
    std::vector<std::string> where;
    std::copy_if(options.where.begin(), options.where.end(), std::back_inserter(where),
                 [](const std::string& term) { return to_lower(term.substr(0, term.find('='))) != "labeler"; });
    for (const std::string& view : options.views) {
        where.push_back("view=" + view);
    }
    for (const std::string& split : options.splits) {
        where.push_back("split=" + split);
    }
    auto conditions = parse_label_conditions(where, columns);
    if (!conditions) {
        return conditions.error();
    }
    LabelQuery query{std::move(*conditions), std::nullopt,         options.require_images,
                     options.absolute,       options.drop_overlap, options.keep_errata};
    if (!options.split_by.empty()) {
        auto ratios = parse_ratios(options.ratios);
        if (!ratios) {
            return ratios.error();
        }
        query.split_by_patient = PatientSplit{*ratios, options.seed, options.override_official};
    }
    return query;
}

// A table of any dataset that is not open to anyone holds data under a use agreement: its file is
// readable by its owner alone.
bool holds_private_data(const std::vector<const Dataset*>& datasets) {
    return std::any_of(datasets.begin(), datasets.end(),
                       [](const Dataset* dataset) { return dataset->access.access_class != AccessClass::open; });
}

void report(AppContext& context, const LabelStats& stats, bool keep_errata) {
    for (const std::string& note : stats.notes) {
        context.warn(note);
    }
    if (stats.overlapping > 0) {
        context.warn(std::to_string(stats.overlapping) + " row(s) are images of a dataset named earlier" +
                     " (source_image)");
    }
    if (stats.errata > 0) {
        context.warn(std::to_string(stats.errata) + " row(s) name an image the catalog lists as an erratum " +
                     "(missing, truncated, corrupt or not an image)" +
                     (keep_errata ? ": kept (--keep-errata)" : ": dropped (--keep-errata keeps them)"));
    }
    if (stats.missing_images > 0) {
        context.warn(std::to_string(stats.missing_images) + " row(s) name an image that is not on disk" +
                     " (--require-images drops them)");
    }
}

// Writes the table to stdout, or through a temporary file renamed over -o FILE only when the table is
// whole: a failed run leaves no half table, and MIMIC's 377,110 rows are never held in memory.
int write_table(AppContext& context, const LabelsOptions& options, const std::vector<const Dataset*>& datasets,
                const LabelOptions& label_options, const LabelQuery& query) {
    const Paths& paths = context.paths();
    std::filesystem::path output(options.output);
    std::filesystem::path partial = output;
    partial += ".part-" + std::to_string(::getpid());
    std::ofstream file;
    std::error_code error;
    if (!options.output.empty()) {
        file.open(partial, std::ios::binary | std::ios::trunc);
        if (file && holds_private_data(datasets)) {
            std::filesystem::permissions(partial,
                                         std::filesystem::perms::owner_read | std::filesystem::perms::owner_write,
                                         std::filesystem::perm_options::replace, error);
        }
        if (!file || error) {
            return context.fail(Error(ErrorCode::local_io, "cannot write " + partial.string()));
        }
    }
    auto writer = make_label_writer(
        *parse_enum<LabelFormat>(options.format), options.output.empty() ? std::cout : file, [&](const LabelRow& row) {
            std::filesystem::path image(row.image);
            return image.is_absolute() ? row.image : (paths.dataset_dir(row.dataset) / image).string();
        });
    auto stats = write_label_table(datasets, paths, builtin_vocabulary(), label_options, query, *writer);
    if (!options.output.empty()) {
        file.close();
        if (stats && !file.fail()) {
            std::filesystem::rename(partial, output, error);
        }
        if (!stats || file.fail() || error) {
            std::filesystem::remove(partial, error);
            return context.fail(stats ? Error(ErrorCode::local_io, "cannot write " + output.string()) : stats.error());
        }
    }
    if (!stats) {
        return context.fail(stats.error());
    }
    report(context, *stats, options.keep_errata);
    return 0;
}

int run_labels(AppContext& context, const LabelsOptions& options) {
    if (options.list_findings) {
        return list_findings(context);
    }
    if (options.ids.empty()) {
        return context.fail(Error(ErrorCode::usage, "labels needs at least one dataset id (or --list-findings)"));
    }
    auto datasets = context.datasets(options.ids);
    if (!datasets) {
        return context.fail(datasets.error());
    }
    auto labeler = labeler_of(options);
    if (!labeler) {
        return context.fail(labeler.error());
    }
    LabelOptions label_options{options.findings == "native" ? FindingNames::native : FindingNames::common, *labeler,
                               options.readers == "all"        ? ReaderPolicy::all
                               : options.readers == "majority" ? ReaderPolicy::majority
                                                               : ReaderPolicy::any};
    auto columns = label_columns(*datasets, builtin_vocabulary(), label_options);
    auto query = columns ? make_query(options, *columns) : Result<LabelQuery>(columns.error());
    if (!query) {
        return context.fail(query.error());
    }
    return write_table(context, options, *datasets, label_options, *query);
}

} // namespace

void add_labels_command(CLI::App& app, AppContext& context) {
    auto [command, options] = add_command(
        app, context, "labels",
        "One row per image from installed label files: common finding names, official or patient splits", run_labels);
    command->add_option("ids", options->ids, "Dataset ids or aliases (the first named wins an overlap)");
    add_typed_option(*command, "-o,--output", options->output, "FILE", "Write to FILE (atomically) instead of stdout");
    add_format_option(*command, options->format, enum_names<LabelFormat>());
    add_choice_option(*command, "--findings", options->findings,
                      "Finding names: the common vocabulary or the dataset's own", {"common", "native"});
    add_typed_option(*command, "--labeler", options->labeler, "NAME",
                     "Another label set: chexbert (CheXpert); negbio, radiologist (MIMIC-CXR-JPG)");
    add_choice_option(*command, "--readers", options->readers,
                      "VinDr-CXR's three readers: positive when any, most or all say so", {"any", "majority", "all"});
    add_typed_option(*command, "--view", options->views, "VIEW", "Keep rows of this view (PA, AP, LATERAL, LL, ...)");
    add_typed_option(*command, "--split", options->splits, "SPLIT", "Keep rows of this split (train, validate, test)");
    add_typed_option(*command, "--where", options->where, "FIELD=VALUE",
                     "Keep rows where view, split, sex or finding.NAME (1, 0, -1, none) has this value");
    command->add_flag("--absolute", options->absolute, "Print absolute image paths");
    command->add_flag("--require-images", options->require_images, "Drop rows whose image file is not on disk");
    command->add_flag("--keep-errata", options->keep_errata,
                      "Keep rows whose image the catalog lists as missing, truncated, corrupt or not an image");
    command->add_flag("--drop-overlap", options->drop_overlap,
                      "Keep one copy of an image two datasets share (the first dataset named wins)");
    add_choice_option(
        *command, "--split-by", options->split_by,
        "Assign train/validate/test by a stable hash of seed and patient where a dataset has no official split",
        {"patient"});
    add_typed_option(*command, "--ratios", options->ratios, "A,B,C", "train,validate,test ratios for --split-by");
    add_typed_option(*command, "--seed", options->seed, "S", "Seed of --split-by");
    command->add_flag("--override-official", options->override_official, "--split-by replaces official splits too");
    command->add_flag("--list-findings", options->list_findings,
                      "Print the common vocabulary and which datasets carry each name");
}

} // namespace cxrcat::cli
