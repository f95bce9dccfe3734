// SPDX-License-Identifier: Apache-2.0
#include "catalog/catalog_reader.hpp"

#include "cxrcat/base/text.hpp"

#include <algorithm>
#include <utility>

namespace cxrcat::catalog_entry {

using nlohmann::json;

std::string child(const std::string& pointer, std::string_view key) {
    return pointer + "/" + replace_chars(key, {{'~', "~0"}, {'/', "~1"}});
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

void Reader::problem(const std::string& pointer, std::string message) {
    m_problems.push_back({m_file, pointer.empty() ? "/" : pointer, std::move(message)});
    m_failed = true;
}

const json* Reader::member(const json& object, const std::string& pointer, std::string_view key, bool required) {
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

const json* Reader::typed(const json& object, const std::string& pointer, std::string_view key, bool required,
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

std::string Reader::text(const json& object, const std::string& pointer, std::string_view key, bool required) {
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

std::optional<std::string> Reader::optional_text(const json& object, const std::string& pointer, std::string_view key) {
    const json* value = typed(object, pointer, key, false, json::value_t::string, "a string");
    return value ? std::optional<std::string>(value->get<std::string>()) : std::nullopt;
}

std::string Reader::url(const json& object, const std::string& pointer, std::string_view key, bool required) {
    std::string value = text(object, pointer, key, required);
    if (!value.empty() && !is_http_url(value)) {
        problem(child(pointer, key), "must be an http:// or https:// URL, got \"" + value + "\"");
    }
    return value;
}

std::vector<std::string> Reader::text_list(const json& object, const std::string& pointer, std::string_view key) {
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

std::optional<std::uint64_t> Reader::size(const json& object, const std::string& pointer, std::string_view key) {
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

std::optional<int> Reader::integer(const json& object, const std::string& pointer, std::string_view key) {
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

const json* Reader::object(const json& parent, const std::string& pointer, std::string_view key, bool required) {
    return typed(parent, pointer, key, required, json::value_t::object, "an object");
}

const json* Reader::array(const json& parent, const std::string& pointer, std::string_view key, bool required) {
    return typed(parent, pointer, key, required, json::value_t::array, "an array");
}

void Reader::each_object(const json& parent, const std::string& pointer, std::string_view key, bool required,
                         const std::function<void(const json&, const std::string&)>& visit) {
    const json* items = array(parent, pointer, key, required);
    if (items == nullptr) {
        return;
    }
    std::string items_pointer = child(pointer, key);
    for (std::size_t i = 0; i < items->size(); ++i) {
        const json& item = (*items)[i];
        std::string item_pointer = child(items_pointer, i);
        if (!item.is_object()) {
            problem(item_pointer, "expected an object, got " + type_phrase(item));
            continue;
        }
        visit(item, item_pointer);
    }
}

void Reader::unknown_value(const std::string& pointer, const std::string& value,
                           const std::vector<std::string>& names) {
    problem(pointer, "unknown value \"" + value + "\"; expected one of: " + join(names, ", "));
}

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

} // namespace cxrcat::catalog_entry
