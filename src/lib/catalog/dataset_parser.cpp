// SPDX-License-Identifier: Apache-2.0
// Validation and conversion of one dataset object, part by part (identity, description, provenance,
// terms, lineage, sources). Every check appends a problem and carries on, so that one run reports
// everything wrong with a file.
#include "cxrcat/catalog/dataset_parser.hpp"

#include "catalog/catalog_reader.hpp"
#include "catalog/label_table_parser.hpp"
#include "catalog/source_parser.hpp"

#include <algorithm>

namespace cxrcat {

namespace catalog_entry {

using nlohmann::json;

namespace {

std::optional<Paper> parse_paper(Reader& reader, const json& entry, const std::string& pointer) {
    Paper paper;
    paper.title = reader.text(entry, pointer, "title", true);
    paper.first_author = reader.text(entry, pointer, "first_author");
    paper.year = reader.integer(entry, pointer, "year");
    paper.venue = reader.text(entry, pointer, "venue");
    paper.doi = reader.text(entry, pointer, "doi");
    paper.arxiv = reader.text(entry, pointer, "arxiv");
    paper.url = reader.url(entry, pointer, "url");
    return paper;
}

void parse_identity(Reader& reader, const json& entry, const std::string& pointer, Dataset& dataset) {
    dataset.id = reader.text(entry, pointer, "id", true);
    if (!dataset.id.empty() && !is_slug(dataset.id)) {
        reader.problem(child(pointer, "id"),
                       "must be a lowercase slug ([a-z0-9][a-z0-9._-]*), got \"" + dataset.id + "\"");
    }
    dataset.aliases = reader.text_list(entry, pointer, "aliases");
    for (std::size_t i = 0; i < dataset.aliases.size(); ++i) {
        if (!is_slug(dataset.aliases[i])) {
            reader.problem(child(child(pointer, "aliases"), i),
                           "must be a lowercase slug ([a-z0-9][a-z0-9._-]*), got \"" + dataset.aliases[i] + "\"");
        }
    }
    dataset.name = reader.text(entry, pointer, "name", true);
    dataset.publisher = reader.text(entry, pointer, "publisher");
    dataset.year = reader.integer(entry, pointer, "year");
    dataset.version = reader.text(entry, pointer, "version");
    dataset.description = reader.text(entry, pointer, "description");
}

void parse_description(Reader& reader, const json& entry, const std::string& pointer, Dataset& dataset) {
    dataset.modality = reader.choice<Modality>(entry, pointer, "modality", true).value_or(Modality::cxr);
    dataset.category = reader.choice<Category>(entry, pointer, "category", true).value_or(Category::general);
    dataset.tasks = reader.text_list(entry, pointer, "tasks");
    dataset.labels = reader.text_list(entry, pointer, "labels");
    dataset.formats = reader.text_list(entry, pointer, "formats");
    if (const json* counts = reader.object(entry, pointer, "counts", false)) {
        std::string counts_pointer = child(pointer, "counts");
        for (const auto& [key, value] : counts->items()) {
            if (value.is_null()) {
                dataset.counts.emplace_back(key, std::nullopt);
            } else if (auto count = reader.size(*counts, counts_pointer, key)) {
                dataset.counts.emplace_back(key, count);
            }
        }
    }
    dataset.size_bytes = reader.size(entry, pointer, "size_bytes");
    dataset.size_note = reader.text(entry, pointer, "size_note");
}

void parse_provenance(Reader& reader, const json& entry, const std::string& pointer, Dataset& dataset) {
    dataset.homepage = reader.url(entry, pointer, "homepage");
    if (const json* paper = reader.object(entry, pointer, "paper", false)) {
        dataset.paper = parse_paper(reader, *paper, child(pointer, "paper"));
    }
    // Related papers are checked, not kept.
    reader.each_object(
        entry, pointer, "related_papers", false,
        [&](const json& paper, const std::string& paper_pointer) { (void)parse_paper(reader, paper, paper_pointer); });
    dataset.citation = reader.text(entry, pointer, "citation");
    dataset.sources_of_facts = reader.text_list(entry, pointer, "sources_of_facts");
    dataset.notes = reader.text_list(entry, pointer, "notes");
}

void parse_terms(Reader& reader, const json& entry, const std::string& pointer, Dataset& dataset) {
    if (const json* license = reader.object(entry, pointer, "license", true)) {
        std::string license_pointer = child(pointer, "license");
        dataset.license.name = reader.text(*license, license_pointer, "name", true);
        dataset.license.spdx = reader.optional_text(*license, license_pointer, "spdx");
        std::string url = reader.url(*license, license_pointer, "url");
        if (!url.empty()) {
            dataset.license.url = url;
        }
        if (const json* commercial =
                reader.typed(*license, license_pointer, "commercial_use", false, json::value_t::boolean, "a boolean")) {
            dataset.license.commercial_use = commercial->get<bool>();
        }
        dataset.license.note = reader.text(*license, license_pointer, "note");
    }
    dataset.redistribution =
        reader.choice<Redistribution>(entry, pointer, "redistribution", false).value_or(Redistribution::unknown);
    dataset.redistribution_note = reader.text(entry, pointer, "redistribution_note");

    // availability: "withdrawn" or {"status": "withdrawn", "reason": "..."}
    auto availability = entry.find("availability");
    if (availability != entry.end() && availability->is_object()) {
        std::string availability_pointer = child(pointer, "availability");
        dataset.availability = reader.choice<Availability>(*availability, availability_pointer, "status", true)
                                   .value_or(Availability::unknown);
        dataset.availability_reason = reader.text(*availability, availability_pointer, "reason");
    } else {
        dataset.availability =
            reader.choice<Availability>(entry, pointer, "availability", false).value_or(Availability::available);
    }

    if (const json* access = reader.object(entry, pointer, "access", true)) {
        std::string access_pointer = child(pointer, "access");
        dataset.access.access_class =
            reader.choice<AccessClass>(*access, access_pointer, "class", true).value_or(AccessClass::restricted);
        dataset.access.terms = reader.text(*access, access_pointer, "terms", true);
        dataset.access.terms_url = reader.url(*access, access_pointer, "terms_url", true);
        dataset.access.steps = reader.text_list(*access, access_pointer, "steps");
        dataset.access.grantor = reader.text(*access, access_pointer, "grantor");
        dataset.access.note = reader.text(*access, access_pointer, "note");
    }
}

void parse_lineage(Reader& reader, const json& entry, const std::string& pointer, Dataset& dataset) {
    static const std::vector<std::string> k_relations{"derived-from", "subset-of", "superset-of", "version-of",
                                                      "overlaps"};
    reader.each_object(entry, pointer, "lineage", false, [&](const json& link, const std::string& link_pointer) {
        LineageLink parsed;
        parsed.dataset = reader.text(link, link_pointer, "dataset", true);
        parsed.relation = reader.text(link, link_pointer, "relation", true);
        if (!parsed.relation.empty() &&
            std::find(k_relations.begin(), k_relations.end(), parsed.relation) == k_relations.end()) {
            reader.unknown_value(child(link_pointer, "relation"), parsed.relation, k_relations);
        }
        parsed.note = reader.text(link, link_pointer, "note");
        dataset.lineage.push_back(std::move(parsed));
    });
}

void parse_errata(Reader& reader, const json& entry, const std::string& pointer, Dataset& dataset) {
    reader.each_object(entry, pointer, "errata", false, [&](const json& item, const std::string& item_pointer) {
        Erratum erratum;
        erratum.path = reader.text(item, item_pointer, "path", true);
        erratum.problem =
            reader.choice<ErratumProblem>(item, item_pointer, "problem", true).value_or(ErratumProblem::corrupt);
        erratum.source = reader.text(item, item_pointer, "source", true);
        erratum.note = reader.text(item, item_pointer, "note");
        dataset.errata.push_back(std::move(erratum));
    });
}

void parse_pixels(Reader& reader, const json& entry, const std::string& pointer, Dataset& dataset) {
    static const std::vector<std::string> k_colours{"grey", "RGB", "RGBA", "grey+alpha", "indexed"};
    auto found = entry.find("pixels");
    if (found == entry.end() || found->is_null()) {
        return;
    }
    std::string pixels_pointer = child(pointer, "pixels");
    if (!found->is_object()) {
        reader.problem(pixels_pointer, "expected an object, got " + type_phrase(*found));
        return;
    }
    PixelDeclaration declared;
    auto bits = reader.integer(*found, pixels_pointer, "bit_depth");
    if (!bits || *bits < 1 || *bits > 32) {
        reader.problem(child(pixels_pointer, "bit_depth"), "expected the bits per sample, 1 to 32");
    } else {
        declared.bit_depth = static_cast<unsigned>(*bits);
    }
    declared.colour = reader.text(*found, pixels_pointer, "colour", true);
    if (!declared.colour.empty() && std::find(k_colours.begin(), k_colours.end(), declared.colour) == k_colours.end()) {
        reader.unknown_value(child(pixels_pointer, "colour"), declared.colour, k_colours);
    }
    declared.source = reader.text(*found, pixels_pointer, "source", true);
    declared.note = reader.text(*found, pixels_pointer, "note");
    dataset.pixels = std::move(declared);
}

} // namespace

} // namespace catalog_entry

std::optional<Dataset> parse_dataset(const nlohmann::json& entry, const std::string& file, const std::string& pointer,
                                     std::vector<CatalogProblem>& problems) {
    catalog_entry::Reader reader(file, problems);
    if (!entry.is_object()) {
        reader.problem(pointer, "expected a dataset object, got " + catalog_entry::type_phrase(entry));
        return std::nullopt;
    }
    Dataset dataset;
    catalog_entry::parse_identity(reader, entry, pointer, dataset);
    catalog_entry::parse_description(reader, entry, pointer, dataset);
    catalog_entry::parse_provenance(reader, entry, pointer, dataset);
    catalog_entry::parse_terms(reader, entry, pointer, dataset);
    catalog_entry::parse_lineage(reader, entry, pointer, dataset);
    catalog_entry::parse_errata(reader, entry, pointer, dataset);
    catalog_entry::parse_pixels(reader, entry, pointer, dataset);
    catalog_entry::parse_sources(reader, entry, pointer, dataset);
    dataset.label_table = catalog_entry::parse_label_table(reader, entry, pointer);
    if (reader.failed()) {
        return std::nullopt;
    }
    dataset.raw = entry;
    dataset.origin = file;
    return dataset;
}

} // namespace cxrcat
