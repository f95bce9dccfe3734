// SPDX-License-Identifier: Apache-2.0
#include "fetch/provenance.hpp"

#include "cxrcat/access/terms_ledger.hpp"
#include "cxrcat/base/redacted_url.hpp"
#include "cxrcat/base/version.hpp"
#include "cxrcat/files/atomic_file.hpp"

#include <sstream>

namespace cxrcat {

namespace {

using nlohmann::json;

std::string yaml_quote(const std::string& text) {
    std::string out = "\"";
    for (char c : text) {
        if (c == '"' || c == '\\') {
            out += '\\';
        }
        out += c == '\n' ? ' ' : c;
    }
    return out + "\"";
}

std::string citation_cff(const Dataset& dataset) {
    std::ostringstream out;
    out << "cff-version: 1.2.0\n"
        << "message: \"If you use this dataset, please cite it as below.\"\n"
        << "type: dataset\n"
        << "title: " << yaml_quote(dataset.name) << "\n"
        << "authors:\n  - name: " << yaml_quote(dataset.publisher.empty() ? dataset.name : dataset.publisher) << "\n";
    if (!dataset.homepage.empty()) {
        out << "url: " << yaml_quote(dataset.homepage) << "\n";
    }
    if (auto doi = dataset.raw.find("data_doi"); doi != dataset.raw.end() && doi->is_string()) {
        out << "doi: " << yaml_quote(doi->get<std::string>()) << "\n";
    }
    if (!dataset.license.spdx.value_or("").empty()) {
        out << "license: " << yaml_quote(*dataset.license.spdx) << "\n";
    }
    if (dataset.paper) {
        const Paper& paper = *dataset.paper;
        out << "preferred-citation:\n  type: article\n  title: " << yaml_quote(paper.title) << "\n";
        if (!paper.first_author.empty()) {
            // The catalog records the first author as "Surname Initials".
            std::string family = paper.first_author.substr(0, paper.first_author.find(' '));
            std::string given = paper.first_author.find(' ') == std::string::npos
                                    ? ""
                                    : paper.first_author.substr(paper.first_author.find(' ') + 1);
            out << "  authors:\n    - family-names: " << yaml_quote(family) << "\n";
            if (!given.empty()) {
                out << "      given-names: " << yaml_quote(given) << "\n";
            }
        }
        if (paper.year) {
            out << "  year: " << *paper.year << "\n";
        }
        if (!paper.venue.empty()) {
            out << "  journal: " << yaml_quote(paper.venue) << "\n";
        }
        if (!paper.doi.empty()) {
            out << "  doi: " << yaml_quote(paper.doi) << "\n";
        }
    }
    return out.str();
}

std::string terms_text(const Dataset& dataset, const FetchOptions& options) {
    std::ostringstream out;
    out << dataset.name << " (" << dataset.id << ")\n\n"
        << "Licence: " << dataset.license.name;
    if (dataset.license.spdx) {
        out << " [" << *dataset.license.spdx << "]";
    }
    out << "\n";
    if (dataset.license.url) {
        out << "Licence URL: " << *dataset.license.url << "\n";
    }
    out << "Access class: " << to_string(dataset.access.access_class) << "\n"
        << "Redistribution: " << to_string(dataset.redistribution)
        << (dataset.redistribution_note.empty() ? "" : " — " + dataset.redistribution_note) << "\n\n"
        << "Terms: " << dataset.access.terms << "\n"
        << "Terms URL: " << dataset.access.terms_url << "\n\n"
        << "Terms SHA-256: " << terms_digest(dataset) << "\n";
    if (!options.accepted_at.empty()) {
        out << "Accepted: " << options.accepted_at << "\n";
    }
    if (!options.catalog_sha256.empty()) {
        out << "Catalog SHA-256 at acceptance: " << options.catalog_sha256 << "\n";
    }
    return out.str();
}

// The catalog entry with every URL in it redacted (a user catalog may hold signed URLs or tokens).
json redacted_entry(json node) {
    if (node.is_object()) {
        for (auto& [key, value] : node.items()) {
            if (value.is_string() && (key == "url" || key.ends_with("_url"))) {
                value = RedactedUrl(value.get<std::string>()).str();
            } else {
                value = redacted_entry(std::move(value));
            }
        }
    } else if (node.is_array()) {
        for (auto& value : node) {
            value = redacted_entry(std::move(value));
        }
    }
    return node;
}

json source_json(const Dataset& dataset, const DatasetState& state, const FetchReport& report,
                 const FetchOptions& options) {
    json files = json::object();
    for (const auto& [path, entry] : state.files) {
        json digests = json::object();
        for (const auto& [algorithm, hex] : entry.digests) {
            digests[std::string(to_string(algorithm))] = hex;
        }
        files[path] = {{"size", entry.size},
                       {"digests", digests},
                       {"installed_at", entry.installed_at},
                       {"from_archive", entry.from_archive}};
    }
    json sources = json::array();
    for (const auto& source : dataset.sources) {
        json item = {{"provider", to_string(source.provider)}, {"params", source.params}};
        json urls = json::array();
        for (const auto& file : source.files) {
            if (file.url) {
                urls.push_back(RedactedUrl(*file.url).str());
            }
        }
        item["urls"] = urls;
        sources.push_back(item);
    }
    json results = json::array();
    for (const auto& file : report.files) {
        json result = {{"path", file.path}, {"status", to_string(file.status)}, {"digest_origin", file.digest_origin}};
        if (!file.served_revision.empty()) {
            result["revision"] = file.served_revision; // the commit the Hub served it from
        }
        results.push_back(std::move(result));
    }
    return {{"dataset", redacted_entry(dataset.raw)},
            {"sources", sources},
            {"files", files},
            {"last_fetch", {{"at", utc_now_iso8601()}, {"files", results}}},
            {"catalog_sha256", options.catalog_sha256},
            {"cxrcat_version", version()}};
}

} // namespace

std::vector<std::pair<std::string, std::string>> provenance_files(const Dataset& dataset, const DatasetState& state,
                                                                  const FetchReport& report,
                                                                  const FetchOptions& options) {
    std::string bib = dataset.citation.empty() ? "% The catalog records no BibTeX citation for " + dataset.id + "\n"
                                               : dataset.citation + (dataset.citation.back() == '\n' ? "" : "\n");
    return {{"CITATION.bib", bib},
            {"CITATION.cff", citation_cff(dataset)},
            {"TERMS.txt", terms_text(dataset, options)},
            {"SOURCE.json", source_json(dataset, state, report, options).dump(2) + "\n"}};
}

Result<void> write_provenance(const Dataset& dataset, const DatasetState& state, const FetchReport& report,
                              const FetchOptions& options) {
    const std::filesystem::path& dir = report.destination;
    for (const auto& [name, content] : provenance_files(dataset, state, report, options)) {
        if (auto written = write_file_atomically(dir / name, content); !written) {
            return written;
        }
    }
    return {};
}

} // namespace cxrcat
