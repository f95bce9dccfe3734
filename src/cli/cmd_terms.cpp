// SPDX-License-Identifier: Apache-2.0
// `cxrcat terms ID`: licence, terms, access route in plain words, and whether they are accepted.
#include "commands.hpp"
#include "cxrcat/access/terms_ledger.hpp"

#include <iostream>

namespace cxrcat::cli {

namespace {

struct TermsOptions {
    std::string id;
    std::string format = "text";
};

int run_terms(AppContext& context, const TermsOptions& options) {
    auto found = context.dataset(options.id);
    if (!found) {
        return context.fail(found.error());
    }
    const Dataset& dataset = **found;
    TermsLedger ledger = TermsLedger::open(context.paths().terms_ledger());
    context.warn_all(ledger.warnings());
    TermsStatus status = ledger.status(dataset);
    const Acceptance* acceptance = ledger.find(dataset.id);

    if (options.format == "json") {
        nlohmann::json out = {{"id", dataset.id},
                              {"license", dataset.raw.at("license")},
                              {"access_class", to_string(dataset.access.access_class)},
                              {"access_explained", explain(dataset.access.access_class)},
                              {"terms", dataset.access.terms},
                              {"terms_url", dataset.access.terms_url},
                              {"steps", dataset.access.steps},
                              {"redistribution", to_string(dataset.redistribution)},
                              {"terms_sha256", terms_digest(dataset)},
                              {"status", to_string(status)},
                              {"accepted_at", acceptance ? nlohmann::json(acceptance->accepted_at) : nlohmann::json()}};
        std::cout << out.dump(2) << '\n';
        return 0;
    }
    std::cout << dataset.id << " — " << dataset.name << "\n\n";
    std::cout << "Licence:  " << dataset.license.name;
    if (dataset.license.spdx) {
        std::cout << " [" << *dataset.license.spdx << "]";
    }
    std::cout << '\n';
    if (dataset.license.url) {
        std::cout << "          " << *dataset.license.url << '\n';
    }
    std::cout << "Access:   " << to_string(dataset.access.access_class) << " — " << explain(dataset.access.access_class)
              << '\n';
    std::cout << "Terms:    " << dataset.access.terms << '\n';
    std::cout << "Read:     " << dataset.access.terms_url << '\n';
    std::cout << "Redistribution: " << to_string(dataset.redistribution)
              << (dataset.redistribution_note.empty() ? "" : " — " + dataset.redistribution_note) << '\n';
    if (!dataset.access.steps.empty()) {
        std::cout << "\nSteps:\n";
        for (std::size_t i = 0; i < dataset.access.steps.size(); ++i) {
            std::cout << "  " << i + 1 << ". " << dataset.access.steps[i] << '\n';
        }
    }
    std::cout << '\n';
    switch (status) {
    case TermsStatus::accepted: std::cout << "Status:   accepted on " << acceptance->accepted_at << '\n'; break;
    case TermsStatus::not_accepted:
        std::cout << "Status:   not accepted — run: cxrcat accept " << dataset.id << '\n';
        break;
    case TermsStatus::lapsed:
        std::cout << "Status:   lapsed — the terms changed after you accepted them on " << acceptance->accepted_at
                  << "; read them again and run: cxrcat accept " << dataset.id << '\n';
        break;
    }
    return 0;
}

} // namespace

void add_terms_command(CLI::App& app, AppContext& context) {
    auto [command, options] =
        add_dataset_command(app, context, "terms", "Show a dataset's licence, terms and access steps", run_terms);
    add_format_option(*command, options->format, {"text", "json"});
}

} // namespace cxrcat::cli
