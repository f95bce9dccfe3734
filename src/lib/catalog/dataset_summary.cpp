// SPDX-License-Identifier: Apache-2.0
#include "cxrcat/catalog/dataset_summary.hpp"

#include <nlohmann/json.hpp>

namespace cxrcat {

namespace {

using nlohmann::json;

template <typename T> json optional_json(const std::optional<T>& value) {
    return value ? json(*value) : json(nullptr);
}

template <typename T> std::optional<T> optional_from(const json& object, const char* key) {
    const json& value = object.at(key);
    return value.is_null() ? std::nullopt : std::optional<T>(value.get<T>());
}

// One enum field read back with the catalog's own parser, so a spelling the catalog rejects fails here too.
template <typename T, typename Parse> T enum_from(const json& object, const char* key, Parse parse) {
    auto text = object.at(key).get<std::string>();
    if (auto value = parse(text)) {
        return *value;
    }
    throw std::invalid_argument(std::string(key) + " '" + text + "' is not a known value");
}

json summary_json(const DatasetSummary& summary) {
    return {{"id", summary.id},
            {"name", summary.name},
            {"modality", to_string(summary.modality)},
            {"category", to_string(summary.category)},
            {"access", to_string(summary.access_class)},
            {"tasks", summary.tasks},
            {"license_name", summary.license_name},
            {"license_spdx", optional_json(summary.license_spdx)},
            {"redistribution", to_string(summary.redistribution)},
            {"availability", to_string(summary.availability)},
            {"images", optional_json(summary.images)},
            {"size_bytes", optional_json(summary.size_bytes)},
            {"year", optional_json(summary.year)},
            {"homepage", summary.homepage}};
}

DatasetSummary summary_from(const json& object) {
    DatasetSummary summary;
    summary.id = object.at("id").get<std::string>();
    summary.name = object.at("name").get<std::string>();
    summary.modality = enum_from<Modality>(object, "modality", parse_enum<Modality>);
    summary.category = enum_from<Category>(object, "category", parse_enum<Category>);
    summary.access_class = enum_from<AccessClass>(object, "access", parse_enum<AccessClass>);
    summary.tasks = object.at("tasks").get<std::vector<std::string>>();
    summary.license_name = object.at("license_name").get<std::string>();
    summary.license_spdx = optional_from<std::string>(object, "license_spdx");
    summary.redistribution = enum_from<Redistribution>(object, "redistribution", parse_enum<Redistribution>);
    summary.availability = enum_from<Availability>(object, "availability", parse_enum<Availability>);
    summary.images = optional_from<std::uint64_t>(object, "images");
    summary.size_bytes = optional_from<std::uint64_t>(object, "size_bytes");
    summary.year = optional_from<int>(object, "year");
    summary.homepage = object.at("homepage").get<std::string>();
    return summary;
}

} // namespace

DatasetSummary summarize(const Dataset& dataset) {
    return {.id = dataset.id,
            .name = dataset.name,
            .modality = dataset.modality,
            .category = dataset.category,
            .access_class = dataset.access.access_class,
            .tasks = dataset.tasks,
            .license_name = dataset.license.name,
            .license_spdx = dataset.license.spdx,
            .redistribution = dataset.redistribution,
            .availability = dataset.availability,
            .images = dataset.count("images"),
            .size_bytes = dataset.size_bytes,
            .year = dataset.year,
            .homepage = dataset.homepage};
}

std::vector<DatasetSummary> summarize(const Catalog& catalog) {
    std::vector<DatasetSummary> out;
    out.reserve(catalog.datasets().size());
    for (const auto& dataset : catalog.datasets()) {
        out.push_back(summarize(dataset));
    }
    return out;
}

std::string summaries_to_json(std::span<const DatasetSummary> summaries) {
    json out = json::array();
    for (const auto& summary : summaries) {
        out.push_back(summary_json(summary));
    }
    return out.dump();
}

Result<std::vector<DatasetSummary>> summaries_from_json(std::string_view text) {
    std::vector<DatasetSummary> out;
    try {
        json document = json::parse(text);
        if (!document.is_array()) {
            return Error(ErrorCode::invalid_catalog, "dataset summaries: not a JSON array");
        }
        for (const auto& entry : document) {
            out.push_back(summary_from(entry));
        }
    } catch (const std::exception& error) {
        return Error(ErrorCode::invalid_catalog,
                     "dataset summary " + std::to_string(out.size() + 1) + " is unreadable: " + error.what());
    }
    return out;
}

} // namespace cxrcat
