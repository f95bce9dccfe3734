// SPDX-License-Identifier: Apache-2.0
// Private to fetch: `fetch --decode` on the members of an archive. Every staged member that is an
// image is checked (as verify --decode) before anything reaches the dataset; one that does not open
// is left out (ExtractLimits::drop_members) while the archive's other members are installed, unless
// the catalog lists it as an erratum (then it is installed, with the single-file gate's note).
#pragma once

#include "cxrcat/archive/extract.hpp"
#include "cxrcat/base/error.hpp"
#include "cxrcat/catalog/dataset.hpp"
#include "cxrcat/plan/fetch_options.hpp"
#include "fetch/decode_gate.hpp"

#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace cxrcat {

class MemberDecodeGate {
  public:
    // prefix: the dataset directory the archive unpacks into ("" = the dataset's top), so that a
    // member's dataset path (what errata list) is prefix/member. threads: workers for the checks,
    // each holding one decoded image at a time.
    MemberDecodeGate(const Dataset& dataset, std::string prefix, unsigned threads);

    // Makes limits.drop_members run this gate; the gate must outlive the extraction.
    void attach(ExtractLimits& limits);

    // After the extraction: adds the counts, known errata and warnings to result's notes; returns
    // the integrity error naming the refused members (the first with its check and the library's
    // words), or nullopt when none was refused. archive is its dataset path; kept where its verified
    // bytes stay for a rerun (nullopt: a rerun downloads them again); installed the members installed.
    [[nodiscard]] std::optional<Error> finish(const std::string& archive,
                                              const std::optional<std::filesystem::path>& kept, std::size_t installed,
                                              FileResult& result) const;

    // The dataset paths of the members left out, sorted.
    [[nodiscard]] std::vector<std::string> refused() const;

  private:
    struct Member {
        std::string path; // in the dataset
        DecodeVerdict verdict;
    };

    std::set<std::string> check(const std::filesystem::path& staging, const std::vector<ExtractedFile>& files);

    const Dataset& m_dataset;
    std::string m_prefix;
    unsigned m_threads;
    std::vector<Member> m_members;
};

} // namespace cxrcat
