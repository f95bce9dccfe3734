// SPDX-License-Identifier: Apache-2.0
#include "archive/entry_path.hpp"

#include <algorithm>

namespace cxrcat::extraction {

bool ComponentLess::operator()(std::string_view a, std::string_view b) const {
    auto rank = [](char c) { return c == '/' ? 0 : static_cast<int>(static_cast<unsigned char>(c)) + 1; };
    std::size_t n = std::min(a.size(), b.size());
    for (std::size_t i = 0; i < n; ++i) {
        if (rank(a[i]) != rank(b[i])) {
            return rank(a[i]) < rank(b[i]);
        }
    }
    return a.size() < b.size();
}

bool is_under(std::string_view path, std::string_view dir) {
    return path.size() > dir.size() && path.starts_with(dir) && path[dir.size()] == '/';
}

std::string_view parent_of(std::string_view path) {
    auto slash = path.rfind('/');
    return slash == std::string_view::npos ? std::string_view{} : path.substr(0, slash);
}

std::string quote_name(std::string_view name) {
    static constexpr std::string_view k_hex = "0123456789abcdef";
    std::string out = "'";
    for (char c : name) {
        auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20U || byte == 0x7fU) {
            out += "\\x";
            out += k_hex[byte >> 4U];
            out += k_hex[byte & 0x0fU];
        } else {
            out += c;
        }
    }
    out += "'";
    return out;
}

std::vector<std::string_view> split_components(std::string_view path) {
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    while (start <= path.size()) {
        std::size_t slash = path.find('/', start);
        std::size_t end = slash == std::string_view::npos ? path.size() : slash;
        std::string_view part = path.substr(start, end - start);
        if (!part.empty() && part != ".") {
            parts.push_back(part);
        }
        start = end + 1;
    }
    return parts;
}

std::string join_components(const std::vector<std::string>& parts) {
    std::string out;
    for (const auto& part : parts) {
        if (!out.empty()) {
            out += '/';
        }
        out += part;
    }
    return out;
}

PathCheck normalize_entry_path(std::string_view raw, std::string& out) {
    out.clear();
    if (!raw.empty() && raw.front() == '/') {
        return PathCheck::absolute;
    }
    int depth = 0;
    bool dot_dot = false;
    for (std::string_view part : split_components(raw)) {
        if (part == "..") {
            dot_dot = true;
            if (--depth < 0) {
                return PathCheck::escapes;
            }
            continue;
        }
        ++depth;
        if (!out.empty()) {
            out += '/';
        }
        out += part;
    }
    return dot_dot ? PathCheck::dot_dot : PathCheck::ok;
}

} // namespace cxrcat::extraction
