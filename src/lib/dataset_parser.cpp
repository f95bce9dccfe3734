// SPDX-License-Identifier: Apache-2.0
// Validation and conversion of one dataset object. Every check appends a problem and carries on, so
// that one run reports everything wrong with a file.
#include "cxrcat/dataset_parser.hpp"

#include "cxrcat/text.hpp"
#include "split_archive_parser.hpp"

#include <algorithm>
#include <functional>

namespace cxrcat {

namespace {

using nlohmann::json;

std::string child(const std::string& pointer, std::string_view key) {
    std::string escaped;
    for (char c : key) {
        if (c == '~') {
            escaped += "~0";
        } else if (c == '/') {
            escaped += "~1";
        } else {
            escaped += c;
        }
    }
    return pointer + "/" + escaped;
}

std::string child(const std::string& pointer, std::size_t index) {
    return pointer + "/" + std::to_string(index);
}

std::string type_phrase(const json& value) {
    switch (value.type()) {
    case json::value_t::string: return "a string";
    case json::value_t::boolean: return "a boolean";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned: return "an integer";
    case json::value_t::number_float: return "a number with a fraction";
    case json::value_t::array: return "an array";
    case json::value_t::object: return "an object";
    case json::value_t::null: return "null";
    default: return "an unsupported value";
    }
}

bool is_slug(std::string_view text) {
    if (text.empty() || !((text[0] >= 'a' && text[0] <= 'z') || (text[0] >= '0' && text[0] <= '9'))) {
        return false;
    }
    return std::all_of(text.begin(), text.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    });
}

// Plain loops rather than <regex>: GCC 12 warns inside std::regex at -O2 with sanitizers (a false
// maybe-uninitialized that -Werror turns into a failed build), and compiling patterns costs start-up time.

// http:// or https:// (any case), a non-empty host, and no white space anywhere.
bool is_http_url(std::string_view text) {
    std::string scheme = to_lower(text.substr(0, 8));
    std::size_t host_start = 0;
    if (scheme.rfind("https://", 0) == 0) {
        host_start = 8;
    } else if (scheme.rfind("http://", 0) == 0) {
        host_start = 7;
    } else {
        return false;
    }
    if (text.find_first_of(" \t\n\r\f\v") != std::string_view::npos) {
        return false;
    }
    std::size_t host_end = text.find_first_of("/?#", host_start);
    return (host_end == std::string_view::npos ? text.size() : host_end) > host_start;
}

// owner/name, each part made of [A-Za-z0-9._-].
bool is_owner_slash_name(std::string_view text) {
    auto is_name_char = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
               c == '-';
    };
    std::size_t slash = text.find('/');
    if (slash == std::string_view::npos || slash == 0 || slash + 1 == text.size()) {
        return false;
    }
    std::string_view owner = text.substr(0, slash);
    std::string_view name = text.substr(slash + 1);
    return std::all_of(owner.begin(), owner.end(), is_name_char) && std::all_of(name.begin(), name.end(), is_name_char);
}

// Reads typed values out of JSON objects, recording a problem for each mismatch.
class Reader {
  public:
    Reader(const std::string& file, std::vector<CatalogProblem>& problems) : m_file(file), m_problems(problems) {}

    void problem(const std::string& pointer, std::string message) {
        m_problems.push_back({m_file, pointer.empty() ? "/" : pointer, std::move(message)});
        m_failed = true;
    }

    [[nodiscard]] bool failed() const { return m_failed; }

    // The member `key` of object, or nullptr when absent or null (reported when required).
    const json* member(const json& object, const std::string& pointer, std::string_view key, bool required) {
        auto it = object.find(key);
        if (it == object.end() || it->is_null()) {
            if (required) {
                problem(child(pointer, key),
                        it == object.end() ? "required field is missing" : "required field must not be null");
            }
            return nullptr;
        }
        return &*it;
    }

