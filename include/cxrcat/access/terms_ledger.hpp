// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "cxrcat/catalog/dataset.hpp"
#include "cxrcat/base/result.hpp"

#include <array>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace cxrcat {

// SHA-256 of exactly what a user agrees to: licence name, terms text and terms URL.
[[nodiscard]] std::string terms_digest(const Dataset& dataset);

struct Acceptance {
    std::string dataset_id;
    std::string terms_sha256;
    std::string accepted_at; // UTC, ISO 8601
    std::string license;
    std::string terms_url;
};

enum class TermsStatus { accepted, not_accepted, lapsed };
constexpr std::array<std::string_view, 3> spellings(TermsStatus /*unused*/) {
    return {"accepted", "not-accepted", "lapsed"};
}

// The record of accepted terms, kept as JSON in one file (normally
// $XDG_CONFIG_HOME/cxrcat/accepted-terms.json). A damaged file or entry never crashes: the damaged
// part counts as not accepted, is reported in warnings(), and is kept aside, never silently lost.
class TermsLedger {
  public:
    // Reads the ledger at path; a missing file is an empty ledger.
    static TermsLedger open(std::filesystem::path path);

    [[nodiscard]] TermsStatus status(const Dataset& dataset) const;
    // The stored acceptance for id, or nullptr.
    [[nodiscard]] const Acceptance* find(std::string_view dataset_id) const;
    [[nodiscard]] std::vector<Acceptance> entries() const;
    // Problems met while reading (damaged file or entries).
    [[nodiscard]] const std::vector<std::string>& warnings() const { return m_warnings; }

    // Records acceptance of dataset's current terms and writes the file atomically. A damaged
    // file is first copied to `<file>.damaged-<UTC stamp>`.
    Result<void> accept(const Dataset& dataset, const std::string& now_utc);

    [[nodiscard]] const std::filesystem::path& path() const { return m_path; }

  private:
    Result<void> save();

    std::filesystem::path m_path;
    std::map<std::string, Acceptance, std::less<>> m_entries;
    std::map<std::string, nlohmann::json, std::less<>> m_unreadable; // kept verbatim on save
    std::vector<std::string> m_warnings;
    bool m_file_damaged = false;
};

// Current time as UTC ISO 8601 ("2026-11-27T17:08:33Z").
[[nodiscard]] std::string utc_now_iso8601();

} // namespace cxrcat
