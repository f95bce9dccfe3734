// SPDX-License-Identifier: Apache-2.0
#include "cxrcat/catalog/dataset.hpp"

#include <utility>

namespace cxrcat {

std::string Source::param(std::string_view key) const {
    auto it = params.find(key);
    return it == params.end() ? std::string{} : it->second;
}

std::optional<std::uint64_t> Dataset::count(std::string_view key) const {
    for (const auto& [count_name, value] : counts) {
        if (count_name == key) {
            return value;
        }
    }
    return std::nullopt;
}

std::string_view explain(AccessClass value) {
    switch (value) {
    case AccessClass::open:
        return "anyone may download it without an account; you still agree to its licence and terms";
    case AccessClass::registration:
        return "you must register or sign an agreement on a web site that has no API; cxrcat shows the steps, "
               "then installs and verifies the files you downloaded (fetch --from PATH)";
    case AccessClass::credentialed:
        return "you need a credentialed PhysioNet account, the required training and a signed data use "
               "agreement; cxrcat then downloads with your PhysioNet credentials";
    case AccessClass::competition:
        return "it is distributed as a Kaggle competition: you must accept the competition rules on Kaggle and "
               "give cxrcat your Kaggle API token";
    case AccessClass::gated:
        return "it is a gated Hugging Face repository: you must request access on its page and give cxrcat "
               "your Hugging Face token";
    case AccessClass::restricted:
        return "access is granted only to members or collaborators after an application; cxrcat cannot "
               "download it";
    }
    return "";
}

const Erratum* find_erratum(const Dataset& dataset, const std::string& path) {
    for (const auto& erratum : dataset.errata) {
        // A trailing part of the path matches whole components: where an archive unpacks (its top
        // directory) is often not documented, the file's own name and folders are.
        bool tail = path.size() > erratum.path.size() && path.ends_with(erratum.path) &&
                    path[path.size() - erratum.path.size() - 1] == '/';
        if (erratum.path == path || tail) {
            return &erratum;
        }
    }
    return nullptr;
}

bool erratum_unusable(const Erratum& erratum) {
    return erratum.problem == ErratumProblem::missing || erratum.problem == ErratumProblem::truncated ||
           erratum.problem == ErratumProblem::corrupt || erratum.problem == ErratumProblem::not_an_image;
}

} // namespace cxrcat