    const json* typed(const json& object, const std::string& pointer, std::string_view key, bool required,
                      json::value_t type, std::string_view expected) {
        const json* value = member(object, pointer, key, required);
        if (value == nullptr) {
            return nullptr;
        }
        bool matches = value->type() == type || (type == json::value_t::number_integer && value->is_number_unsigned());
        if (!matches) {
            problem(child(pointer, key), "expected " + std::string(expected) + ", got " + type_phrase(*value));
            return nullptr;
        }
        return value;
    }

    std::string text(const json& object, const std::string& pointer, std::string_view key, bool required = false) {
        const json* value = typed(object, pointer, key, required, json::value_t::string, "a string");
        if (value == nullptr) {
            return {};
        }
        auto out = value->get<std::string>();
        if (required && out.empty()) {
            problem(child(pointer, key), "must not be empty");
        }
        return out;
    }

    std::optional<std::string> optional_text(const json& object, const std::string& pointer, std::string_view key) {
        const json* value = typed(object, pointer, key, false, json::value_t::string, "a string");
        return value ? std::optional<std::string>(value->get<std::string>()) : std::nullopt;
    }

    std::string url(const json& object, const std::string& pointer, std::string_view key, bool required = false) {
        std::string value = text(object, pointer, key, required);
        if (!value.empty() && !is_http_url(value)) {
            problem(child(pointer, key), "must be an http:// or https:// URL, got \"" + value + "\"");
        }
        return value;
    }

    std::vector<std::string> text_list(const json& object, const std::string& pointer, std::string_view key) {
        const json* value = typed(object, pointer, key, false, json::value_t::array, "an array of strings");
        std::vector<std::string> out;
        if (value == nullptr) {
            return out;
        }
        for (std::size_t i = 0; i < value->size(); ++i) {
            const json& item = (*value)[i];
            if (!item.is_string()) {
                problem(child(child(pointer, key), i), "expected a string, got " + type_phrase(item));
            } else {
                out.push_back(item.get<std::string>());
            }
        }
        return out;
    }

    std::optional<std::uint64_t> size(const json& object, const std::string& pointer, std::string_view key) {
        const json* value = member(object, pointer, key, false);
        if (value == nullptr) {
            return std::nullopt;
        }
        if (value->is_number_unsigned()) {
            return value->get<std::uint64_t>();
        }
        if (value->is_number_integer()) {
            problem(child(pointer, key), "must not be negative, got " + value->dump());
        } else {
            problem(child(pointer, key), "expected a non-negative integer, got " + type_phrase(*value));
        }
        return std::nullopt;
    }

    std::optional<int> integer(const json& object, const std::string& pointer, std::string_view key) {
        const json* value = typed(object, pointer, key, false, json::value_t::number_integer, "an integer");
        if (value == nullptr) {
            return std::nullopt;
        }
        auto number = value->get<std::int64_t>();
        if (number < 0 || number > 9999) {
            problem(child(pointer, key), "must be a year between 0 and 9999, got " + value->dump());
            return std::nullopt;
        }
        return static_cast<int>(number);
    }

    template <typename Enum>
    std::optional<Enum> choice(const json& object, const std::string& pointer, std::string_view key, bool required,
                               std::optional<Enum> (*parse)(std::string_view), std::vector<std::string> (*names)()) {
        const json* value = typed(object, pointer, key, required, json::value_t::string, "a string");
        if (value == nullptr) {
            return std::nullopt;
        }
        auto parsed = parse(value->get<std::string>());
        if (!parsed) {
            problem(child(pointer, key),
                    "unknown value \"" + value->get<std::string>() + "\"; expected one of: " + join_names(names()));
        }
        return parsed;
    }

    const json* object(const json& parent, const std::string& pointer, std::string_view key, bool required) {
        return typed(parent, pointer, key, required, json::value_t::object, "an object");
    }

    const json* array(const json& parent, const std::string& pointer, std::string_view key, bool required) {
        return typed(parent, pointer, key, required, json::value_t::array, "an array");
    }

  private:
    static std::string join_names(const std::vector<std::string>& names) {
        std::string out;
        for (const auto& name : names) {
            out += (out.empty() ? "" : ", ") + name;
        }
        return out;
    }

