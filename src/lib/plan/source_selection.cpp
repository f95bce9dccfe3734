// SPDX-License-Identifier: Apache-2.0
#include "cxrcat/plan/source_selection.hpp"

#include "cxrcat/base/text.hpp"

#include <algorithm>
#include <map>

namespace cxrcat {

namespace {

std::string source_name(const Dataset& dataset, std::size_t index) {
    return "source " + std::to_string(index + 1) + " (" + std::string(to_string(dataset.sources[index].provider)) + ")";
}

bool downloadable(const Source& source) {
    return source.status != SourceStatus::withdrawn && source.provider != Provider::manual;
}

} // namespace

bool source_is_named(const Source& source, const std::string& chosen) {
    return !chosen.empty() && (to_string(source.provider) == chosen || source.name == chosen);
}

std::vector<SourceCandidates> alternative_groups(const Dataset& dataset, const std::string& chosen,
                                                 const std::function<bool(const Source&)>& keep) {
    std::vector<SourceCandidates> groups;
    std::map<std::string, std::size_t> group_of_alternative;
    for (std::size_t index = 0; index < dataset.sources.size(); ++index) {
        const Source& source = dataset.sources[index];
        if (!keep(source)) {
            continue;
        }
        if (source.alternative.empty()) {
            groups.push_back({index});
            continue;
        }
        auto [it, added] = group_of_alternative.emplace(source.alternative, groups.size());
        if (added) {
            groups.emplace_back();
        }
        groups[it->second].push_back(index);
    }
    for (auto& group : groups) {
        bool named = std::any_of(group.begin(), group.end(),
                                 [&](std::size_t index) { return source_is_named(dataset.sources[index], chosen); });
        if (named && group.size() > 1) {
            std::erase_if(group, [&](std::size_t index) { return !source_is_named(dataset.sources[index], chosen); });
        }
    }
    return groups;
}

Result<std::vector<SourceCandidates>> source_candidates(const Dataset& dataset, const std::string& chosen) {
    std::vector<std::string> names;
    bool chosen_found = chosen.empty();
    for (const Source& source : dataset.sources) {
        if (source.status == SourceStatus::withdrawn) {
            continue;
        }
        std::string provider(to_string(source.provider));
        for (const std::string& name : {provider, source.name}) {
            if (!name.empty() && std::find(names.begin(), names.end(), name) == names.end()) {
                names.push_back(name);
            }
        }
        chosen_found = chosen_found || source_is_named(source, chosen);
    }
    if (!chosen_found) {
        return Error(ErrorCode::usage, dataset.id + ": no source of this dataset is '" + chosen + "'",
                     {"its sources: " + (names.empty() ? std::string("none") : join(names, ", ")),
                      "run: cxrcat show " + dataset.id + " to see them"});
    }
    return alternative_groups(dataset, chosen, downloadable);
}

bool allows_fallback(const Error& error) {
    switch (error.code()) {
    case ErrorCode::network:
    case ErrorCode::not_found:
    case ErrorCode::access_denied:
    case ErrorCode::internal:
    case ErrorCode::manual_step: return true;
    default: return false;
    }
}

std::string fallback_notice(const Dataset& dataset, std::size_t failed, const Error& why, std::size_t next) {
    return dataset.id + ": " + source_name(dataset, failed) + " is not usable (" + why.message() + "); using " +
           source_name(dataset, next) + " instead";
}

Result<ResolvedSource> resolve_first_reachable(const Dataset& dataset, const SourceCandidates& candidates,
                                               const ProviderContext& context, std::vector<std::string>& notices) {
    std::optional<Error> failure;
    for (std::size_t at = 0; at < candidates.size(); ++at) {
        std::size_t index = candidates[at];
        const Source& source = dataset.sources[index];
        auto client = make_provider_client(source.provider, context);
        Result<std::vector<ResolvedFile>> files =
            client ? client->resolve(dataset, source)
                   : Result<std::vector<ResolvedFile>>(
                         Error(ErrorCode::internal, dataset.id + ": cxrcat cannot download from '" +
                                                        std::string(to_string(source.provider)) + "' sources yet"));
        if (client) {
            auto warnings = client->warnings();
            notices.insert(notices.end(), warnings.begin(), warnings.end());
            if (!files) {
                files = client->explain(dataset, source, files.error());
            }
        }
        if (files) {
            return ResolvedSource{index, std::move(*files)};
        }
        if (at + 1 == candidates.size() || !allows_fallback(files.error())) {
            if (!failure) {
                return files.error();
            }
            // Every alternative failed: the first source's error leads (the catalog's preferred route,
            // and the fix the person should try first); the later ones' are noted.
            failure->note(source_name(dataset, index) + " failed too: " + files.error().message());
            return *failure;
        }
        notices.push_back(fallback_notice(dataset, index, files.error(), candidates[at + 1]));
        if (!failure) {
            failure = files.error();
        } else {
            failure->note(source_name(dataset, index) + " failed too: " + files.error().message());
        }
    }
    return failure ? *failure : Error(ErrorCode::internal, dataset.id + ": no source to resolve");
}

} // namespace cxrcat
