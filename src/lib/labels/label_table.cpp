// SPDX-License-Identifier: Apache-2.0
// The columns of a label table and one dataset's rows mapped onto them: the dataset's reader gives
// values in its own names; the catalog's map (label_table.findings) puts each on its common name.
#include "cxrcat/labels/label_table.hpp"

#include "cxrcat/base/text.hpp"
#include "labels/dataset_reader.hpp"

#include <algorithm>

namespace cxrcat {

std::string_view finding_text(FindingValue value) {
    switch (value) {
    case FindingValue::positive: return "1";
    case FindingValue::negative: return "0";
    case FindingValue::uncertain: return "-1";
    case FindingValue::not_mentioned: break;
    }
    return "";
}

namespace {

int strength(FindingValue value) {
    switch (value) {
    case FindingValue::positive: return 3;
    case FindingValue::uncertain: return 2;
    case FindingValue::negative: return 1;
    case FindingValue::not_mentioned: break;
    }
    return 0;
}

Result<const LabelTableSpec*> spec_of(const Dataset& dataset) {
    if (!dataset.label_table) {
        return Error(ErrorCode::not_found, dataset.id + ": the catalog describes no label files for this dataset",
                     {"cxrcat labels --list-findings names the datasets that have them"});
    }
    return &*dataset.label_table;
}

Result<const labels::DatasetReader*> reader_of(const Dataset& dataset, const LabelOptions& options) {
    const labels::DatasetReader* reader = labels::find_reader(dataset.label_table->reader);
    if (reader == nullptr) {
        return Error(ErrorCode::invalid_catalog, dataset.id + ": label_table.reader \"" + dataset.label_table->reader +
                                                     "\" is not a built-in reader");
    }
    if (std::find(reader->labelers.begin(), reader->labelers.end(), options.labeler) == reader->labelers.end()) {
        std::vector<std::string> names;
        for (std::string_view name : reader->labelers) {
            if (!name.empty()) {
                names.emplace_back(name);
            }
        }
        return Error(ErrorCode::usage, dataset.id + " has no labeler \"" + options.labeler + "\"",
                     {names.empty() ? "it has one set of labels" : "its labelers: " + join(names, ", ")});
    }
    return reader;
}

// For each native name of dataset, its output column (nullopt: not printed).
std::vector<std::optional<std::size_t>> column_map(const LabelTableSpec& spec, const LabelColumns& columns,
                                                   const LabelOptions& options) {
    std::vector<std::optional<std::size_t>> map;
    for (const FindingMapping& mapping : spec.findings) {
        const std::optional<std::string>& name =
            options.names == FindingNames::native ? std::optional(mapping.native) : mapping.common;
        auto found = name ? std::find(columns.findings.begin(), columns.findings.end(), *name) : columns.findings.end();
        map.push_back(found == columns.findings.end()
                          ? std::nullopt
                          : std::optional(static_cast<std::size_t>(found - columns.findings.begin())));
    }
    return map;
}

// Exit 7 naming every missing file and the fetch command that gets them.
Result<void> check_installed(const labels::ReaderContext& context, const std::vector<std::string>& roles) {
    std::vector<std::string> missing;
    std::string includes;
    for (const std::string& role : roles) {
        const LabelFile* file = context.spec.file(role);
        if (file == nullptr) {
            return Error(ErrorCode::invalid_catalog, context.dataset.id + ": label_table.files has no \"" + role +
                                                         "\" file, which its reader needs");
        }
        if (!context.locate(role)) {
            missing.push_back(file->paths.front());
            includes += " --include '" + file->paths.front() + "'";
        }
    }
    if (missing.empty()) {
        return {};
    }
    return Error(ErrorCode::manual_step,
                 context.dataset.id + ": label files not installed under " + context.dir.string() + ": " +
                     join(missing, ", "),
                 {"get them with: cxrcat fetch " + context.dataset.id + includes});
}

} // namespace

FindingValue combine(FindingValue a, FindingValue b) {
    return strength(a) >= strength(b) ? a : b;
}

Result<LabelColumns> label_columns(const std::vector<const Dataset*>& datasets, const Vocabulary& vocabulary,
                                   const LabelOptions& options) {
    LabelColumns columns;
    std::vector<bool> used(vocabulary.names.size(), false);
    for (const Dataset* dataset : datasets) {
        auto spec = spec_of(*dataset);
        auto reader = spec ? reader_of(*dataset, options) : Result<const labels::DatasetReader*>(spec.error());
        if (!reader) {
            return reader.error();
        }
        columns.label_method = columns.label_method || (*spec)->reader == "padchest";
        for (const FindingMapping& mapping : (*spec)->findings) {
            if (options.names == FindingNames::native) {
                if (std::find(columns.findings.begin(), columns.findings.end(), mapping.native) ==
                    columns.findings.end()) {
                    columns.findings.push_back(mapping.native);
                }
                continue;
            }
            if (!mapping.common) {
                continue;
            }
            auto index = vocabulary.find(*mapping.common);
            if (!index) {
                return Error(ErrorCode::invalid_catalog, dataset->id + ": label map names \"" + *mapping.common +
                                                             "\", which is not in the common vocabulary");
            }
            used[*index] = true;
        }
    }
    if (options.names == FindingNames::common) {
        for (std::size_t i = 0; i < used.size(); ++i) {
            if (used[i]) {
                columns.findings.push_back(vocabulary.names[i]);
            }
        }
    }
    return columns;
}

Result<void> check_label_files(const Dataset& dataset, const std::filesystem::path& dir, const Vocabulary& vocabulary,
                               const LabelOptions& options) {
    auto checked = label_columns({&dataset}, vocabulary, options); // the catalog and labeler checks
    if (!checked) {
        return checked.error();
    }
    const labels::DatasetReader* reader = *reader_of(dataset, options);
    labels::ReaderContext context{dataset, *dataset.label_table, dir, options};
    return check_installed(context, reader->required_roles(options));
}

Result<void> read_dataset_labels(const Dataset& dataset, const std::filesystem::path& dir, const LabelColumns& columns,
                                 const Vocabulary& vocabulary, const LabelOptions& options,
                                 const std::function<void(LabelRow&&)>& each) {
    if (auto installed = check_label_files(dataset, dir, vocabulary, options); !installed) {
        return installed;
    }
    labels::ReaderContext context{dataset, *dataset.label_table, dir, options};
    std::vector<std::optional<std::size_t>> map = column_map(*dataset.label_table, columns, options);
    return (*reader_of(dataset, options))->read(context, [&](labels::NativeRow&& native) {
        LabelRow row = std::move(native.row);
        row.dataset = dataset.id;
        row.findings.assign(columns.findings.size(), FindingValue::not_mentioned);
        for (std::size_t i = 0; i < native.native.size(); ++i) {
            if (map[i]) {
                row.findings[*map[i]] = combine(row.findings[*map[i]], native.native[i]);
            }
        }
        each(std::move(row));
    });
}

} // namespace cxrcat
