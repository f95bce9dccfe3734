// SPDX-License-Identifier: Apache-2.0
// `cxrcat cite ID`: the dataset's citation as BibTeX or as one line of text.
#include "commands.hpp"
#include "cxrcat/catalog/bibtex.hpp"

#include <iostream>

namespace cxrcat::cli {

namespace {

struct CiteOptions {
    std::string id;
    std::string format = "bibtex";
};

std::string text_citation(const Dataset& dataset) {
    const Paper& paper = *dataset.paper;
    std::string out;
    if (!paper.first_author.empty()) {
        out += paper.first_author + ", et al. ";
    }
    out += paper.title + ".";
    if (!paper.venue.empty()) {
        out += " " + paper.venue + ".";
    }
    if (paper.year) {
        out += " " + std::to_string(*paper.year) + ".";
    }
    if (!paper.doi.empty()) {
        out += " doi:" + paper.doi;
    } else if (!paper.arxiv.empty()) {
        out += " arXiv:" + paper.arxiv;
    }
    return out;
}

int run_cite(AppContext& context, const CiteOptions& options) {
    auto found = context.dataset(options.id);
    if (!found) {
        return context.fail(found.error());
    }
    const Dataset& dataset = **found;
    if (options.format == "bibtex") {
        if (dataset.citation.empty()) {
            return context.fail(Error(ErrorCode::not_found, dataset.id + ": the catalog records no BibTeX citation",
                                      {"see its homepage: " + dataset.homepage}));
        }
        std::cout << dataset.citation << (dataset.citation.back() == '\n' ? "" : "\n");
        return 0;
    }
    if (dataset.paper) {
        std::cout << text_citation(dataset) << '\n';
        return 0;
    }
    // No paper (a challenge page, a competition): the line comes from the BibTeX entry.
    std::string line = dataset.citation.empty() ? "" : bibtex_to_text(dataset.citation);
    if (line.empty()) {
        return context.fail(Error(ErrorCode::not_found, dataset.id + ": the catalog records no paper or citation",
                                  {"see its homepage: " + dataset.homepage}));
    }
    std::cout << line << '\n';
    return 0;
}

} // namespace

void add_cite_command(CLI::App& app, AppContext& context) {
    auto [command, options] = add_dataset_command(app, context, "cite", "Print how to cite a dataset", run_cite);
    add_format_option(*command, options->format, {"bibtex", "text"}, "Citation format");
}

} // namespace cxrcat::cli
