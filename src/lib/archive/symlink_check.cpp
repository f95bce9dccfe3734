// SPDX-License-Identifier: Apache-2.0
#include "archive/symlink_check.hpp"

#include <array>
#include <deque>
#include <optional>
#include <unistd.h>

namespace cxrcat::extraction {

namespace {

// Same bound as the kernel's ELOOP.
constexpr int k_max_symlink_hops = 40;
// PATH_MAX on Linux; a longer symlink target cannot be followed anyway.
constexpr std::size_t k_max_link_target = 4096;

// The target of a symlink at path: from the archive when it has an entry there, otherwise from
// what destination already holds (a link a previous extraction left, say).
std::optional<std::string> staged_symlink_at(const StagingArea& staging, const std::string& path) {
    const auto& tree = staging.tree();
    auto it = tree.find(path);
    if (it != tree.end()) {
        return it->second.kind == NodeKind::symlink ? std::optional(it->second.target) : std::nullopt;
    }
    if (!staging.destination_fd().valid()) {
        return std::nullopt;
    }
    std::array<char, k_max_link_target> buffer{};
    ssize_t n = ::readlinkat(staging.destination_fd().get(), path.c_str(), buffer.data(), buffer.size());
    if (n < 0) {
        return std::nullopt; // not a symlink, or nothing there
    }
    if (static_cast<std::size_t>(n) >= buffer.size()) {
        return std::string("/"); // too long to judge: treat as escaping
    }
    return std::string(buffer.data(), static_cast<std::size_t>(n));
}

Result<void> check_one_symlink(const StagingArea& staging, const Refusal& refuse, const std::string& link_path,
                               const std::string& target) {
    const std::string escape =
        "entry " + quote_name(link_path) + " is a symlink to " + quote_name(target) + ", which escapes the destination";
    std::vector<std::string> stack;
    for (auto part : split_components(parent_of(link_path))) {
        stack.emplace_back(part);
    }
    std::deque<std::string> pending;
    for (auto part : split_components(target)) {
        pending.emplace_back(part);
    }
    int hops = 0;
    while (!pending.empty()) {
        std::string part = std::move(pending.front());
        pending.pop_front();
        if (part == "..") {
            if (stack.empty()) {
                return refuse(escape);
            }
            stack.pop_back();
            continue;
        }
        stack.push_back(std::move(part));
        auto next = staged_symlink_at(staging, join_components(stack));
        if (!next) {
            continue;
        }
        if (++hops > k_max_symlink_hops) {
            return refuse("entry " + quote_name(link_path) + " is a symlink in a loop");
        }
        if (next->empty() || next->front() == '/') {
            return refuse(escape);
        }
        stack.pop_back();
        auto parts = split_components(*next);
        pending.insert(pending.begin(), parts.begin(), parts.end());
    }
    return {};
}

} // namespace

Result<void> check_staged_symlinks(StagingArea& staging, const Refusal& refuse) {
    bool opened = false;
    for (const auto& [path, node] : staging.tree()) {
        if (node.kind != NodeKind::symlink) {
            continue;
        }
        if (!opened && staging.destination_exists()) {
            if (auto open = staging.open_destination(); !open) {
                return open;
            }
        }
        opened = true;
        if (auto checked = check_one_symlink(staging, refuse, path, node.target); !checked) {
            return checked;
        }
    }
    return {};
}

} // namespace cxrcat::extraction
