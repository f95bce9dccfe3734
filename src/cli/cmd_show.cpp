// SPDX-License-Identifier: Apache-2.0
// `cxrcat show ID`: every fact about one dataset, including how to get it and what it overlaps.
#include "commands.hpp"
#include "cxrcat/base/text.hpp"
#include "output.hpp"

#include <algorithm>
#include <iostream>
#include <map>

namespace cxrcat::cli {

namespace {

struct ShowOptions {
    std::string id;
    std::string format = "text";
};

void field(std::string_view name, const std::string& value) {
    if (!value.empty()) {
        std::cout << "  " << name << ':' << std::string(name.size() < 15 ? 15 - name.size() : 1, ' ') << value << '\n';
    }
}

std::string paper_text(const Paper& paper) {
    std::string out;
    if (!paper.first_author.empty()) {
        out += paper.first_author + " et al. ";
    }
    if (paper.year) {
        out += "(" + std::to_string(*paper.year) + ") ";
    }
    out += paper.title;
    if (!paper.venue.empty()) {
        out += ". " + paper.venue;
    }
    if (!paper.doi.empty()) {
        out += ". doi:" + paper.doi;
    }
    if (!paper.arxiv.empty()) {
        out += ". arXiv:" + paper.arxiv;
    }
    return out;
}

std::string counts_text(const Dataset& dataset) {
    std::vector<std::string> parts;
    for (const auto& [name, value] : dataset.counts) {
        parts.push_back(name + " " + (value ? group_thousands(*value) : "unknown"));
    }
    return join(parts, " · ");
}

std::string license_text(const License& license) {
    std::string out = license.name;
    if (license.spdx) {
        out += " [" + *license.spdx + "]";
    }
    if (license.url) {
        out += " " + *license.url;
    }
    out += "; commercial use: ";
    out += license.commercial_use ? (*license.commercial_use ? "allowed" : "not allowed") : "unknown";
    return out;
}

std::string digest_summary(const FileEntry& file) {
    std::vector<std::string> parts;
    for (const auto& [algorithm, hex] : file.digests) {
        parts.push_back(std::string(to_string(algorithm)) + " " + hex);
    }
    return parts.empty() ? "no published digest" : join(parts, ", ");
}

// "[alternative …]" for a source that serves the same data as an earlier one (fetch uses the first
// reachable source of the group), "" otherwise.
std::string alternative_mark(const std::vector<Source>& sources, std::size_t index) {
    const Source& source = sources[index];
    if (source.alternative.empty()) {
        return "";
    }
    for (std::size_t i = 0; i < index; ++i) {
        if (sources[i].alternative == source.alternative) {
            std::string pick = source.name.empty() ? std::string(to_string(source.provider)) : source.name;
            return " [alternative to source " + std::to_string(i + 1) + " ('" + source.alternative +
                   "'): used when it cannot be reached, or with --source " + pick + "]";
        }
    }
    return "";
}

void print_source(std::size_t number, const Source& source, const std::string& mark) {
    std::string head = std::to_string(number) + ". " + std::string(to_string(source.provider));
    for (const auto& [key, value] : source.params) {
        head.append(" ").append(key).append("=").append(value);
    }
    if (!source.label.empty()) {
        head += " — " + source.label;
    }
    if (source.status != SourceStatus::available) {
        head += " [" + std::string(to_string(source.status)) +
                (source.status_reason.empty() ? "" : ": " + source.status_reason) + "]";
    }
    head += mark;
    std::cout << "    " << head << '\n';
    if (!source.note.empty()) {
        std::cout << "       note: " << source.note << '\n';
    }
    for (const auto& file : source.files) {
        std::cout << "       " << file.path << "  " << (file.size ? human_size(*file.size) : "size unknown") << "  "
                  << digest_summary(file) << (file.extract ? "  (extracted)" : "") << '\n';
    }
}

// The declared pixels, and the count of known problems in the publisher's files by where each is documented.
void print_errata(const Dataset& dataset) {
    if (dataset.pixels) {
        std::cout << "  pixels: " << dataset.pixels->bit_depth << "-bit " << dataset.pixels->colour << " ("
                  << dataset.pixels->source << "; verify --decode warns about an image that differs)\n";
    }
    if (dataset.errata.empty()) {
        return;
    }
    std::map<std::string, std::size_t> by_source;
    for (const auto& erratum : dataset.errata) {
        ++by_source[erratum.source];
    }
    std::cout << "  errata: " << dataset.errata.size() << " known problem" << (dataset.errata.size() == 1 ? "" : "s")
              << " in the publisher's files (verify --decode reports them as known)\n";
    for (const auto& [source, count] : by_source) {
        std::cout << "    " << count << " from " << source << '\n';
    }
}

// Declared links from this dataset, and links other datasets declare towards it.
void print_lineage(const Catalog& catalog, const Dataset& dataset) {
    std::vector<std::string> lines;
    for (const auto& link : dataset.lineage) {
        lines.push_back(link.relation + " " + link.dataset + (link.note.empty() ? "" : ": " + link.note));
    }
    for (const auto& other : catalog.datasets()) {
        // A pair both sides declare is shown once, as this dataset words it.
        bool declared_here = std::any_of(dataset.lineage.begin(), dataset.lineage.end(),
                                         [&](const LineageLink& link) { return catalog.find(link.dataset) == &other; });
        if (declared_here) {
            continue;
        }
        for (const auto& link : other.lineage) {
            if (catalog.find(link.dataset) == &dataset) {
                lines.push_back(other.id + " is " + link.relation + " this dataset" +
                                (link.note.empty() ? "" : ": " + link.note));
            }
        }
    }
    if (lines.empty()) {
        return;
    }
    std::cout << "  lineage:\n";
    for (const auto& line : lines) {
        std::cout << "    " << line << '\n';
    }
    std::cout << "  warning: these datasets share images; never train on one and test on the other "
                 "(train/test leakage)\n";
}

// "Effusion → Pleural Effusion, … (cxrcat labels)": how the dataset's own finding names map onto the
// common vocabulary; names mapped to nothing say so.
std::string label_map_text(const Dataset& dataset) {
    if (!dataset.label_table) {
        return "";
    }
    std::vector<std::string> pairs;
    for (const FindingMapping& mapping : dataset.label_table->findings) {
        if (!mapping.common) {
            pairs.push_back(mapping.native + " → (none)");
        } else {
            pairs.push_back(mapping.native == *mapping.common ? mapping.native
                                                              : mapping.native + " → " + *mapping.common);
        }
    }
    return join(pairs, ", ") + " (cxrcat labels " + dataset.id + "; not listed means " +
           (dataset.label_table->not_listed_negative ? "negative" : "not mentioned") + ")";
}

void print_dataset(const Catalog& catalog, const Dataset& dataset) {
    std::cout << dataset.id << " — " << dataset.name << '\n';
    field("aliases", join(dataset.aliases, ", "));
    field("publisher", dataset.publisher);
    field("year", dataset.year ? std::to_string(*dataset.year) : "");
    field("version", dataset.version);
    field("modality", std::string(to_string(dataset.modality)));
    field("category", std::string(to_string(dataset.category)));
    field("availability", std::string(to_string(dataset.availability)) +
                              (dataset.availability_reason.empty() ? "" : " — " + dataset.availability_reason));
    field("description", dataset.description);
    field("tasks", join(dataset.tasks, "; "));
    field("labels", dataset.labels.empty()
                        ? ""
                        : "(" + std::to_string(dataset.labels.size()) + ") " + join(dataset.labels, ", "));
    field("label map", label_map_text(dataset));
    field("counts", counts_text(dataset));
    field("formats", join(dataset.formats, ", "));
    field("size", dataset.size_bytes ? human_size(*dataset.size_bytes) + " (" + group_thousands(*dataset.size_bytes) +
                                           " bytes)" + (dataset.size_note.empty() ? "" : " — " + dataset.size_note)
                                     : (dataset.size_note.empty() ? "unknown" : "unknown — " + dataset.size_note));
    field("homepage", dataset.homepage);
    if (dataset.paper) {
        field("paper", paper_text(*dataset.paper));
    }
    field("licence", license_text(dataset.license));
    field("licence note", dataset.license.note);
    field("redistribution", std::string(to_string(dataset.redistribution)) +
                                (dataset.redistribution_note.empty() ? "" : " — " + dataset.redistribution_note));
    field("access", std::string(to_string(dataset.access.access_class)) + ": " +
                        std::string(explain(dataset.access.access_class)));
    field("terms", dataset.access.terms);
    field("terms url", dataset.access.terms_url);
    field("grantor", dataset.access.grantor);
    if (!dataset.access.steps.empty()) {
        std::cout << "  steps:\n";
        for (std::size_t i = 0; i < dataset.access.steps.size(); ++i) {
            std::cout << "    " << i + 1 << ". " << dataset.access.steps[i] << '\n';
        }
    }
    if (!dataset.sources.empty()) {
        std::cout << "  sources:\n";
        for (std::size_t i = 0; i < dataset.sources.size(); ++i) {
            print_source(i + 1, dataset.sources[i], alternative_mark(dataset.sources, i));
        }
    }
    print_lineage(catalog, dataset);
    print_errata(dataset);
    for (const auto& note : dataset.notes) {
        std::cout << "  note: " << note << '\n';
    }
    field("facts from", join(dataset.sources_of_facts, "; "));
    field("catalog file", dataset.origin);
}

int run_show(AppContext& context, const ShowOptions& options) {
    auto dataset = context.dataset(options.id);
    if (!dataset) {
        return context.fail(dataset.error());
    }
    if (options.format == "json") {
        std::cout << dataset_json(**dataset).dump(2) << '\n';
    } else {
        print_dataset(**context.catalog(), **dataset);
    }
    return 0;
}

} // namespace

void add_show_command(CLI::App& app, AppContext& context) {
    auto [command, options] = add_command(app, context, "show", "Show every fact about one dataset", run_show);
    command->add_option("id", options->id, "Dataset id or alias (case-insensitive)")->required();
    add_format_option(*command, options->format, {"text", "json"});
}

} // namespace cxrcat::cli
