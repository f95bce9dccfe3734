// SPDX-License-Identifier: Apache-2.0
// `cxrcat plan ID... --format aria2|s5cmd|tsv|urls|json`: hand the selected files to an external
// download engine; `cxrcat fetch ID --from DIR` then adopts and verifies what it downloaded.
#include "commands.hpp"
#include "cxrcat/plan/plan_export.hpp"
#include "file_filter_flags.hpp"
#include "label_selection_step.hpp"

#include <iostream>

namespace cxrcat::cli {

namespace {

// In the order of the flags in --help.
struct PlanCommandOptions {
    std::vector<std::string> ids;
    std::string format = "json";
    FileFilterFlags filters; // with the selection flags, added last
    bool no_extract = false;
};

int run_plan(AppContext& context, const PlanCommandOptions& options) {
    auto fetch = make_plan_options(context, options.filters);
    if (!fetch) {
        return context.fail(fetch.error());
    }
    fetch->extract = !options.no_extract;
    std::vector<FetchPlan> plans;
    for (const auto& id : options.ids) {
        auto dataset = context.dataset(id);
        if (!dataset) {
            return context.fail(dataset.error());
        }
        auto narrowed = apply_label_selection(context, **dataset, *fetch, false);
        auto plan = narrowed ? plan_fetch(**dataset, context.paths(), *narrowed) : Result<FetchPlan>(narrowed.error());
        if (!plan) {
            return context.fail(plan.error());
        }
        plans.push_back(std::move(*plan));
    }
    // Nothing is printed unless the whole plan renders: a partial plan would look complete.
    auto rendered = render_plans(plans, *parse_plan_format(options.format));
    if (!rendered) {
        return context.fail(rendered.error());
    }
    std::cout << *rendered << std::flush;
    return 0;
}

} // namespace

void add_plan_command(CLI::App& app, AppContext& context) {
    auto [command, options] =
        add_command(app, context, "plan",
                    "Write the files still to download as input for aria2c, s5cmd, Storage Transfer Service or a URL "
                    "list; then adopt the downloads with 'cxrcat fetch ID --from DIR'",
                    run_plan);
    add_dataset_ids(*command, options->ids);
    add_format_option(*command, options->format, {"aria2", "s5cmd", "tsv", "urls", "json"},
                      "aria2 (aria2c -i, with out= and checksum=), s5cmd (cp lines, bucket sources), tsv (Storage "
                      "Transfer Service TsvHttpData-1.0), urls, or json");
    add_file_filter_flags(*command, options->filters);
    command->add_flag("--no-extract", options->no_extract, "Plan archives as files to keep, as fetch --no-extract");
    add_selection_flags(*command, options->filters.selection);
}

} // namespace cxrcat::cli
