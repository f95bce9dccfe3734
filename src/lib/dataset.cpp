// SPDX-License-Identifier: Apache-2.0
#include "cxrcat/dataset.hpp"

#include <array>
#include <utility>

namespace cxrcat {

namespace {

// Each enum's spellings, indexed by the enumerator's value.
constexpr std::array<std::string_view, 3> k_modalities{"cxr", "ct", "mri"};
constexpr std::array<std::string_view, 2> k_categories{"general", "disease-specific"};
constexpr std::array<std::string_view, 6> k_access_classes{"open",        "registration", "credentialed",
                                                           "competition", "gated",        "restricted"};
constexpr std::array<std::string_view, 4> k_redistribution{"allowed", "organisation-only", "forbidden", "unknown"};
constexpr std::array<std::string_view, 4> k_availability{"available", "partially-withdrawn", "withdrawn", "unknown"};
constexpr std::array<std::string_view, 8> k_providers{"http",        "zenodo", "physionet", "kaggle",
                                                      "huggingface", "idc",    "tcia",      "manual"};
constexpr std::array<std::string_view, 3> k_source_status{"available", "withdrawn", "unknown"};

template <typename Enum, std::size_t N>
std::string_view name_of(const std::array<std::string_view, N>& names, Enum value) {
    return names.at(static_cast<std::size_t>(value));
}

template <typename Enum, std::size_t N>
std::optional<Enum> parse_name(const std::array<std::string_view, N>& names, std::string_view text) {
    for (std::size_t i = 0; i < N; ++i) {
        if (names[i] == text) {
            return static_cast<Enum>(i);
        }
    }
    return std::nullopt;
}

template <std::size_t N> std::vector<std::string> all_names(const std::array<std::string_view, N>& names) {
    return {names.begin(), names.end()};
}

} // namespace

std::string Source::param(std::string_view key) const {
    auto it = params.find(key);
    return it == params.end() ? std::string{} : it->second;
}

std::optional<std::uint64_t> Dataset::count(std::string_view key) const {
    for (const auto& [count_name, value] : counts) {
        if (count_name == key) {
            return value;
        }
    }
    return std::nullopt;
}

std::string_view to_string(Modality value) {
    return name_of(k_modalities, value);
}
std::string_view to_string(Category value) {
    return name_of(k_categories, value);
}
std::string_view to_string(AccessClass value) {
    return name_of(k_access_classes, value);
}
std::string_view to_string(Redistribution value) {
    return name_of(k_redistribution, value);
}
std::string_view to_string(Availability value) {
    return name_of(k_availability, value);
}
std::string_view to_string(Provider value) {
    return name_of(k_providers, value);
}
std::string_view to_string(SourceStatus value) {
    return name_of(k_source_status, value);
}

std::optional<Modality> parse_modality(std::string_view text) {
    return parse_name<Modality>(k_modalities, text);
}
std::optional<Category> parse_category(std::string_view text) {
    return parse_name<Category>(k_categories, text);
}
std::optional<AccessClass> parse_access_class(std::string_view text) {
    return parse_name<AccessClass>(k_access_classes, text);
}
std::optional<Redistribution> parse_redistribution(std::string_view text) {
    return parse_name<Redistribution>(k_redistribution, text);
}
std::optional<Availability> parse_availability(std::string_view text) {
    return parse_name<Availability>(k_availability, text);
}
std::optional<Provider> parse_provider(std::string_view text) {
    return parse_name<Provider>(k_providers, text);
}
std::optional<SourceStatus> parse_source_status(std::string_view text) {
    return parse_name<SourceStatus>(k_source_status, text);
}

std::vector<std::string> modality_names() {
    return all_names(k_modalities);
}
std::vector<std::string> category_names() {
    return all_names(k_categories);
}
std::vector<std::string> access_class_names() {
    return all_names(k_access_classes);
}
std::vector<std::string> redistribution_names() {
    return all_names(k_redistribution);
}
std::vector<std::string> availability_names() {
    return all_names(k_availability);
}
std::vector<std::string> provider_names() {
    return all_names(k_providers);
}
std::vector<std::string> source_status_names() {
    return all_names(k_source_status);
}

std::string_view explain(AccessClass value) {
    switch (value) {
    case AccessClass::open:
        return "anyone may download it without an account; you still agree to its licence and terms";
    case AccessClass::registration:
        return "you must register or sign an agreement on a web site that has no API; cxrcat shows the steps, "
               "then installs and verifies the files you downloaded (fetch --from PATH)";
    case AccessClass::credentialed:
        return "you need a credentialed PhysioNet account, the required training and a signed data use "
               "agreement; cxrcat then downloads with your PhysioNet credentials";
    case AccessClass::competition:
        return "it is distributed as a Kaggle competition: you must accept the competition rules on Kaggle and "
               "give cxrcat your Kaggle API token";
    case AccessClass::gated:
        return "it is a gated Hugging Face repository: you must request access on its page and give cxrcat "
               "your Hugging Face token";
    case AccessClass::restricted:
        return "access is granted only to members or collaborators after an application; cxrcat cannot "
               "download it";
    }
    return "";
}

} // namespace cxrcat
