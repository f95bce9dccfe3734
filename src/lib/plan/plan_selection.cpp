// SPDX-License-Identifier: Apache-2.0
// Planning after the sources are resolved: --files-from, --where, --sample, --shard, --from
// adoption, and the totals the free-space and inode checks use.
#include "plan/plan_selection.hpp"

#include "cxrcat/base/digest.hpp"
#include "cxrcat/base/text.hpp"

#include <algorithm>
#include <numeric>
#include <set>
#include <sys/statvfs.h>
#include <unordered_set>

namespace cxrcat {

namespace {

// How many paths an error lists before "and N more".
constexpr std::size_t k_listed_paths = 20;

Result<void> keep_listed_files(FetchPlan& plan, const std::vector<std::string>& listed) {
    std::unordered_set<std::string> known;
    std::unordered_set<std::string> series; // entries standing for a whole series directory
    for (const auto& file : plan.files) {
        known.insert(file.path);
        if (file.source.series_files > 0) {
            series.insert(file.path);
        }
    }
    // A file inside a series that is fetched whole (a TCIA zip, or an IDC series before it is
    // listed) selects its series.
    auto series_of = [&](const std::string& path) -> std::string {
        for (std::size_t slash = path.find('/'); slash != std::string::npos; slash = path.find('/', slash + 1)) {
            if (series.count(path.substr(0, slash)) != 0) {
                return path.substr(0, slash);
            }
        }
        return {};
    };
    std::vector<std::string> unknown;
    std::set<std::string> wanted;
    for (const auto& path : listed) {
        if (known.count(path) != 0) {
            wanted.insert(path);
        } else if (std::string whole = series_of(path); !whole.empty()) {
            wanted.insert(whole);
        } else {
            unknown.push_back(path);
        }
    }
    if (!unknown.empty()) {
        Error error(ErrorCode::not_found, plan.dataset_id + ": --files-from lists " + std::to_string(unknown.size()) +
                                              " path(s) the dataset does not have; nothing was downloaded");
        for (std::size_t i = 0; i < unknown.size() && i < k_listed_paths; ++i) {
            error.note("unknown: " + unknown[i]);
        }
        if (unknown.size() > k_listed_paths) {
            error.note("and " + std::to_string(unknown.size() - k_listed_paths) + " more");
        }
        error.note("paths are relative to the dataset directory; 'cxrcat fetch " + plan.dataset_id +
                   " --dry-run' lists them (after --include/--exclude)");
        return error;
    }
    std::erase_if(plan.files, [&](const PlannedFile& file) { return wanted.count(file.path) == 0; });
    return {};
}

Result<void> keep_where(FetchPlan& plan, const std::map<std::string, std::vector<std::string>>& where) {
    std::set<std::string> fields;
    for (const auto& file : plan.files) {
        for (const auto& [field, value] : file.source.metadata) {
            fields.insert(field);
        }
    }
    for (const auto& [field, values] : where) {
        if (fields.count(field) == 0) {
            std::vector<std::string> names(fields.begin(), fields.end());
            return Error(ErrorCode::usage, plan.dataset_id + ": unknown --where field '" + field + "'",
                         {names.empty() ? "the sources of " + plan.dataset_id + " carry no metadata to select on"
                                        : "fields of " + plan.dataset_id + "'s sources: " + join(names, ", ")});
        }
    }
    std::erase_if(plan.files, [&](const PlannedFile& file) {
        return !std::all_of(where.begin(), where.end(), [&](const auto& term) {
            auto it = file.source.metadata.find(term.first);
            return it != file.source.metadata.end() &&
                   std::find(term.second.begin(), term.second.end(), it->second) != term.second.end();
        });
    });
    return {};
}

void keep_sample(FetchPlan& plan, const Dataset& dataset, std::size_t count, std::uint64_t seed) {
    // Each unit's rank is a SHA-256 of the seed and the unit's name: the same on every machine and
    // in every locale (byte strings, no collation), and stable when other units come and go.
    std::map<std::string, std::string> rank_of;
    for (const auto& file : plan.files) {
        std::string unit = sample_unit(file, dataset);
        if (rank_of.count(unit) == 0) {
            rank_of.emplace(unit, sha256_hex(std::to_string(seed) + "\n" + unit));
        }
    }
    std::vector<std::pair<std::string, std::string>> ranked; // (rank, unit)
    ranked.reserve(rank_of.size());
    for (const auto& [unit, rank] : rank_of) {
        ranked.emplace_back(rank, unit);
    }
    std::sort(ranked.begin(), ranked.end());
    std::set<std::string> chosen;
    for (std::size_t i = 0; i < ranked.size() && i < count; ++i) {
        chosen.insert(ranked[i].second);
    }
    std::erase_if(plan.files, [&](const PlannedFile& file) { return chosen.count(sample_unit(file, dataset)) == 0; });
}

std::uint64_t existing_part_size(const std::filesystem::path& destination) {
    std::error_code ec;
    std::filesystem::path part = destination;
    part += ".part";
    auto size = std::filesystem::file_size(part, ec);
    return ec ? 0 : size;
}

std::filesystem::path existing_ancestor(std::filesystem::path path) {
    while (!path.empty() && !std::filesystem::exists(path)) {
        path = path.parent_path();
    }
    return path;
}

} // namespace

Result<void> select_planned_files(FetchPlan& plan, const Dataset& dataset, const Selection& selection) {
    if (selection.files_from) {
        if (auto kept = keep_listed_files(plan, *selection.files_from); !kept) {
            return kept;
        }
    }
    if (!selection.where.empty()) {
        if (auto kept = keep_where(plan, selection.where); !kept) {
            return kept;
        }
    }
    if (selection.sample) {
        keep_sample(plan, dataset, *selection.sample, selection.seed);
    }
    return {};
}

std::string sample_unit(const PlannedFile& file, const Dataset& dataset) {
    const auto& metadata = file.source.metadata;
    if (auto series = metadata.find("SeriesInstanceUID"); series != metadata.end()) {
        return "series:" + series->second;
    }
    bool idc =
        file.source_index < dataset.sources.size() && dataset.sources[file.source_index].provider == Provider::idc;
    if (auto slash = file.path.find('/'); idc && slash != std::string::npos) {
        return "series:" + file.path.substr(0, slash); // one directory per series
    }
    if (auto subject = metadata.find("subject_id"); subject != metadata.end()) {
        return "patient:" + subject->second;
    }
    return "file:" + file.path;
}

std::vector<std::size_t> assign_shards(const std::vector<std::string>& paths,
                                       const std::vector<std::optional<std::uint64_t>>& sizes, std::size_t count) {
    std::vector<std::size_t> order(paths.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    auto size_of = [&](std::size_t i) { return sizes[i].value_or(0); };
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        if (size_of(a) != size_of(b)) {
            return size_of(a) > size_of(b);
        }
        return paths[a] < paths[b];
    });
    count = std::max<std::size_t>(count, 1);
    std::vector<std::pair<std::uint64_t, std::size_t>> load(count); // (bytes, files) per shard
    std::vector<std::size_t> shard(paths.size(), 0);
    for (std::size_t i : order) {
        std::size_t best = 0;
        for (std::size_t s = 1; s < count; ++s) {
            if (load[s] < load[best]) {
                best = s;
            }
        }
        shard[i] = best;
        load[best].first += size_of(i);
        load[best].second += 1;
    }
    return shard;
}

