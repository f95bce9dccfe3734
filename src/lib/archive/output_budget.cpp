// SPDX-License-Identifier: Apache-2.0
#include "archive/output_budget.hpp"

#include <cmath>
#include <limits>
#include <sstream>

namespace cxrcat {

std::uint64_t declared_output_allowance(std::uint64_t declared_bytes) {
    constexpr std::uint64_t k_fixed_slack = 1U << 20U;
    std::uint64_t slack = declared_bytes / 100 + k_fixed_slack;
    return declared_bytes > std::numeric_limits<std::uint64_t>::max() - slack
               ? std::numeric_limits<std::uint64_t>::max()
               : declared_bytes + slack;
}

} // namespace cxrcat

namespace cxrcat::extraction {

namespace {

std::string format_budget_ratio(double ratio) {
    std::ostringstream out;
    out << ratio;
    return out.str();
}

} // namespace

OutputBudget::OutputBudget(const ExtractLimits& limits, std::uint64_t archive_size)
    : m_max_entries(limits.max_entries) {
    if (limits.declared_output_bytes) {
        m_limit = declared_output_allowance(*limits.declared_output_bytes);
        m_reason =
            "the declared extracted size of " + std::to_string(*limits.declared_output_bytes) + " bytes plus a margin";
    } else {
        set_ratio_limit(limits, archive_size);
    }
    if (limits.max_output_bytes != 0 && limits.max_output_bytes < m_limit) {
        m_limit = limits.max_output_bytes;
        m_reason = "the output limit";
        m_ratio_bound = false;
    }
}

void OutputBudget::set_ratio_limit(const ExtractLimits& limits, std::uint64_t archive_size) {
    double cap = limits.max_ratio * static_cast<double>(archive_size);
    // 1.8e19 is just below 2^64: beyond it the ratio allows more than any file can hold.
    if (std::isnan(cap) || cap >= 1.8e19) {
        m_limit = std::numeric_limits<std::uint64_t>::max();
    } else {
        m_limit = cap <= 0.0 ? 0 : static_cast<std::uint64_t>(cap);
        m_reason =
            format_budget_ratio(limits.max_ratio) + " times the archive's " + std::to_string(archive_size) + " bytes";
        m_ratio_bound = true;
    }
}

bool OutputBudget::charge(std::uint64_t bytes) {
    if (bytes > m_limit - m_used) {
        return false;
    }
    m_used += bytes;
    return true;
}

bool OutputBudget::count_entry() {
    return ++m_entries <= m_max_entries;
}

} // namespace cxrcat::extraction
