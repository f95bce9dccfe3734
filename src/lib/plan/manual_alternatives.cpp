// SPDX-License-Identifier: Apache-2.0
#include "plan/manual_alternatives.hpp"

#include "cxrcat/plan/source_selection.hpp"
#include "cxrcat/base/text.hpp"

#include <algorithm>

namespace cxrcat {

std::vector<std::vector<std::size_t>> manual_source_groups(const Dataset& dataset, const std::string& chosen) {
    return alternative_groups(dataset, chosen, [](const Source& source) {
        return source.provider == Provider::manual && source.status != SourceStatus::withdrawn;
    });
}

LocalMatch match_local_files(const Source& source, std::size_t index, const std::vector<std::filesystem::path>& found,
                             const std::function<bool(const std::string&)>& is_selected) {
    LocalMatch match;
    match.index = index;
    for (const auto& file : source.files) {
        if (!is_selected(file.path)) {
            continue;
        }
        match.expected.push_back(file.path);
        std::string name = std::filesystem::path(file.path).filename().string();
        bool present = std::any_of(found.begin(), found.end(), [&](const std::filesystem::path& candidate) {
            return candidate.filename().string() == name;
        });
        if (!present) {
            match.missing.push_back(file.path);
        }
    }
    return match;
}

AlternativeChoice choose_local_alternative(const std::vector<LocalMatch>& matches) {
    AlternativeChoice choice;
    std::size_t best_present = 0;
    for (std::size_t at = 0; at < matches.size(); ++at) {
        const LocalMatch& match = matches[at];
        std::size_t present = match.expected.size() - match.missing.size();
        if (present > 0 && match.missing.empty()) {
            return {at, true};
        }
        if (present > best_present) {
            best_present = present;
            choice.adopted = at;
        }
    }
    return choice;
}

std::string describe_local_alternative(const Dataset& dataset, const LocalMatch& match, bool with_missing) {
    const Source& source = dataset.sources[match.index];
    std::string text = "source " + std::to_string(match.index + 1);
    if (!source.name.empty()) {
        text += " '" + source.name + "'";
    }
    if (!source.label.empty()) {
        text += " (" + source.label + ")";
    }
    text += " expects: " + (match.expected.empty() ? std::string("no listed file") : join(match.expected, ", "));
    if (with_missing && !match.missing.empty()) {
        text += "; not under --from: " + join(match.missing, ", ");
    }
    return text;
}

} // namespace cxrcat
