// SPDX-License-Identifier: Apache-2.0
#include "fetch/decode_gate.hpp"

#include "cxrcat/decode/decode_verify.hpp"
#include "cxrcat/decode/image_check.hpp"

namespace cxrcat {

DecodeVerdict decode_verdict(const Dataset& dataset, const std::string& path, const std::filesystem::path& file) {
    DecodeVerdict verdict;
    auto format = image_format_of_file(file);
    if (!format) {
        return verdict;
    }
    verdict.image = true;
    ImageCheck check = check_image(file, *format);
    compare_with_declared(dataset, check);
    verdict.warnings = std::move(check.warnings);
    if (!check.ok()) {
        verdict.failure = std::string(to_string(*format)) + " " + check.check + ": " + check.detail;
        verdict.erratum = find_erratum(dataset, path);
    }
    return verdict;
}

std::string known_erratum_note(const DecodeVerdict& verdict) {
    return "known erratum (" + std::string(to_string(verdict.erratum->problem)) + ", " + verdict.erratum->source +
           "): " + verdict.failure;
}

std::optional<Error> decode_gate(const Dataset& dataset, const std::string& path, const std::filesystem::path& file,
                                 FileResult& result) {
    DecodeVerdict verdict = decode_verdict(dataset, path, file);
    for (const auto& warning : verdict.warnings) {
        result.notes.push_back("decode warning: " + warning);
    }
    if (verdict.failure.empty()) {
        return std::nullopt;
    }
    if (verdict.erratum != nullptr) {
        result.notes.push_back(known_erratum_note(verdict));
        return std::nullopt;
    }
    return Error(ErrorCode::integrity, path + ": does not decode: " + verdict.failure,
                 {"its bytes matched the expected size and digests where any are known",
                  "nothing was installed; if the publisher's file is damaged, add it to the catalog's errata "
                  "(verify --decode --emit-errata prints entries)"});
}

} // namespace cxrcat
