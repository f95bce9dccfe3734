// SPDX-License-Identifier: Apache-2.0
// `cxrcat search TEXT`: ranked full-text search over names, aliases, labels, tasks and descriptions.
#include "commands.hpp"
#include "cxrcat/base/text.hpp"
#include "cxrcat/catalog/query.hpp"
#include "output.hpp"

#include <iostream>

namespace cxrcat::cli {

namespace {

struct SearchOptions {
    std::vector<std::string> words;
    std::string format = "table";
};

int run_search(AppContext& context, const SearchOptions& options) {
    auto catalog = context.catalog();
    if (!catalog) {
        return context.fail(catalog.error());
    }
    auto hits = search_datasets(**catalog, join(options.words, " "));
    if (hits.empty()) {
        context.notice("no dataset matches '" + join(options.words, " ") + "'");
    }
    if (options.format == "json") {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& hit : hits) {
            out.push_back({{"id", hit.dataset->id},
                           {"name", hit.dataset->name},
                           {"score", hit.score},
                           {"matched", hit.matched_fields}});
        }
        std::cout << out.dump(2) << '\n';
    } else if (options.format == "ids") {
        for (const auto& hit : hits) {
            std::cout << hit.dataset->id << '\n';
        }
    } else if (!hits.empty()) {
        Table table({"ID", "SCORE", "MATCHED", "NAME"});
        for (const auto& hit : hits) {
            table.add_row(
                {hit.dataset->id, std::to_string(hit.score), join(hit.matched_fields, ","), hit.dataset->name});
        }
        table.print(std::cout, output_width(), 3);
    }
    return 0;
}

} // namespace

void add_search_command(CLI::App& app, AppContext& context) {
    auto [command, options] =
        add_command(app, context, "search", "Search datasets by name, alias, label, task or description", run_search);
    command->add_option("text", options->words, "Words that must all match (case-insensitive)")->required();
    add_format_option(*command, options->format, {"table", "json", "ids"});
}

} // namespace cxrcat::cli
