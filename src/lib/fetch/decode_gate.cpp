// SPDX-License-Identifier: Apache-2.0
#include "fetch/decode_gate.hpp"

#include "cxrcat/decode/decode_verify.hpp"
#include "cxrcat/decode/image_check.hpp"

namespace cxrcat {

std::optional<Error> decode_gate(const Dataset& dataset, const std::string& path, const std::filesystem::path& file,
                                 FileResult& result) {
    auto format = image_format_of_file(file);
    if (!format) {
        return std::nullopt;
    }
    ImageCheck check = check_image(file, *format);
    compare_with_declared(dataset, check);
    for (const auto& warning : check.warnings) {
        result.notes.push_back("decode warning: " + warning);
    }
    if (check.ok()) {
        return std::nullopt;
    }
    std::string failure = std::string(to_string(*format)) + " " + check.check + ": " + check.detail;
    if (const Erratum* erratum = find_erratum(dataset, path)) {
        result.notes.push_back("known erratum (" + std::string(to_string(erratum->problem)) + ", " + erratum->source +
                               "): " + failure);
        return std::nullopt;
    }
    return Error(ErrorCode::integrity, path + ": does not decode: " + failure,
                 {"its bytes matched the expected size and digests where any are known",
                  "nothing was installed; if the publisher's file is damaged, add it to the catalog's errata "
                  "(verify --decode --emit-errata prints entries)"});
}

} // namespace cxrcat
