// SPDX-License-Identifier: Apache-2.0
#include "cxrcat/catalog/catalog_loader.hpp"

#include "cxrcat/catalog/dataset_parser.hpp"
#include "cxrcat/catalog/embedded_catalog.hpp"
#include "cxrcat/base/text.hpp"

#include <algorithm>
#include <cerrno>
#include <fstream>
#include <map>
#include <sstream>
#include <system_error>

namespace cxrcat {

namespace {

using nlohmann::json;

// "line L, column C" of a 1-based byte offset, as an editor counts them.
std::string line_and_column(std::string_view text, std::size_t byte) {
    std::size_t line = 1;
    std::size_t column = 1;
    for (std::size_t i = 0; i + 1 < byte && i < text.size(); ++i) {
        if (text[i] == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
    return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

// nlohmann's what() starts with "[json.exception.parse_error.101] parse error at line 1, column 2: ".
std::string parse_error_detail(const json::parse_error& error) {
    std::string what = error.what();
    auto colon = what.find(": ");
    return colon == std::string::npos ? what : what.substr(colon + 2);
}

// nlohmann's other what()s start with "[json.exception.out_of_range.406] ": drop that prefix.
std::string json_exception_detail(const json::exception& error) {
    std::string what = error.what();
    auto bracket = what.find("] ");
    return bracket == std::string::npos ? what : what.substr(bracket + 2);
}

// A dataset plus the JSON pointer of its object in its file ("" or "/datasets/3"), so that
// problems found after parsing (collisions, lineage) point into the right entry.
struct ParsedDataset {
    Dataset dataset;
    std::string pointer;
};

struct ParsedFile {
    std::vector<ParsedDataset> datasets;
};

ParsedFile parse_text(const CatalogText& input, std::vector<CatalogProblem>& problems) {
    ParsedFile parsed;
    json document;
    try {
        document = json::parse(input.text);
    } catch (const json::parse_error& error) {
        problems.push_back(
            {input.name, "/",
             "JSON syntax error at " + line_and_column(input.text, error.byte) + ": " + parse_error_detail(error)});
        return parsed;
    } catch (const json::exception& error) {
        // Not a syntax error but still unreadable: a number too large for a double (out_of_range.406).
        problems.push_back({input.name, "/", "JSON error: " + json_exception_detail(error)});
        return parsed;
    }
    auto add = [&](const json& entry, const std::string& pointer) {
        if (auto dataset = parse_dataset(entry, input.name, pointer, problems)) {
            dataset->builtin = input.builtin;
            parsed.datasets.push_back({std::move(*dataset), pointer});
        }
    };
    if (document.is_object() && document.contains("datasets") && !document.contains("id")) {
        const json& list = document["datasets"];
        if (!list.is_array()) {
            problems.push_back({input.name, "/datasets", "expected an array of dataset objects"});
            return parsed;
        }
        for (std::size_t i = 0; i < list.size(); ++i) {
            add(list[i], "/datasets/" + std::to_string(i));
        }
    } else if (document.is_object()) {
        add(document, "");
    } else {
        problems.push_back(
            {input.name, "/",
             "expected a dataset object or {\"datasets\": [...]}, got a JSON " + std::string(document.type_name())});
    }
    return parsed;
}

void read_file_into(const std::filesystem::path& path, std::vector<CatalogText>& texts,
                    std::vector<CatalogProblem>& problems) {
    std::ifstream stream(path, std::ios::binary);
    if (!stream) {
        std::error_code error(errno, std::generic_category());
        problems.push_back({path.string(), "/", "cannot read catalog file: " + error.message()});
        return;
    }
    std::ostringstream content;
    content << stream.rdbuf();
    texts.push_back({path.string(), content.str(), false});
}

void read_user_path(const std::filesystem::path& path, std::vector<CatalogText>& texts,
                    std::vector<CatalogProblem>& problems) {
    std::error_code error;
    auto status = std::filesystem::status(path, error);
    if (error || !std::filesystem::exists(status)) {
        problems.push_back(
            {path.string(), "/",
             "catalog path does not exist or cannot be read" + (error ? ": " + error.message() : std::string{})});
        return;
    }
    if (!std::filesystem::is_directory(status)) {
        read_file_into(path, texts, problems);
        return;
    }
    std::vector<std::filesystem::path> files;
    std::filesystem::directory_iterator it(path, error);
    if (error) {
        problems.push_back({path.string(), "/", "cannot list catalog directory: " + error.message()});
        return;
    }
    for (const auto& item : it) {
        if (item.path().extension() == ".json") {
            files.push_back(item.path());
        }
    }
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
        read_file_into(file, texts, problems);
    }
}

} // namespace

std::string CatalogProblem::to_string() const {
    return file + ": " + pointer + ": " + message;
}

LoadedCatalog load_catalog_texts(const std::vector<CatalogText>& texts) {
    LoadedCatalog loaded;
    std::vector<Dataset> datasets;
    std::vector<std::string> pointers;        // pointers[i]: where datasets[i] sits in its file
    std::map<std::string, std::size_t> by_id; // lowercase id -> index in datasets

    for (const auto& input : texts) {
        ++loaded.files_read;
        for (auto& [dataset, pointer] : parse_text(input, loaded.problems).datasets) {
            std::string key = to_lower(dataset.id);
            auto existing = by_id.find(key);
            if (existing == by_id.end()) {
                by_id.emplace(key, datasets.size());
                datasets.push_back(std::move(dataset));
                pointers.push_back(pointer);
                continue;
            }
            Dataset& previous = datasets[existing->second];
            if (previous.builtin && !dataset.builtin) {
                loaded.notices.push_back(dataset.origin + ": dataset '" + dataset.id + "' replaces the built-in entry");
                previous = std::move(dataset);
                pointers[existing->second] = pointer;
            } else {
                loaded.problems.push_back({dataset.origin, pointer + "/id",
                                           "id \"" + dataset.id + "\" is already defined in " + previous.origin});
            }
        }
    }

    // Ids and aliases share one namespace: a name must lead to exactly one dataset. A colliding
    // alias is reported and dropped, so even a catalog with problems keeps that guarantee (the
    // name stays with the id or the alias that claimed it first).
    std::map<std::string, std::size_t> owners;                        // lowercase id or alias -> index in datasets
    std::vector<std::pair<std::size_t, std::size_t>> dropped_aliases; // (dataset, alias) indexes
    for (std::size_t d = 0; d < datasets.size(); ++d) {
        owners.emplace(to_lower(datasets[d].id), d);
    }
    for (std::size_t d = 0; d < datasets.size(); ++d) {
        const Dataset& dataset = datasets[d];
        for (std::size_t i = 0; i < dataset.aliases.size(); ++i) {
            std::string key = to_lower(dataset.aliases[i]);
            auto [it, inserted] = owners.emplace(key, d);
            if (inserted) {
                continue;
            }
            if (it->second == d) {
                dropped_aliases.emplace_back(d, i); // repeats its own id or alias: harmless, kept once
                continue;
            }
            const Dataset& owner = datasets[it->second];
            dropped_aliases.emplace_back(d, i);
            if (dataset.builtin && !owner.builtin) {
                // A user entry clashes with a built-in alias: blame the user's file, the one to change.
                std::string where = pointers[it->second] + "/id";
                std::string what = "id \"" + owner.id + "\"";
                for (std::size_t j = 0; j < owner.aliases.size() && to_lower(owner.id) != key; ++j) {
                    if (to_lower(owner.aliases[j]) == key) {
                        where = pointers[it->second] + "/aliases/" + std::to_string(j);
                        what = "alias \"" + owner.aliases[j] + "\"";
                        break;
                    }
                }
                loaded.problems.push_back({owner.origin, where,
                                           what + " collides with an alias of the built-in dataset \"" + dataset.id +
                                               "\" (" + dataset.origin + ")"});
            } else {
                loaded.problems.push_back({dataset.origin, pointers[d] + "/aliases/" + std::to_string(i),
                                           "alias \"" + dataset.aliases[i] + "\" collides with dataset \"" + owner.id +
                                               "\" (" + owner.origin + ")"});
            }
        }
    }
    // Last first, so that the indexes of the aliases still to drop stay valid.
    for (auto drop = dropped_aliases.rbegin(); drop != dropped_aliases.rend(); ++drop) {
        auto& aliases = datasets[drop->first].aliases;
        aliases.erase(aliases.begin() + static_cast<std::ptrdiff_t>(drop->second));
    }
    for (std::size_t d = 0; d < datasets.size(); ++d) {
        const Dataset& dataset = datasets[d];
        for (std::size_t i = 0; i < dataset.lineage.size(); ++i) {
            if (owners.find(to_lower(dataset.lineage[i].dataset)) == owners.end()) {
                loaded.problems.push_back({dataset.origin, pointers[d] + "/lineage/" + std::to_string(i) + "/dataset",
                                           "unknown dataset \"" + dataset.lineage[i].dataset + "\""});
            }
        }
    }
    loaded.catalog = Catalog(std::move(datasets));
    return loaded;
}

LoadedCatalog load_catalog(const CatalogSources& sources) {
    std::vector<CatalogText> texts;
    std::vector<CatalogProblem> read_problems;
    if (sources.include_builtin) {
        for (const auto& file : embedded_catalog_files()) {
            texts.push_back({std::string(file.name), std::string(file.content), true});
        }
    }
    for (const auto& path : sources.user_paths) {
        read_user_path(path, texts, read_problems);
    }
    LoadedCatalog loaded = load_catalog_texts(texts);
    loaded.problems.insert(loaded.problems.begin(), read_problems.begin(), read_problems.end());
    return loaded;
}

std::vector<std::filesystem::path> split_catalog_path_list(std::string_view value) {
    std::vector<std::filesystem::path> paths;
    std::size_t start = 0;
    while (start <= value.size()) {
        std::size_t end = value.find(':', start);
        auto part = value.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
        if (!part.empty()) {
            paths.emplace_back(part);
        }
        if (end == std::string_view::npos) {
            break;
        }
        start = end + 1;
    }
    return paths;
}

} // namespace cxrcat
