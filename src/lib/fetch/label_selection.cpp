// SPDX-License-Identifier: Apache-2.0
#include "cxrcat/fetch/label_selection.hpp"

#include "cxrcat/base/text.hpp"
#include "cxrcat/labels/label_query.hpp"

#include <algorithm>
#include <set>

namespace cxrcat {

namespace {

constexpr std::string_view k_label_finding_prefix = "finding.";

struct SplitTerms {
    std::vector<std::string> conditions; // "field=value", as `labels --where` takes them
    std::string labeler;
    std::map<std::string, std::vector<std::string>> rest;
};

Result<SplitTerms> split_terms(const std::map<std::string, std::vector<std::string>>& where) {
    SplitTerms terms;
    for (const auto& [field, values] : where) {
        if (!is_label_field(field)) {
            terms.rest[field] = values;
        } else if (to_lower(field) == "labeler") {
            if (values.size() != 1) {
                return Error(ErrorCode::usage, "--where labeler= takes one labeler, got " + join(values, ", "));
            }
            terms.labeler = values[0];
        } else {
            for (const std::string& value : values) {
                terms.conditions.push_back(field + "=" + value);
            }
        }
    }
    return terms;
}

// Every path of the roles the reader needs (a glob each), so the listing's real one is fetched.
std::vector<std::string> label_includes(const LabelTableSpec& spec) {
    std::vector<std::string> includes;
    for (const LabelFile& file : spec.files) {
        includes.insert(includes.end(), file.paths.begin(), file.paths.end());
    }
    return includes;
}

// The label files that are installed now (dataset-relative).
std::vector<std::string> installed_label_files(const LabelTableSpec& spec, const std::filesystem::path& dir) {
    std::vector<std::string> installed;
    for (const LabelFile& file : spec.files) {
        for (const std::string& path : file.paths) {
            std::error_code error;
            if (std::filesystem::is_regular_file(dir / path, error)) {
                installed.push_back(path);
            }
        }
    }
    return installed;
}

// Fetches the label files alone: no selection, no extraction of anything else.
Result<void> fetch_label_files(const Dataset& dataset, const Paths& paths, const FetchOptions& options,
                               ProgressSink* progress) {
    FetchOptions labels = options;
    labels.include = label_includes(*dataset.label_table);
    labels.exclude.clear();
    labels.selection = Selection{};
    auto report = fetch_dataset(dataset, paths, labels, progress);
    if (!report) {
        return report.error();
    }
    if (!report->ok()) {
        return Error(report->error_code(), dataset.id + ": the label files needed for --where could not be fetched");
    }
    return {};
}

// The archives the catalog lists to extract (dataset paths): the images then come inside them, and a
// selection of images cannot be downloaded one by one. The catalog does not say which archive holds
// which image (labels-facts.md §2 "Selection before download": NIH and CheXpert are archive-granular),
// so each may hold a selected one.
std::vector<std::string> image_archives(const Dataset& dataset) {
    std::vector<std::string> archives;
    for (const Source& source : dataset.sources) {
        std::string directory = source.param("directory");
        for (const FileEntry& file : source.files) {
            if (file.extract) {
                archives.push_back(directory.empty() ? file.path : directory + "/" + file.path);
            }
        }
    }
    return archives;
}

// True when every source is downloaded by hand: without --from, nothing of a selection can be fetched.
bool only_by_hand(const Dataset& dataset) {
    return std::all_of(dataset.sources.begin(), dataset.sources.end(),
                       [](const Source& source) { return source.provider == Provider::manual; });
}

} // namespace

bool is_label_field(const std::string& field) {
    std::string lower = to_lower(field);
    return lower.starts_with(k_label_finding_prefix) || lower == "view" || lower == "split" || lower == "sex" ||
           lower == "labeler";
}

bool has_label_selection(const FetchOptions& options) {
    return std::any_of(options.selection.where.begin(), options.selection.where.end(),
                       [](const auto& term) { return is_label_field(term.first); });
}

Result<LabelSelection> select_by_labels(const Dataset& dataset, const Paths& paths, const FetchOptions& options,
                                        ProgressSink* progress) {
    LabelSelection selection{options, 0, {}};
    if (!has_label_selection(options)) {
        return selection;
    }
    if (!dataset.label_table) {
        return Error(ErrorCode::usage,
                     dataset.id + ": --where view/split/sex/finding.NAME selects by label files, and "
                                  "the catalog describes none for this dataset",
                     {"cxrcat labels --list-findings names the datasets that have them"});
    }
    std::vector<std::string> archives = image_archives(dataset);
    if (archives.empty() && only_by_hand(dataset) && !options.from) {
        // PadChest: the label file's ImageDir names the zip of each image (labels-facts.md §2), but the
        // catalog names none of the zips, so there is nothing to select among.
        return Error(ErrorCode::usage,
                     dataset.id + ": its images are downloaded by hand and the catalog names no archive that holds "
                                  "them, so --where on labels cannot choose what to download",
                     {"download the images as 'cxrcat show " + dataset.id + "' says, install them with cxrcat fetch " +
                      dataset.id + " --from DIR, then select rows with: cxrcat labels " + dataset.id + " --where …"});
    }
    auto terms = split_terms(options.selection.where);
    if (!terms) {
        return terms.error();
    }
    LabelOptions label_options{FindingNames::common, terms->labeler, ReaderPolicy::any};
    // The fields and findings are checked before anything is downloaded.
    auto columns = label_columns({&dataset}, builtin_vocabulary(), label_options);
    auto conditions = columns ? parse_label_conditions(terms->conditions, *columns)
                              : Result<std::vector<LabelCondition>>(columns.error());
    if (!conditions) {
        return conditions.error();
    }
    std::filesystem::path dir = paths.dataset_dir(dataset.id);
    std::set<std::string> chosen;
    auto read_selection = [&] {
        chosen.clear();
        return read_dataset_labels(dataset, dir, *columns, builtin_vocabulary(), label_options, [&](LabelRow&& row) {
            if (std::all_of(conditions->begin(), conditions->end(), [&](const LabelCondition& condition) {
                    return label_row_matches(row, condition, *columns);
                })) {
                chosen.insert(row.image);
            }
        });
    };
    // Label files already installed are read as they are: fetching them again would list the whole
    // dataset once more (377,110 files for MIMIC-CXR-JPG) only to find nothing to do. The reader says
    // which are missing (manual_step) before it reads a row; then they are fetched and read.
    auto read = read_selection();
    if (!read && read.error().code() == ErrorCode::manual_step) {
        if (auto fetched = fetch_label_files(dataset, paths, options, progress); !fetched) {
            return fetched.error();
        }
        read = read_selection();
    }
    if (!read) {
        return read.error();
    }
    selection.images = chosen.size();
    selection.label_files = installed_label_files(*dataset.label_table, dir);
    std::vector<std::string> files;
    if (archives.empty()) {
        chosen.insert(selection.label_files.begin(), selection.label_files.end());
        files.assign(chosen.begin(), chosen.end());
    } else {
        // Every archive, extracted to the chosen images and the label files (CheXpert ships its CSVs
        // inside its zips) alone.
        selection.archives = archives.size();
        files = std::move(archives);
        std::vector<std::string> label_paths = label_includes(*dataset.label_table);
        chosen.insert(label_paths.begin(), label_paths.end());
        selection.options.members = std::move(chosen);
    }
    if (options.selection.files_from) {
        std::set<std::string> listed(options.selection.files_from->begin(), options.selection.files_from->end());
        std::erase_if(files, [&](const std::string& path) { return listed.count(path) == 0; });
    }
    selection.options.selection.files_from = std::move(files);
    selection.options.selection.where = std::move(terms->rest);
    return selection;
}

} // namespace cxrcat
