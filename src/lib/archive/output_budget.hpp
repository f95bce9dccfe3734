// SPDX-License-Identifier: Apache-2.0
// Extraction limits and accounting: how many bytes and entries one archive may produce.
#pragma once

#include "cxrcat/archive/extract.hpp"

#include <cstdint>
#include <string>

namespace cxrcat::extraction {

// The output and entry allowance of one archive, charged while it streams.
class OutputBudget {
  public:
    // The allowance for an archive of archive_size input bytes under limits.
    OutputBudget(const ExtractLimits& limits, std::uint64_t archive_size);

    // Charges bytes of output; false (charging nothing) when they would exceed the allowance.
    [[nodiscard]] bool charge(std::uint64_t bytes);
    // Counts one more entry; false once there are more than the limit allows.
    [[nodiscard]] bool count_entry();

    // The output allowance in bytes.
    [[nodiscard]] std::uint64_t limit() const { return m_limit; }
    // Why the allowance is what it is ("100 times the archive's 10 bytes", "the output limit").
    [[nodiscard]] const std::string& reason() const { return m_reason; }
    // True when the limit is the ratio to the archive's size (not a declared size or an output cap).
    [[nodiscard]] bool ratio_bound() const { return m_ratio_bound; }
    // The entry limit.
    [[nodiscard]] std::uint64_t max_entries() const { return m_max_entries; }

  private:
    void set_ratio_limit(const ExtractLimits& limits, std::uint64_t archive_size);

    std::uint64_t m_limit = 0;
    bool m_ratio_bound = false;
    std::string m_reason;
    std::uint64_t m_used = 0;
    std::uint64_t m_max_entries = 0;
    std::uint64_t m_entries = 0;
};

} // namespace cxrcat::extraction
