// SPDX-License-Identifier: Apache-2.0
// Fuzzes the NLM clinical-reading parser (labels/clinical_reading.hpp): any text gives a sex of M, F or
// empty and an age of digits or empty, never an exception.
#include "fuzz_support.hpp"
#include "labels/clinical_reading.hpp"

#include <algorithm>
#include <cctype>

CXRCAT_FUZZ_TEXT_HARNESS(text) {
    labels::ClinicalReading reading = labels::parse_clinical_reading(text);
    fuzz_require(reading.sex.empty() || reading.sex == "M" || reading.sex == "F", "sex is M, F or empty");
    fuzz_require(std::all_of(reading.age.begin(), reading.age.end(),
                             [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }),
                 "age is whole years");
}
