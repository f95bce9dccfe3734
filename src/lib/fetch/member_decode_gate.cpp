// SPDX-License-Identifier: Apache-2.0
#include "fetch/member_decode_gate.hpp"

#include "base/parallel_for.hpp"

#include <algorithm>

namespace cxrcat {

namespace {

// Notes that list members (warnings, further refusals) stop here: an archive holds thousands of
// images, and verify --decode lists every one.
constexpr std::size_t k_listed = 10;

} // namespace

MemberDecodeGate::MemberDecodeGate(const Dataset& dataset, std::string prefix, unsigned threads)
    : m_dataset(dataset), m_prefix(std::move(prefix)), m_threads(std::max(1U, threads)) {}

void MemberDecodeGate::attach(ExtractLimits& limits) {
    limits.drop_members = [this](const std::filesystem::path& staging, const std::vector<ExtractedFile>& files) {
        return check(staging, files);
    };
}

std::set<std::string> MemberDecodeGate::check(const std::filesystem::path& staging,
                                              const std::vector<ExtractedFile>& files) {
    m_members.assign(files.size(), {});
    // Each worker checks one member at a time, so memory holds one decoded image per worker.
    parallel_for(files.size(), m_threads, [&](std::size_t i) {
        Member& member = m_members[i];
        member.path = m_prefix.empty() ? files[i].path : m_prefix + "/" + files[i].path;
        member.verdict = decode_verdict(m_dataset, member.path, staging / files[i].path);
    });
    std::set<std::string> dropped;
    for (std::size_t i = 0; i < files.size(); ++i) {
        if (m_members[i].verdict.refused()) {
            dropped.insert(files[i].path);
        }
    }
    return dropped;
}

std::vector<std::string> MemberDecodeGate::refused() const {
    std::vector<std::string> out;
    for (const auto& member : m_members) {
        if (member.verdict.refused()) {
            out.push_back(member.path);
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::optional<Error> MemberDecodeGate::finish(const std::string& archive,
                                              const std::optional<std::filesystem::path>& kept, std::size_t installed,
                                              FileResult& result) const {
    std::size_t images = 0;
    std::size_t known = 0;
    std::size_t warnings = 0;
    std::vector<const Member*> refused;
    for (const auto& member : m_members) {
        images += member.verdict.image ? 1U : 0U;
        for (const auto& warning : member.verdict.warnings) {
            if (++warnings <= k_listed) {
                result.notes.push_back(member.path + ": decode warning: " + warning);
            }
        }
        if (member.verdict.refused()) {
            refused.push_back(&member);
        } else if (!member.verdict.failure.empty()) {
            ++known;
            result.notes.push_back(member.path + ": " + known_erratum_note(member.verdict));
        }
    }
    if (warnings > k_listed) {
        result.notes.push_back(std::to_string(warnings - k_listed) +
                               " more decode warnings (cxrcat verify --decode lists every one)");
    }
    result.notes.push_back("decode: checked " + std::to_string(images) + " image member(s) of " + archive + ": " +
                           std::to_string(images - known - refused.size()) + " open, " + std::to_string(known) +
                           " known errata, " + std::to_string(refused.size()) + " refused; " +
                           std::to_string(m_members.size() - images) + " non-image member(s) skipped");
    if (refused.empty()) {
        return std::nullopt;
    }
    std::sort(refused.begin(), refused.end(), [](const Member* a, const Member* b) { return a->path < b->path; });
    std::string message = refused.front()->path + ": does not decode: " + refused.front()->verdict.failure;
    if (refused.size() > 1) {
        message += " (and " + std::to_string(refused.size() - 1) + " more members of " + archive + ")";
    }
    Error error(ErrorCode::integrity, std::move(message));
    for (std::size_t i = 1; i < refused.size() && i <= k_listed; ++i) {
        error.note(refused[i]->path + ": does not decode: " + refused[i]->verdict.failure);
    }
    error.note("a member of " + archive + ", which matched its expected size and digests where any are known; " +
               std::to_string(installed) + " other member(s) were installed, the refused ones were not");
    std::string rerun = kept ? "the verified archive is kept at " + kept->string() + ": a rerun extracts it again"
                             : "a rerun downloads it again";
    error.note(rerun + " and checks the refused members again; if the publisher's file is damaged, add it to the "
                       "catalog's errata");
    return error;
}

} // namespace cxrcat
