// SPDX-License-Identifier: Apache-2.0
#include "cxrcat/catalog/catalog.hpp"

#include "cxrcat/base/digest.hpp"
#include "cxrcat/base/text.hpp"

#include <algorithm>

namespace cxrcat {

Catalog::Catalog(std::vector<Dataset> datasets) : m_datasets(std::move(datasets)) {
    std::sort(m_datasets.begin(), m_datasets.end(), [](const Dataset& a, const Dataset& b) { return a.id < b.id; });
    for (std::size_t i = 0; i < m_datasets.size(); ++i) {
        const Dataset& dataset = m_datasets[i];
        m_index.emplace(to_lower(dataset.id), i);
        for (const auto& alias : dataset.aliases) {
            m_index.emplace(to_lower(alias), i);
        }
    }
}

std::string Catalog::digest() const {
    Hasher hasher(DigestAlgorithm::sha256);
    for (const Dataset& dataset : m_datasets) {
        // The canonical dump (sorted keys, no spaces) makes the digest independent of formatting.
        hasher.update(dataset.raw.dump());
        hasher.update(std::string_view("\n"));
    }
    return hasher.finish_hex();
}

const Dataset* Catalog::find(std::string_view key) const {
    auto it = m_index.find(to_lower(key));
    return it == m_index.end() ? nullptr : &m_datasets[it->second];
}

std::vector<std::string> Catalog::suggest(std::string_view key, std::size_t limit) const {
    // Score each dataset by its closest id or alias; prefix and substring matches count as near.
    std::string wanted = to_lower(key);
    std::vector<std::pair<std::size_t, std::string>> scored;
    for (const Dataset& dataset : m_datasets) {
        std::size_t best = edit_distance(wanted, dataset.id);
        std::vector<std::string> keys = dataset.aliases;
        keys.push_back(dataset.id);
        for (const auto& candidate : keys) {
            std::string lowered = to_lower(candidate);
            best = std::min(best, edit_distance(wanted, lowered));
            if (!wanted.empty() &&
                (lowered.find(wanted) != std::string::npos || wanted.find(lowered) != std::string::npos)) {
                best = std::min<std::size_t>(best, 1);
            }
        }
        std::size_t threshold = std::max<std::size_t>(2, wanted.size() / 2);
        if (best <= threshold) {
            scored.emplace_back(best, dataset.id);
        }
    }
    std::sort(scored.begin(), scored.end());
    std::vector<std::string> out;
    for (std::size_t i = 0; i < scored.size() && i < limit; ++i) {
        out.push_back(scored[i].second);
    }
    return out;
}

} // namespace cxrcat
