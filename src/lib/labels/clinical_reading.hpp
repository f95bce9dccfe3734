// SPDX-License-Identifier: Apache-2.0
// Private: sex and age from the free-text clinical readings of the NLM tuberculosis sets
// (labels-facts.md §1.11, §1.12). Montgomery writes `Patient's Sex: F` / `Patient's Age: 027Y`;
// Shenzhen writes `male 45yrs` with typos (`femal 32yrs`, `female24yrs`, `male , 29yrs`,
// `male 16month`, `female 64days`, `male 42` without a unit).
#pragma once

#include <string>
#include <string_view>

namespace cxrcat::labels {

struct ClinicalReading {
    std::string sex; // M, F or "" (Montgomery also writes O)
    std::string age; // whole years or ""
};

[[nodiscard]] ClinicalReading parse_clinical_reading(std::string_view text);

} // namespace cxrcat::labels
