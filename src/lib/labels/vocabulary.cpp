// SPDX-License-Identifier: Apache-2.0
#include "cxrcat/labels/vocabulary.hpp"

#include "cxrcat/base/text.hpp"
#include "cxrcat/catalog/embedded_catalog.hpp"

#include <nlohmann/json.hpp>

#include <set>
#include <stdexcept>

namespace cxrcat {

std::optional<std::size_t> Vocabulary::find(std::string_view name) const {
    std::string wanted = to_lower(name);
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (to_lower(names[i]) == wanted) {
            return i;
        }
    }
    return std::nullopt;
}

Result<Vocabulary> parse_vocabulary(std::string_view json_text, const std::string& file) {
    auto problem = [&](const std::string& what) { return Error(ErrorCode::invalid_catalog, file + ": " + what); };
    nlohmann::json document = nlohmann::json::parse(json_text, nullptr, false);
    if (!document.is_object() || !document.contains("findings") || !document["findings"].is_array()) {
        return problem("expected an object with a \"findings\" array");
    }
    Vocabulary vocabulary;
    std::set<std::string> seen;
    for (std::size_t i = 0; i < document["findings"].size(); ++i) {
        const nlohmann::json& item = document["findings"][i];
        if (!item.is_object() || !item.contains("name") || !item["name"].is_string() ||
            item["name"].get<std::string>().empty()) {
            return problem("/findings/" + std::to_string(i) + ": expected {\"name\": a non-empty string}");
        }
        std::string name = item["name"].get<std::string>();
        if (!seen.insert(to_lower(name)).second) {
            return problem("/findings/" + std::to_string(i) + ": \"" + name + "\" is listed twice");
        }
        vocabulary.names.push_back(std::move(name));
    }
    return vocabulary;
}

const Vocabulary& builtin_vocabulary() {
    static const Vocabulary vocabulary = [] {
        auto parsed = parse_vocabulary(embedded_vocabulary(), "catalog/vocabulary.json");
        if (!parsed) {
            // The build embeds a vocabulary the tests validate; a broken one is a build defect.
            throw std::logic_error(parsed.error().message());
        }
        return std::move(*parsed);
    }();
    return vocabulary;
}

} // namespace cxrcat
