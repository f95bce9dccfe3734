// SPDX-License-Identifier: Apache-2.0
#include "catalog/split_archive_parser.hpp"

#include <algorithm>
#include <set>

namespace cxrcat {

namespace {

using nlohmann::json;

// "" when path is a usable relative path, else what is wrong with it.
std::string split_path_problem(const json& value) {
    if (!value.is_string()) {
        return "expected a relative path string";
    }
    const auto& path = value.get_ref<const std::string&>();
    if (path.empty()) {
        return "must not be empty";
    }
    if (path.front() == '/') {
        return "must be a relative path, got absolute path \"" + path + "\"";
    }
    if (path == ".." || path.starts_with("../") || path.ends_with("/..") || path.find("/../") != std::string::npos) {
        return R"(must not contain "..", got ")" + path + "\"";
    }
    return {};
}

const FileEntry* listed_file(const std::vector<FileEntry>& files, const std::string& path) {
    auto it = std::find_if(files.begin(), files.end(), [&](const FileEntry& file) { return file.path == path; });
    return it == files.end() ? nullptr : &*it;
}

// Checks one part; true when it may be used.
bool check_split_part(const json& value, const std::string& at, const std::vector<FileEntry>& files,
                      std::set<std::string>& seen, const SplitArchiveProblem& problem) {
    if (auto wrong = split_path_problem(value); !wrong.empty()) {
        problem(at, wrong);
        return false;
    }
    const auto& path = value.get_ref<const std::string&>();
    if (!seen.insert(path).second) {
        problem(at, "\"" + path + "\" is already a part of a split archive of this source");
        return false;
    }
    if (files.empty()) {
        return true; // the provider lists the files; the plan checks the part is among them
    }
    const FileEntry* file = listed_file(files, path);
    if (file == nullptr) {
        problem(at, "\"" + path + "\" is not one of this source's files");
        return false;
    }
    if (file->extract) {
        problem(at, "\"" + path + "\" is a part, not an archive of its own: remove \"extract\" from its file entry");
        return false;
    }
    return true;
}

std::optional<SplitArchive> parse_one_split_archive(const json& entry, const std::string& at,
                                                    const std::vector<FileEntry>& files, std::set<std::string>& seen,
                                                    const SplitArchiveProblem& problem) {
    if (!entry.is_object()) {
        problem(at, "expected an object {archive, parts[]}");
        return std::nullopt;
    }
    SplitArchive split;
    bool ok = true;
    if (!entry.contains("archive")) {
        problem(at + "/archive", "required");
        ok = false;
    } else if (auto wrong = split_path_problem(entry["archive"]); !wrong.empty()) {
        problem(at + "/archive", wrong);
        ok = false;
    } else {
        split.archive = entry["archive"].get<std::string>();
        if (listed_file(files, split.archive) != nullptr) {
            problem(at + "/archive", "\"" + split.archive + "\" is also a file of this source; name the whole archive");
            ok = false;
        }
    }
    if (entry.contains("note") && entry["note"].is_string()) {
        split.note = entry["note"].get<std::string>();
    }
    const json* parts = entry.contains("parts") ? &entry["parts"] : nullptr;
    if (parts == nullptr || !parts->is_array() || parts->size() < 2) {
        problem(at + "/parts", "expected an array of at least two part paths, in archive order");
        return std::nullopt;
    }
    for (std::size_t i = 0; i < parts->size(); ++i) {
        if (check_split_part((*parts)[i], at + "/parts/" + std::to_string(i), files, seen, problem)) {
            split.parts.push_back((*parts)[i].get<std::string>());
        } else {
            ok = false;
        }
    }
    return ok ? std::optional(std::move(split)) : std::nullopt;
}

} // namespace

std::vector<SplitArchive> parse_split_archives(const json& source_entry, const std::string& pointer,
                                               const std::vector<FileEntry>& files,
                                               const SplitArchiveProblem& problem) {
    std::vector<SplitArchive> out;
    if (!source_entry.contains("split_archives")) {
        return out;
    }
    const json& list = source_entry["split_archives"];
    std::string at = pointer + "/split_archives";
    if (!list.is_array()) {
        problem(at, "expected an array of {archive, parts[]}");
        return out;
    }
    std::set<std::string> seen;
    for (std::size_t i = 0; i < list.size(); ++i) {
        if (auto split = parse_one_split_archive(list[i], at + "/" + std::to_string(i), files, seen, problem)) {
            out.push_back(std::move(*split));
        }
    }
    return out;
}

} // namespace cxrcat