void finish_plan(FetchPlan& plan, const ShardSpec& shard, const std::optional<std::filesystem::path>& from,
                 const DatasetState& state) {
    plan.shard = shard;
    plan.selected_files = plan.files.size();
    plan.selected_bytes = 0;
    for (const auto& file : plan.files) {
        plan.selected_bytes += file.size.value_or(0);
    }
    if (shard.active()) {
        std::vector<std::string> paths;
        std::vector<std::optional<std::uint64_t>> sizes;
        for (const auto& file : plan.files) {
            paths.push_back(file.path);
            sizes.push_back(file.size);
        }
        std::vector<std::size_t> assigned = assign_shards(paths, sizes, shard.count);
        std::vector<PlannedFile> kept;
        for (std::size_t i = 0; i < plan.files.size(); ++i) {
            if (assigned[i] + 1 == shard.index) {
                kept.push_back(std::move(plan.files[i]));
            }
        }
        plan.files = std::move(kept);
    }
    std::error_code ec;
    bool from_directory = from && std::filesystem::is_directory(*from, ec);
    plan.bytes_to_download = 0;
    plan.bytes_needed = 0;
    plan.unknown_sizes = 0;
    plan.inodes_needed = 0;
    for (auto& file : plan.files) {
        if (file.verified || file.unavailable) {
            continue; // an unavailable file is never downloaded: it fails alone
        }
        // What an external downloader (a `cxrcat plan` consumer) left under --from DIR is adopted.
        // (Not a series zip: it is checked member by member as it is unpacked, never adopted whole.)
        if (!file.local && from_directory && file.source.member_checksums.empty() &&
            std::filesystem::is_regular_file(*from / file.path, ec)) {
            file.local = *from / file.path;
        }
        if (auto archive = state.archives.find(file.path); archive != state.archives.end()) {
            file.extracted_entries = archive->second.files.size();
        }
        std::uint64_t entries = file.extracted_entries != 0 ? file.extracted_entries : file.source.series_files;
        plan.inodes_needed += 1 + (file.extract ? entries : 0);
        if (file.local) {
            continue;
        }
        if (file.size) {
            plan.bytes_to_download +=
                *file.size - std::min(*file.size, existing_part_size(plan.destination / file.path));
            plan.bytes_needed += *file.size + (file.extract || !file.split_archive.empty() ? *file.size : 0);
        } else {
            ++plan.unknown_sizes;
        }
    }
    std::filesystem::path where = existing_ancestor(plan.destination);
    struct statvfs info {};
    if (!where.empty() && ::statvfs(where.c_str(), &info) == 0) {
        plan.free_bytes = static_cast<std::uint64_t>(info.f_bavail) * info.f_frsize;
        // A file system without a fixed inode table (btrfs, some network ones) reports 0 of 0.
        if (info.f_files != 0) {
            plan.free_inodes = static_cast<std::uint64_t>(info.f_favail);
        }
    }
}

Result<void> check_free_inodes(const FetchPlan& plan) {
    if (!plan.free_inodes || plan.inodes_needed <= *plan.free_inodes) {
        return {};
    }
    return Error(ErrorCode::local_io,
                 "not enough free inodes in " + plan.destination.string() + ": need " +
                     group_thousands(plan.inodes_needed) + " (files to create), " + group_thousands(*plan.free_inodes) +
                     " free",
                 {"nothing was downloaded",
                  "free some inodes (many small files), choose files with --include, --files-from or --sample, or "
                  "set CXRCAT_HOME to a file system with more inodes (df -i shows them)"});
}

} // namespace cxrcat