    const std::string& m_file;
    std::vector<CatalogProblem>& m_problems;
    bool m_failed = false;
};

void check_relative_path(Reader& reader, const std::string& pointer, const std::string& path) {
    if (path.empty()) {
        return; // already reported as empty
    }
    if (path.front() == '/') {
        reader.problem(pointer, "must be a relative path, got absolute path \"" + path + "\"");
        return;
    }
    std::size_t start = 0;
    while (start <= path.size()) {
        std::size_t end = path.find('/', start);
        std::string_view part =
            std::string_view(path).substr(start, end == std::string::npos ? std::string::npos : end - start);
        if (part == "..") {
            reader.problem(pointer, R"(must not contain "..", got ")" + path + "\"");
            return;
        }
        if (end == std::string::npos) {
            break;
        }
        start = end + 1;
    }
}

FileEntry parse_file(Reader& reader, const json& entry, const std::string& pointer, Provider provider) {
    FileEntry file;
    file.path = reader.text(entry, pointer, "path", true);
    check_relative_path(reader, child(pointer, "path"), file.path);
    std::string url = reader.url(entry, pointer, "url", provider == Provider::http);
    if (!url.empty()) {
        file.url = url;
    }
    file.size = reader.size(entry, pointer, "size");
    for (auto algorithm :
         {DigestAlgorithm::md5, DigestAlgorithm::sha1, DigestAlgorithm::sha256, DigestAlgorithm::sha512}) {
        std::string key(to_string(algorithm));
        std::string value = reader.text(entry, pointer, key);
        if (entry.contains(key) && entry[key].is_string()) {
            if (!is_valid_hex_digest(algorithm, value)) {
                reader.problem(child(pointer, key), key + " must be " + std::to_string(hex_length(algorithm)) +
                                                        " lowercase hex characters, got \"" + value + "\"");
            } else {
                file.digests.emplace(algorithm, value);
            }
        }
    }
    if (const json* extract = reader.typed(entry, pointer, "extract", false, json::value_t::boolean, "a boolean")) {
        file.extract = extract->get<bool>();
    }
    file.note = reader.text(entry, pointer, "note");
    return file;
}

// The parameters each provider needs, beyond `files`.
struct ProviderParams {
    std::vector<std::string_view> required;
    std::vector<std::string_view> optional;
};

ProviderParams params_for(Provider provider) {
    switch (provider) {
    case Provider::http: return {{}, {"url"}};
    case Provider::zenodo: return {{"record"}, {"url"}};
    case Provider::physionet: return {{"project", "version"}, {"url"}};
    case Provider::kaggle: return {{}, {"competition", "dataset", "url"}};
    case Provider::huggingface: return {{"repo"}, {"revision", "url"}};
    case Provider::idc: return {{"collection"}, {"modality", "url"}};
    case Provider::tcia: return {{"collection"}, {"url"}};
    case Provider::manual: return {{}, {"url"}};
    }
    return {};
}

void check_param(Reader& reader, const std::string& pointer, std::string_view key, const std::string& value) {
    if (key == "url") {
        if (!is_http_url(value)) {
            reader.problem(pointer, "must be an http:// or https:// URL, got \"" + value + "\"");
        }
    } else if (key == "record") {
        if (value.empty() || !std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
            reader.problem(pointer, "must be a numeric Zenodo record id, got \"" + value + "\"");
        }
    } else if (key == "project" || key == "competition") {
        if (!is_slug(value)) {
            reader.problem(pointer, "must be a lowercase slug, got \"" + value + "\"");
        }
    } else if (key == "dataset" || key == "repo") {
        if (!is_owner_slash_name(value)) {
            reader.problem(pointer, "must have the form owner/name, got \"" + value + "\"");
        }
    } else if (value.empty()) {
        reader.problem(pointer, "must not be empty");
    }
}

