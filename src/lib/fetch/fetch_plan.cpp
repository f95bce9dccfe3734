// SPDX-License-Identifier: Apache-2.0
// fetch's planning: which files of a dataset a fetch handles (sources, alternatives, --from, include
// and exclude, the selection and the shard, sync's pins), what is already installed in the store and
// what the rest needs. The transfer itself is in fetch.cpp.
#include "fetch/fetch_plan.hpp"

#include "cxrcat/base/redacted_url.hpp"
#include "cxrcat/base/text.hpp"
#include "cxrcat/plan/source_selection.hpp"
#include "cxrcat/state/dataset_state.hpp"
#include "cxrcat/store/install_store.hpp"
#include "fetch/split_archives.hpp"
#include "plan/manual_alternatives.hpp"
#include "plan/plan_selection.hpp"

#include <algorithm>
#include <fnmatch.h>
#include <set>
#include <unordered_map>
#include <unordered_set>

namespace cxrcat {

namespace {

bool selected(const std::string& path, const FetchOptions& options) {
    auto matches_any = [&](const std::vector<std::string>& globs) {
        return std::any_of(globs.begin(), globs.end(),
                           [&](const std::string& glob) { return path_matches_glob(path, glob); });
    };
    return (options.include.empty() || matches_any(options.include)) && !matches_any(options.exclude);
}

// Whether a series directory (an IDC or TCIA series, before its files are listed) may hold selected
// files: an exclude glob that matches the directory drops it; with --include, a glob must match the
// directory, its first path segment must, or it has no '/' (it may name a file inside). A series that
// is fetched whole (one zip: whole) is never listed, so a glob with no '/' must match the directory.
bool series_selected(const std::string& series, const FetchOptions& options, bool whole = false) {
    auto matches = [&](const std::string& glob) {
        return ::fnmatch(glob.c_str(), series.c_str(), 0) == 0 ||
               ::fnmatch(glob.c_str(), (series + "/").c_str(), 0) == 0;
    };
    if (std::any_of(options.exclude.begin(), options.exclude.end(), matches)) {
        return false; // "<series>" or "<series>/*"
    }
    return options.include.empty() ||
           std::any_of(options.include.begin(), options.include.end(), [&](const std::string& glob) {
               std::size_t slash = glob.find('/');
               return (slash == std::string::npos && !whole) || matches(glob) ||
                      (slash != std::string::npos && matches(glob.substr(0, slash)));
           });
}

// Whether the fetch wants every file of each source and has none yet, so that one archive of a
// whole source may replace its per-file downloads (ProviderContext::whole_source).
bool wants_whole_sources(const FetchOptions& options, const DatasetState& state) {
    const Selection& selection = options.selection;
    return options.include.empty() && options.exclude.empty() && !selection.files_from && selection.where.empty() &&
           !selection.sample && !selection.shard.active() && !options.from && options.mirrors.empty() &&
           !options.no_origin && options.to.empty() && state.files.empty() && state.archives.empty();
}

Error unsupported_route(const Dataset& dataset, const Source& source) {
    Error error(ErrorCode::internal, dataset.id + ": cxrcat cannot download from '" +
                                         std::string(to_string(source.provider)) + "' sources yet");
    error.note("access route: " + std::string(to_string(dataset.access.access_class)) + " — " +
               std::string(explain(dataset.access.access_class)));
    for (std::size_t i = 0; i < dataset.access.steps.size(); ++i) {
        error.note(std::to_string(i + 1) + ". " + dataset.access.steps[i]);
    }
    return error;
}

} // namespace

Error restricted_dataset_error(const Dataset& dataset) {
    Error error(ErrorCode::access_denied,
                dataset.id + " is restricted: " + std::string(explain(AccessClass::restricted)));
    if (!dataset.access.grantor.empty()) {
        error.note("access is granted by: " + dataset.access.grantor);
    }
    for (std::size_t i = 0; i < dataset.access.steps.size(); ++i) {
        error.note(std::to_string(i + 1) + ". " + dataset.access.steps[i]);
    }
    error.note("terms: " + dataset.access.terms_url);
    return error;
}

namespace {

// Every regular file under root (or root itself), as paths relative to root.
std::vector<std::filesystem::path> local_files(const std::filesystem::path& root) {
    std::vector<std::filesystem::path> files;
    std::error_code ec;
    if (std::filesystem::is_regular_file(root, ec)) {
        files.push_back(root.filename());
        return files;
    }
    for (std::filesystem::recursive_directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
        if (it->is_regular_file(ec)) {
            files.push_back(std::filesystem::relative(it->path(), root, ec));
        }
    }
    std::sort(files.begin(), files.end());
    return files;
}

std::filesystem::path local_path(const std::filesystem::path& root, const std::filesystem::path& relative) {
    return std::filesystem::is_regular_file(root) ? root : root / relative;
}

void add_planned(FetchPlan& plan, PlannedFile planned, const DatasetState& state, const FetchOptions& options) {
    if (auto recorded = state.recorded.find(planned.path);
        recorded != state.recorded.end() && planned.digests.empty()) {
        planned.digests[DigestAlgorithm::sha256] = recorded->second.sha256;
        planned.digest_origin = "recorded at first download on " + recorded->second.recorded_at;
        if (!planned.size) {
            planned.size = recorded->second.size;
        }
    }
    // A part of a split archive that was extracted (and then removed) needs nothing either.
    // An archive extracted for another selection of members is done only when it left none of these out.
    const std::set<std::string>* members = options.members ? &*options.members : nullptr;
    planned.verified = state.is_intact(planned.path) ||
                       (planned.extract && state.is_extracted_for(planned.path, members)) ||
                       (!planned.split_archive.empty() && state.is_extracted(planned.split_archive));
    plan.files.push_back(std::move(planned)); // totals are counted by finish_plan, after the selection
}

// One manual source under --from: the listed files found there are installed, the others are
// reported missing; a source that lists none installs every file given, layout kept.
void plan_manual_source(std::size_t index, const FetchOptions& options, const std::vector<std::filesystem::path>& found,
                        const DatasetState& state, FetchPlan& plan, bool& unlisted_done, const Source& source) {
    if (source.files.empty()) {
        if (unlisted_done) {
            return;
        }
        unlisted_done = true;
        for (const auto& relative : found) {
            PlannedFile planned;
            planned.path = relative.generic_string();
            planned.local = local_path(*options.from, relative);
            planned.source_index = index;
            add_planned(plan, std::move(planned), state, options);
        }
        return;
    }
    for (const auto& file : source.files) {
        if (!selected(file.path, options)) {
            continue;
        }
        std::string name = std::filesystem::path(file.path).filename().string();
        auto match = std::find_if(found.begin(), found.end(), [&](const std::filesystem::path& candidate) {
            return candidate.filename().string() == name;
        });
        if (match == found.end()) {
            plan.missing_local.push_back(file.path);
            continue;
        }
        PlannedFile planned;
        planned.path = file.path;
        planned.local = local_path(*options.from, *match);
        planned.size = file.size;
        planned.digests = file.digests;
        planned.digest_origin = file.digests.empty() ? "" : "published in the catalog";
        planned.extract = file.extract && options.extract;
        planned.extracted_size = file.extracted_size;
        planned.source_index = index;
        add_planned(plan, std::move(planned), state, options);
    }
}

// The manual (registration) sources: files found under --from are installed, the rest is a step
// for the person. Of alternatives, --from adopts the first whose files are all there (--source
// NAME picks one), says which on stderr, and when none is complete lists what each expects.
void plan_manual(const Dataset& dataset, const FetchOptions& options, const DatasetState& state, FetchPlan& plan,
                 bool& unlisted_done) {
    auto steps = [&] {
        if (plan.manual_steps.empty()) {
            plan.manual_steps = dataset.access.steps;
        }
        if (plan.manual_steps.empty()) {
            plan.manual_steps.push_back("download the files by hand from " + dataset.homepage);
        }
    };
    auto is_selected = [&options](const std::string& path) { return selected(path, options); };
    std::vector<std::filesystem::path> found =
        options.from ? local_files(*options.from) : std::vector<std::filesystem::path>{};
    for (const auto& group : manual_source_groups(dataset, options.source)) {
        std::vector<LocalMatch> matches;
        matches.reserve(group.size());
        for (std::size_t index : group) {
            matches.push_back(match_local_files(dataset.sources[index], index, found, is_selected));
        }
        if (!options.from) {
            // A part the --include/--exclude globs leave out needs no hand work: a source that lists
            // its files is wanted when one of them is selected; one that lists none, unless --include
            // narrows the fetch to named files.
            bool wanted = std::any_of(matches.begin(), matches.end(), [&](const LocalMatch& match) {
                return dataset.sources[match.index].files.empty() ? options.include.empty() : !match.expected.empty();
            });
            if (wanted) {
                steps();
                for (const auto& match : matches) {
                    if (group.size() > 1) {
                        plan.local_alternatives.push_back(describe_local_alternative(dataset, match, false));
                    }
                }
            }
            continue;
        }
        const LocalMatch* used = &matches.front();
        bool complete = used->missing.empty();
        if (group.size() > 1) {
            AlternativeChoice choice = choose_local_alternative(matches);
            if (!choice.complete) {
                steps();
                for (const auto& match : matches) {
                    plan.local_alternatives.push_back(describe_local_alternative(dataset, match, true));
                }
            }
            if (!choice.adopted) {
                continue;
            }
            used = &matches[*choice.adopted];
            complete = choice.complete;
        }
        std::size_t index = used->index;
        const Source& source = dataset.sources[index];
        if (!source.alternative.empty() && used->missing.size() < used->expected.size()) {
            // Which of the alternatives is used, also when --source NAME picked it.
            plan.warnings.push_back(dataset.id + ": --from " + options.from->string() + " holds " +
                                    (complete ? "the files" : "some of the files") + " of source " +
                                    std::to_string(index + 1) + (source.name.empty() ? "" : " '" + source.name + "'") +
                                    (source.label.empty() ? "" : " (" + source.label + ")") + ": using it");
        }
        plan_manual_source(index, options, found, state, plan, unlisted_done, dataset.sources[index]);
        if (!plan.missing_local.empty()) {
            steps();
        }
    }
}

// sync --frozen: the planned files must be exactly the locked ones, with the locked digests.
Result<void> apply_pins(FetchPlan& plan, const LockedDataset& pinned, const Dataset& dataset, bool frozen) {
    std::vector<std::string> diff;
    std::set<std::string> seen;
    for (auto& planned : plan.files) {
        seen.insert(planned.path);
        auto locked = pinned.files.find(planned.path);
        if (locked == pinned.files.end()) {
            if (frozen) {
                diff.push_back("+ " + planned.path + " (upstream has it, the lock does not)");
            }
            continue;
        }
        if (planned.size && *planned.size != locked->second.size) {
            diff.push_back("~ " + planned.path + ": size " + std::to_string(locked->second.size) + " in the lock, " +
                           std::to_string(*planned.size) + " now");
        }
        for (const auto& [algorithm, hex] : planned.digests) {
            auto it = locked->second.digests.find(algorithm);
            if (it != locked->second.digests.end() && it->second != hex) {
                diff.push_back("~ " + planned.path + ": " + std::string(to_string(algorithm)) + " " + it->second +
                               " in the lock, " + hex + " now");
            }
        }
        planned.size = locked->second.size;
        for (const auto& [algorithm, hex] : locked->second.digests) {
            planned.digests[algorithm] = hex;
        }
        planned.digest_origin = "pinned in cxrcat.lock";
    }
    for (const auto& [path, locked] : pinned.files) {
        if (frozen && seen.count(path) == 0) {
            diff.push_back("- " + path + " (in the lock, no longer upstream or no longer selected)");
        }
    }
    if (diff.empty()) {
        return {};
    }
    Error error(ErrorCode::integrity,
                dataset.id + ": upstream no longer matches cxrcat.lock" + (frozen ? " (--frozen)" : ""), diff);
    error.note(frozen ? "the lock was not changed; run 'cxrcat sync' without --frozen to review the change"
                      : "nothing was downloaded; if the new bytes are expected, remove the dataset's entry from "
                        "cxrcat.lock and sync again");
    return error;
}

} // namespace

Result<FetchPlan> make_plan(const Dataset& dataset, const InstallStore& store, const FetchOptions& options,
                            const DatasetState& state, bool list_series) {
    if (dataset.access.access_class == AccessClass::restricted) {
        return restricted_dataset_error(dataset);
    }
    FetchPlan plan;
    plan.dataset_id = dataset.id;
    plan.destination = store.destination(dataset.id);
    bool unlisted_done = false;
    plan_manual(dataset, options, state, plan, unlisted_done);
    // Where each path is planned: two sources may not install the same one.
    std::unordered_map<std::string, std::size_t> planned_at;
    for (std::size_t at = 0; at < plan.files.size(); ++at) {
        planned_at.emplace(plan.files[at].path, at);
    }
    auto parts = source_candidates(dataset, options.source);
    if (!parts) {
        return parts.error();
    }
    ProviderContext context = options.providers;
    context.list_series = list_series;
    context.wanted_series = [&options](const std::string& series) { return series_selected(series, options); };
    context.whole_source = wants_whole_sources(options, state);
    // --files-from (and a label selection, which arrives as one) keeps a few thousand of a listing that
    // may hold hundreds of thousands: files it does not name are dropped here, before any is planned.
    // Series entries stay (a listed file inside one selects it); keep_listed_files then names the
    // listed paths that no source has.
    std::optional<std::unordered_set<std::string_view>> listed;
    if (options.selection.files_from) {
        listed.emplace(options.selection.files_from->begin(), options.selection.files_from->end());
    }
    // Which listed files fetch wants, so a client can drop the rest early (only a saving: what it
    // returns is filtered again). A path counts when it, or it under any source's directory, is selected.
    std::vector<std::string> directories;
    for (const auto& source : dataset.sources) {
        if (std::string directory = source.param("directory"); !directory.empty()) {
            directories.push_back(directory + "/");
        }
    }
    context.selected = [&options, &listed, directories, prefixed = std::string()](const std::string& path) mutable {
        auto wanted = [&](const std::string& candidate) {
            return (!listed || listed->contains(candidate)) && selected(candidate, options);
        };
        if (wanted(path)) {
            return true;
        }
        return std::any_of(directories.begin(), directories.end(), [&](const std::string& directory) {
            prefixed.assign(directory).append(path);
            return wanted(prefixed);
        });
    };
    for (const auto& candidates : *parts) {
        auto resolved = resolve_first_reachable(dataset, candidates, context, plan.warnings);
        if (!resolved) {
            const Source& source = dataset.sources[candidates.back()];
            return resolved.error().code() == ErrorCode::internal && !make_provider_client(source.provider, context)
                       ? unsupported_route(dataset, source)
                       : resolved.error();
        }
        std::size_t index = resolved->index;
        const Source& source = dataset.sources[index];
        std::string directory = source.param("directory");
        auto split_parts = split_archive_parts(source);
        for (auto& file : resolved->files) {
            if (!directory.empty()) {
                file.path = directory + "/" + file.path;
            }
            bool kept = file.series_files > 0
                            ? series_selected(file.path, options, !file.member_checksums.empty())
                            : selected(file.path, options) && (!listed || listed->contains(file.path));
            if (!kept) {
                continue;
            }
            if (auto [other, added] = planned_at.emplace(file.path, plan.files.size()); !added) {
                PlannedFile& earlier = plan.files[other->second];
                if (!earlier.local) {
                    return Error(ErrorCode::invalid_catalog,
                                 dataset.id + ": sources " + std::to_string(earlier.source_index + 1) + " and " +
                                     std::to_string(index + 1) + " both provide " + file.path,
                                 {"give one of them a \"directory\" in the catalog entry, so their files land apart"});
                }
                // The person supplied it under --from: install theirs, checked against this source.
                if (earlier.digests.empty() && !file.digests.empty()) {
                    earlier.digests = file.digests;
                    earlier.digest_origin = file.digest_origin;
                }
                earlier.size = earlier.size ? earlier.size : file.size;
                continue;
            }
            PlannedFile planned;
            planned.path = file.path;
            planned.url = file.urls.empty() ? "" : RedactedUrl(file.urls.front()).str();
            planned.size = file.size;
            planned.digests = file.digests;
            planned.digest_origin = file.digest_origin;
            // A series zip is only how the series travels: it is always unpacked (and checked).
            planned.extract = (file.extract && options.extract) || !file.member_checksums.empty();
            planned.extracted_size = file.extracted_size;
            if (auto part = split_parts.find(file.path); part != split_parts.end() && options.extract) {
                planned.split_archive = part->second;
            }
            planned.source_index = index;
            planned.unavailable = file.unavailable;
            planned.source = std::move(file);
            add_planned(plan, std::move(planned), state, options);
        }
    }
    if (auto chosen = select_planned_files(plan, dataset, options.selection); !chosen) {
        return chosen.error();
    }
    if (options.pinned != nullptr) {
        if (auto pinned = apply_pins(plan, *options.pinned, dataset, options.frozen); !pinned) {
            return pinned.error();
        }
    }
    finish_plan(plan, options.selection.shard, options.from, state);
    store.adapt_plan(plan);
    return plan;
}

bool path_matches_glob(const std::string& path, const std::string& glob) {
    if (::fnmatch(glob.c_str(), path.c_str(), 0) == 0) {
        return true;
    }
    std::size_t slash = path.rfind('/');
    if (slash == std::string::npos) {
        return false; // the path is its own last component
    }
    // Called for every line of a listing as it streams in (377,110 for MIMIC-CXR-JPG): one buffer
    // per thread instead of an allocation per call.
    thread_local std::string name;
    name.assign(path, slash + 1);
    return ::fnmatch(glob.c_str(), name.c_str(), 0) == 0;
}

Result<FetchPlan> plan_fetch(const Dataset& dataset, const Paths& paths, const FetchOptions& options) {
    auto store = make_install_store(paths, options);
    if (!store) {
        return store.error();
    }
    DatasetState state = (*store)->load_state(dataset.id);
    return make_plan(dataset, **store, options, state, false);
}

} // namespace cxrcat
