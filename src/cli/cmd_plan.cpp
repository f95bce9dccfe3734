// SPDX-License-Identifier: Apache-2.0
// `cxrcat plan ID... --format aria2|s5cmd|tsv|urls|json`: hand the selected files to an external
// download engine; `cxrcat fetch ID --from DIR` then adopts and verifies what it downloaded.
#include "commands.hpp"
#include "cxrcat/plan_export.hpp"
#include "selection_flags.hpp"
#include "transfer_flags.hpp"

#include <iostream>

namespace cxrcat::cli {

namespace {

struct PlanCommandOptions {
    std::vector<std::string> ids;
    std::vector<std::string> include;
    std::vector<std::string> exclude;
    std::string manifest;
    std::string format = "json";
    bool no_extract = false;
    SelectionFlags selection;
};

int run_plan(AppContext& context, const PlanCommandOptions& options) {
    FetchOptions fetch = make_fetch_options(context, TransferFlags{});
    fetch.include = options.include;
    fetch.exclude = options.exclude;
    fetch.extract = !options.no_extract;
    if (!options.manifest.empty()) {
        fetch.providers.manifest = std::filesystem::absolute(options.manifest);
    }
    auto selection = make_selection(context, options.selection);
    if (!selection) {
        return context.fail(selection.error());
    }
    fetch.selection = std::move(*selection);
    std::vector<FetchPlan> plans;
    for (const auto& id : options.ids) {
        auto dataset = context.dataset(id);
        if (!dataset) {
            return context.fail(dataset.error());
        }
        auto plan = plan_fetch(**dataset, context.paths(), fetch);
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
    auto options = std::make_shared<PlanCommandOptions>();
    CLI::App* command = app.add_subcommand(
        "plan", "Write the files still to download as input for aria2c, s5cmd, Storage Transfer Service or a URL "
                "list; then adopt the downloads with 'cxrcat fetch ID --from DIR'");
    command->add_option("ids", options->ids, "Dataset ids or aliases")->required();
    command
        ->add_option("--format", options->format,
                     "aria2 (aria2c -i, with out= and checksum=), s5cmd (cp lines, bucket sources), tsv (Storage "
                     "Transfer Service TsvHttpData-1.0), urls, or json")
        ->check(CLI::IsMember({"aria2", "s5cmd", "tsv", "urls", "json"}))
        ->type_name("aria2|s5cmd|tsv|urls|json")
        ->capture_default_str();
    command->add_option("--include", options->include, "Only files whose path (or name) matches GLOB (repeatable)")
        ->type_name("GLOB");
    command->add_option("--exclude", options->exclude, "Skip files whose path (or name) matches GLOB (repeatable)")
        ->type_name("GLOB");
    command->add_option("--manifest", options->manifest, "IDC series manifest, as for fetch")
        ->type_name("FILE")
        ->check(CLI::ExistingFile);
    command->add_flag("--no-extract", options->no_extract, "Plan archives as files to keep, as fetch --no-extract");
    add_selection_flags(*command, options->selection);
    add_help_footer(*command);
    command->callback([&context, options] { context.exit_code = run_plan(context, *options); });
}

} // namespace cxrcat::cli