Source parse_source(Reader& reader, const json& entry, const std::string& pointer) {
    Source source;
    auto provider = reader.choice(entry, pointer, "provider", true, parse_provider, provider_names);
    source.provider = provider.value_or(Provider::manual);
    source.label = reader.text(entry, pointer, "label");
    source.note = reader.text(entry, pointer, "note");
    source.status = reader.choice(entry, pointer, "status", false, parse_source_status, source_status_names)
                        .value_or(SourceStatus::available);
    source.status_reason = reader.text(entry, pointer, "status_reason");
    source.alternative = reader.text(entry, pointer, "alternative");
    source.name = reader.text(entry, pointer, "name");
    if (!source.name.empty() && (!is_slug(source.name) || parse_provider(source.name))) {
        reader.problem(child(pointer, "name"),
                       "must be a lowercase slug other than a provider name, got \"" + source.name + "\"");
    }
    if (provider) {
        ProviderParams params = params_for(*provider);
        for (auto key : params.required) {
            std::string value = reader.text(entry, pointer, key);
            if (!entry.contains(key) || entry[key].is_null()) {
                reader.problem(child(pointer, key),
                               "required for provider \"" + std::string(to_string(*provider)) + "\"");
            } else if (entry[key].is_string()) {
                check_param(reader, child(pointer, key), key, value);
                source.params.emplace(key, value);
            }
        }
        for (auto key : params.optional) {
            if (auto value = reader.optional_text(entry, pointer, key)) {
                check_param(reader, child(pointer, key), key, *value);
                source.params.emplace(key, *value);
            }
        }
        // Every provider: the subdirectory of the dataset its files land in (two repos of one
        // dataset both have a README.md).
        if (auto directory = reader.optional_text(entry, pointer, "directory")) {
            check_relative_path(reader, child(pointer, "directory"), *directory);
            source.params.emplace("directory", *directory);
        }
        if (*provider == Provider::kaggle && source.params.count("competition") == source.params.count("dataset")) {
            reader.problem(child(pointer, "competition"),
                           R"(provider "kaggle" needs exactly one of "competition" or "dataset")");
        }
    }
    const json* files = reader.array(entry, pointer, "files", provider == Provider::http);
    if (files != nullptr) {
        std::string files_pointer = child(pointer, "files");
        for (std::size_t i = 0; i < files->size(); ++i) {
            const json& file = (*files)[i];
            if (!file.is_object()) {
                reader.problem(child(files_pointer, i), "expected an object, got " + type_phrase(file));
                continue;
            }
            source.files.push_back(parse_file(reader, file, child(files_pointer, i), source.provider));
        }
    }
    source.split_archives =
        parse_split_archives(entry, pointer, source.files,
                             [&reader](const std::string& at, const std::string& text) { reader.problem(at, text); });
    return source;
}

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
    dataset.modality =
        reader.choice(entry, pointer, "modality", true, parse_modality, modality_names).value_or(Modality::cxr);
    dataset.category =
        reader.choice(entry, pointer, "category", true, parse_category, category_names).value_or(Category::general);
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
    if (const json* related = reader.array(entry, pointer, "related_papers", false)) {
        for (std::size_t i = 0; i < related->size(); ++i) {
            if (!(*related)[i].is_object()) {
                reader.problem(child(child(pointer, "related_papers"), i),
                               "expected an object, got " + type_phrase((*related)[i]));
            } else {
                (void)parse_paper(reader, (*related)[i], child(child(pointer, "related_papers"), i));
            }
        }
    }
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
        reader.choice(entry, pointer, "redistribution", false, parse_redistribution, redistribution_names)
            .value_or(Redistribution::unknown);
    dataset.redistribution_note = reader.text(entry, pointer, "redistribution_note");

    // availability: "withdrawn" or {"status": "withdrawn", "reason": "..."}
    auto availability = entry.find("availability");
    if (availability != entry.end() && availability->is_object()) {
        std::string availability_pointer = child(pointer, "availability");
        dataset.availability =
            reader.choice(*availability, availability_pointer, "status", true, parse_availability, availability_names)
                .value_or(Availability::unknown);
        dataset.availability_reason = reader.text(*availability, availability_pointer, "reason");
    } else {
        dataset.availability =
            reader.choice(entry, pointer, "availability", false, parse_availability, availability_names)
                .value_or(Availability::available);
    }

    if (const json* access = reader.object(entry, pointer, "access", true)) {
        std::string access_pointer = child(pointer, "access");
        dataset.access.access_class =
            reader.choice(*access, access_pointer, "class", true, parse_access_class, access_class_names)
                .value_or(AccessClass::restricted);
        dataset.access.terms = reader.text(*access, access_pointer, "terms", true);
        dataset.access.terms_url = reader.url(*access, access_pointer, "terms_url", true);
        dataset.access.steps = reader.text_list(*access, access_pointer, "steps");
        dataset.access.grantor = reader.text(*access, access_pointer, "grantor");
        dataset.access.note = reader.text(*access, access_pointer, "note");
    }
}

