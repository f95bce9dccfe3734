// SPDX-License-Identifier: Apache-2.0
// Private: reading the JSON values of a catalog entry with their types checked. Every mismatch is
// recorded as a problem at its JSON pointer and reading carries on, so that one run reports
// everything wrong with a file. The dataset parser and the source parser share it.
#pragma once

#include "cxrcat/catalog/catalog_loader.hpp"
#include "cxrcat/base/spelled_enum.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cxrcat::catalog_entry {

// The JSON pointer of member key (escaped as RFC 6901 says) or of item index below pointer.
[[nodiscard]] std::string child(const std::string& pointer, std::string_view key);
[[nodiscard]] std::string child(const std::string& pointer, std::size_t index);

// "a string", "an integer", ...: the type of value, for "expected X, got Y" problems.
[[nodiscard]] std::string type_phrase(const nlohmann::json& value);

// [a-z0-9][a-z0-9._-]*
[[nodiscard]] bool is_slug(std::string_view text);
// http:// or https:// (any case), a non-empty host, and no white space anywhere.
[[nodiscard]] bool is_http_url(std::string_view text);
// owner/name, each part made of [A-Za-z0-9._-].
[[nodiscard]] bool is_owner_slash_name(std::string_view text);

// Reads typed values out of JSON objects, recording a problem for each mismatch. A value that is
// absent, null or of the wrong type reads as empty (or nullopt, or nullptr).
class Reader {
  public:
    Reader(const std::string& file, std::vector<CatalogProblem>& problems) : m_file(file), m_problems(problems) {}

    // Records a problem at pointer ("/" when empty); the entry then fails.
    void problem(const std::string& pointer, std::string message);
    [[nodiscard]] bool failed() const { return m_failed; }

    // The member key of object, or nullptr when absent or null (reported when required).
    const nlohmann::json* member(const nlohmann::json& object, const std::string& pointer, std::string_view key,
                                 bool required);
    // As member, and of this type (an unsigned integer counts as an integer); expected names it.
    const nlohmann::json* typed(const nlohmann::json& object, const std::string& pointer, std::string_view key,
                                bool required, nlohmann::json::value_t type, std::string_view expected);
    // A string member; when required, also not empty.
    std::string text(const nlohmann::json& object, const std::string& pointer, std::string_view key,
                     bool required = false);
    std::optional<std::string> optional_text(const nlohmann::json& object, const std::string& pointer,
                                             std::string_view key);
    // A string member that must be an http(s) URL.
    std::string url(const nlohmann::json& object, const std::string& pointer, std::string_view key,
                    bool required = false);
    // An array of strings (each other item reported and skipped).
    std::vector<std::string> text_list(const nlohmann::json& object, const std::string& pointer, std::string_view key);
    // A non-negative integer.
    std::optional<std::uint64_t> size(const nlohmann::json& object, const std::string& pointer, std::string_view key);
    // A year, 0 to 9999.
    std::optional<int> integer(const nlohmann::json& object, const std::string& pointer, std::string_view key);
    // One of Enum's spellings (a problem lists them all).
    template <SpelledEnum Enum>
    std::optional<Enum> choice(const nlohmann::json& object, const std::string& pointer, std::string_view key,
                               bool required) {
        const nlohmann::json* value =
            typed(object, pointer, key, required, nlohmann::json::value_t::string, "a string");
        if (value == nullptr) {
            return std::nullopt;
        }
        auto parsed = parse_enum<Enum>(value->get<std::string>());
        if (!parsed) {
            unknown_value(child(pointer, key), value->get<std::string>(), enum_names<Enum>());
        }
        return parsed;
    }
    const nlohmann::json* object(const nlohmann::json& parent, const std::string& pointer, std::string_view key,
                                 bool required);
    const nlohmann::json* array(const nlohmann::json& parent, const std::string& pointer, std::string_view key,
                                bool required);
    // Calls visit(item, its pointer) for each object of the array parent[key]; an item that is not
    // an object is reported and skipped.
    void each_object(const nlohmann::json& parent, const std::string& pointer, std::string_view key, bool required,
                     const std::function<void(const nlohmann::json&, const std::string&)>& visit);
    // Records `unknown value "value"; expected one of: a, b` at pointer.
    void unknown_value(const std::string& pointer, const std::string& value, const std::vector<std::string>& names);

  private:
    const std::string& m_file;
    std::vector<CatalogProblem>& m_problems;
    bool m_failed = false;
};

// A relative path without "..": problems are recorded at pointer (an empty path is not checked).
void check_relative_path(Reader& reader, const std::string& pointer, const std::string& path);

} // namespace cxrcat::catalog_entry
