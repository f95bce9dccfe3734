// SPDX-License-Identifier: Apache-2.0
// Entry path safety: normalising archive paths, refusing absolute and escaping ones, and the
// path arithmetic the staging tree is built on. Paths here are '/' separated and relative.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace cxrcat::extraction {

// Orders paths component by component ("a" < "a/b" < "a-b"), so a directory's whole subtree
// follows it contiguously in a map.
struct ComponentLess {
    using is_transparent = void;
    // True when a sorts before b.
    bool operator()(std::string_view a, std::string_view b) const;
};

// True when path lies strictly below directory dir.
bool is_under(std::string_view path, std::string_view dir);

// Everything before path's last '/', or empty for a top-level name.
std::string_view parent_of(std::string_view path);

// name in single quotes with control bytes as \xNN, so archive names cannot reach a terminal raw.
std::string quote_name(std::string_view name);

// path's components without empty and "." ones ("a//./b" -> {"a", "b"}); ".." is kept.
std::vector<std::string_view> split_components(std::string_view path);

// parts joined with '/'.
std::string join_components(const std::vector<std::string>& parts);

enum class PathCheck { ok, absolute, escapes, dot_dot };

// Normalises an archive path to "a/b/c" (no empty or "." components) into out; anything but
// PathCheck::ok means the entry must be refused.
PathCheck normalize_entry_path(std::string_view raw, std::string& out);

} // namespace cxrcat::extraction