void parse_lineage(Reader& reader, const json& entry, const std::string& pointer, Dataset& dataset) {
    static const std::vector<std::string_view> k_relations{"derived-from", "subset-of", "superset-of", "version-of",
                                                           "overlaps"};
    const json* lineage = reader.array(entry, pointer, "lineage", false);
    if (lineage == nullptr) {
        return;
    }
    std::string lineage_pointer = child(pointer, "lineage");
    for (std::size_t i = 0; i < lineage->size(); ++i) {
        const json& link = (*lineage)[i];
        std::string link_pointer = child(lineage_pointer, i);
        if (!link.is_object()) {
            reader.problem(link_pointer, "expected an object, got " + type_phrase(link));
            continue;
        }
        LineageLink parsed;
        parsed.dataset = reader.text(link, link_pointer, "dataset", true);
        parsed.relation = reader.text(link, link_pointer, "relation", true);
        if (!parsed.relation.empty() &&
            std::find(k_relations.begin(), k_relations.end(), parsed.relation) == k_relations.end()) {
            reader.problem(child(link_pointer, "relation"),
                           "unknown value \"" + parsed.relation +
                               "\"; expected one of: derived-from, subset-of, superset-of, version-of, overlaps");
        }
        parsed.note = reader.text(link, link_pointer, "note");
        dataset.lineage.push_back(std::move(parsed));
    }
}

void parse_sources(Reader& reader, const json& entry, const std::string& pointer, Dataset& dataset) {
    const json* sources = reader.array(entry, pointer, "sources", true);
    if (sources == nullptr) {
        return;
    }
    std::string sources_pointer = child(pointer, "sources");
    for (std::size_t i = 0; i < sources->size(); ++i) {
        const json& source = (*sources)[i];
        if (!source.is_object()) {
            reader.problem(child(sources_pointer, i), "expected an object, got " + type_phrase(source));
            continue;
        }
        dataset.sources.push_back(parse_source(reader, source, child(sources_pointer, i)));
        const std::string& name = dataset.sources.back().name;
        if (!name.empty() && std::count_if(dataset.sources.begin(), dataset.sources.end(),
                                           [&](const Source& other) { return other.name == name; }) > 1) {
            reader.problem(child(child(sources_pointer, i), "name"), "\"" + name + "\" names another source too");
        }
    }
}

} // namespace

std::optional<Dataset> parse_dataset(const json& entry, const std::string& file, const std::string& pointer,
                                     std::vector<CatalogProblem>& problems) {
    Reader reader(file, problems);
    if (!entry.is_object()) {
        reader.problem(pointer, "expected a dataset object, got " + type_phrase(entry));
        return std::nullopt;
    }
    Dataset dataset;
    parse_identity(reader, entry, pointer, dataset);
    parse_description(reader, entry, pointer, dataset);
    parse_provenance(reader, entry, pointer, dataset);
    parse_terms(reader, entry, pointer, dataset);
    parse_lineage(reader, entry, pointer, dataset);
    parse_sources(reader, entry, pointer, dataset);
    if (reader.failed()) {
        return std::nullopt;
    }
    dataset.raw = entry;
    dataset.origin = file;
    return dataset;
}

} // namespace cxrcat
