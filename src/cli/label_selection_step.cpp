// SPDX-License-Identifier: Apache-2.0
#include "label_selection_step.hpp"

#include "terms_gate.hpp"

namespace cxrcat::cli {

Result<FetchOptions> apply_label_selection(AppContext& context, const Dataset& dataset, const FetchOptions& options,
                                           bool accept_terms) {
    if (!has_label_selection(options)) {
        return options;
    }
    if (auto accepted = ensure_terms_accepted(context, dataset, accept_terms); !accepted) {
        return accepted.error();
    }
    auto selected = select_by_labels(dataset, context.paths(), options, nullptr);
    if (!selected) {
        return selected.error();
    }
    if (selected->archives > 0) {
        // The catalog does not say which archive holds which image: each may hold a selected one.
        context.notice(dataset.id + ": the labels select " + std::to_string(selected->images) +
                       " image(s); they come inside " + std::to_string(selected->archives) +
                       " archive(s), which are fetched whole and extracted to the selected images alone");
    } else {
        context.notice(dataset.id + ": the labels select " + std::to_string(selected->images) + " image(s); with " +
                       std::to_string(selected->label_files.size()) + " label file(s) they are the files to fetch");
    }
    return std::move(selected->options);
}

} // namespace cxrcat::cli
