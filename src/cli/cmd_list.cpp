// SPDX-License-Identifier: Apache-2.0
// `cxrcat list`: the catalog as a table, JSON, JSON lines, CSV or bare ids, with filters.
#include "commands.hpp"
#include "cxrcat/base/text.hpp"
#include "cxrcat/catalog/query.hpp"
#include "output.hpp"

#include <iostream>

namespace cxrcat::cli {

namespace {

struct ListOptions {
    std::vector<std::string> modalities;
    std::vector<std::string> categories;
    std::vector<std::string> access_classes;
    std::vector<std::string> tasks;
    std::vector<std::string> licenses;
    std::string sort = "id";
    std::string format = "table";
};

using Selection = std::vector<const DatasetSummary*>;

std::string images_cell(const DatasetSummary& dataset) {
    return dataset.images ? group_thousands(*dataset.images) : "-";
}

std::string size_cell(const DatasetSummary& dataset) {
    return dataset.size_bytes ? human_size(*dataset.size_bytes) : "-";
}

// The SPDX id when there is one, else the licence's name.
std::string short_license(const DatasetSummary& dataset) {
    return dataset.license_spdx && !dataset.license_spdx->empty() ? *dataset.license_spdx : dataset.license_name;
}

void print_table(const Selection& datasets) {
    Table table({"ID", "MODALITY", "CATEGORY", "ACCESS", "LICENSE", "IMAGES", "SIZE", "NAME"});
    for (const DatasetSummary* dataset : datasets) {
        table.add_row({dataset->id, std::string(to_string(dataset->modality)),
                       std::string(to_string(dataset->category)), std::string(to_string(dataset->access_class)),
                       truncate_display(short_license(*dataset), 24), images_cell(*dataset), size_cell(*dataset),
                       dataset->name});
    }
    // The name gives way first, then the licence; the other columns are short or essential.
    table.print(std::cout, output_width(), std::vector<std::size_t>{7, 4});
}

void print_csv(const Selection& datasets) {
    std::cout << "id,name,modality,category,access,license,redistribution,availability,images,size_bytes,homepage\n";
    for (const DatasetSummary* dataset : datasets) {
        const auto& images = dataset->images;
        std::vector<std::string> cells{dataset->id,
                                       dataset->name,
                                       std::string(to_string(dataset->modality)),
                                       std::string(to_string(dataset->category)),
                                       std::string(to_string(dataset->access_class)),
                                       short_license(*dataset),
                                       std::string(to_string(dataset->redistribution)),
                                       std::string(to_string(dataset->availability)),
                                       images ? std::to_string(*images) : "",
                                       dataset->size_bytes ? std::to_string(*dataset->size_bytes) : "",
                                       dataset->homepage};
        std::string line;
        for (std::size_t i = 0; i < cells.size(); ++i) {
            if (i > 0) {
                line += ',';
            }
            line += csv_field(cells[i]);
        }
        std::cout << line << '\n';
    }
}

// The full records of the selection, for the JSON formats (which print every field).
Result<std::vector<const Dataset*>> full_records(AppContext& context, const Selection& datasets) {
    auto catalog = context.catalog();
    if (!catalog) {
        return catalog.error();
    }
    std::vector<const Dataset*> out;
    for (const DatasetSummary* summary : datasets) {
        const Dataset* dataset = (*catalog)->find(summary->id);
        if (dataset == nullptr) { // the build-time summaries and the catalog disagree: a build fault
            return Error(ErrorCode::internal, "dataset '" + summary->id + "' is summarised but not catalogued");
        }
        out.push_back(dataset);
    }
    return out;
}

void print_json(const std::vector<const Dataset*>& datasets, bool lines) {
    nlohmann::json out = nlohmann::json::array();
    for (const Dataset* dataset : datasets) {
        if (lines) {
            std::cout << dataset_json(*dataset).dump() << '\n';
        } else {
            out.push_back(dataset_json(*dataset));
        }
    }
    if (!lines) {
        std::cout << out.dump(2) << '\n';
    }
}

int run_list(AppContext& context, const ListOptions& options) {
    auto summaries = context.summaries();
    if (!summaries) {
        return context.fail(summaries.error());
    }
    DatasetFilter filter;
    for (const auto& value : options.modalities) {
        filter.modalities.push_back(*parse_enum<Modality>(value));
    }
    for (const auto& value : options.categories) {
        filter.categories.push_back(*parse_enum<Category>(value));
    }
    for (const auto& value : options.access_classes) {
        filter.access_classes.push_back(*parse_enum<AccessClass>(value));
    }
    filter.tasks = options.tasks;
    filter.licenses = options.licenses;
    auto datasets = select_datasets(*summaries, filter, *parse_sort_key(options.sort));

    if (datasets.empty()) {
        bool asked_for_mri =
            std::find(filter.modalities.begin(), filter.modalities.end(), Modality::mri) != filter.modalities.end();
        if (asked_for_mri && filter.modalities.size() == 1) {
            context.notice("no chest MRI dataset is catalogued: no public chest MRI dataset was identified for "
                           "this catalog (add your own with --catalog)");
        } else {
            context.notice("no dataset matches these filters");
        }
    }
    if (options.format == "json" || options.format == "jsonl") {
        auto records = full_records(context, datasets);
        if (!records) {
            return context.fail(records.error());
        }
        print_json(*records, options.format == "jsonl");
    } else if (options.format == "csv") {
        print_csv(datasets);
    } else if (options.format == "ids") {
        for (const DatasetSummary* dataset : datasets) {
            std::cout << dataset->id << '\n';
        }
    } else if (!datasets.empty()) {
        print_table(datasets);
    }
    return 0;
}

} // namespace

void add_list_command(CLI::App& app, AppContext& context) {
    auto [command, options] =
        add_command(app, context, "list", "List catalogued datasets, optionally filtered", run_list);
    add_choice_option(*command, "--modality", options->modalities, "Only this modality (repeatable)",
                      enum_names<Modality>());
    add_choice_option(*command, "--category", options->categories, "Only this category (repeatable)",
                      enum_names<Category>());
    add_choice_option(*command, "--access", options->access_classes, "Only this access class (repeatable)",
                      enum_names<AccessClass>());
    command->add_option("--task", options->tasks, "Only datasets with a task containing TEXT (repeatable)")
        ->type_name("TEXT");
    command
        ->add_option("--license", options->licenses,
                     "Only datasets whose licence SPDX id is, or name contains, TEXT (repeatable)")
        ->type_name("TEXT");
    add_choice_option(*command, "--sort", options->sort, "Sort key (size, images and year: largest first)",
                      sort_key_names())
        ->capture_default_str();
    add_format_option(*command, options->format, {"table", "json", "jsonl", "csv", "ids"});
}

} // namespace cxrcat::cli
