// SPDX-License-Identifier: Apache-2.0
// A dataset's `sources`: each provider's parameters, the files the catalog lists, split archives.
#include "catalog/source_parser.hpp"

#include "catalog/split_archive_parser.hpp"
#include "cxrcat/base/digest.hpp"

#include <algorithm>

namespace cxrcat::catalog_entry {

using nlohmann::json;

namespace {

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
    file.extracted_size = reader.size(entry, pointer, "extracted_size");
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
    case Provider::kaggle: return {{}, {"competition", "dataset", "version", "url"}};
    case Provider::huggingface: return {{"repo"}, {"revision", "url"}};
    case Provider::idc: return {{"collection"}, {"modality", "url"}};
    case Provider::tcia: return {{"collection"}, {"modality", "host", "url"}};
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
    } else if (key == "host") {
        if (value != "nlst") {
            reader.problem(pointer, "must be \"nlst\" (NLST's own NBIA host), got \"" + value + "\"");
        }
    } else if (value.empty()) {
        reader.problem(pointer, "must not be empty");
    }
}

Source parse_source(Reader& reader, const json& entry, const std::string& pointer) {
    Source source;
    auto provider = reader.choice<Provider>(entry, pointer, "provider", true);
    source.provider = provider.value_or(Provider::manual);
    source.label = reader.text(entry, pointer, "label");
    source.note = reader.text(entry, pointer, "note");
    source.status = reader.choice<SourceStatus>(entry, pointer, "status", false).value_or(SourceStatus::available);
    source.status_reason = reader.text(entry, pointer, "status_reason");
    source.alternative = reader.text(entry, pointer, "alternative");
    source.name = reader.text(entry, pointer, "name");
    if (!source.name.empty() && (!is_slug(source.name) || parse_enum<Provider>(source.name))) {
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
    reader.each_object(entry, pointer, "files", provider == Provider::http,
                       [&](const json& file, const std::string& file_pointer) {
                           source.files.push_back(parse_file(reader, file, file_pointer, source.provider));
                       });
    source.split_archives =
        parse_split_archives(entry, pointer, source.files,
                             [&reader](const std::string& at, const std::string& text) { reader.problem(at, text); });
    return source;
}

} // namespace

void parse_sources(Reader& reader, const json& entry, const std::string& pointer, Dataset& dataset) {
    reader.each_object(entry, pointer, "sources", true, [&](const json& source, const std::string& source_pointer) {
        dataset.sources.push_back(parse_source(reader, source, source_pointer));
        const std::string& name = dataset.sources.back().name;
        if (!name.empty() && std::count_if(dataset.sources.begin(), dataset.sources.end(),
                                           [&](const Source& other) { return other.name == name; }) > 1) {
            reader.problem(child(source_pointer, "name"), "\"" + name + "\" names another source too");
        }
    });
}

} // namespace cxrcat::catalog_entry
