// SPDX-License-Identifier: Apache-2.0
#include "labels/clinical_reading.hpp"

#include "cxrcat/base/text.hpp"

#include <cctype>

namespace cxrcat::labels {

namespace {

constexpr int k_months_per_year = 12;
constexpr int k_days_per_year = 365;
constexpr std::size_t k_max_age_digits = 3;

bool is_digit(char c) {
    return std::isdigit(static_cast<unsigned char>(c)) != 0;
}

// The first line that is not blank.
std::string_view first_line(std::string_view text) {
    for (;;) {
        std::size_t end = text.find('\n');
        std::string_view line = trim(text.substr(0, end));
        if (!line.empty() || end == std::string_view::npos) {
            return line;
        }
        text.remove_prefix(end + 1);
    }
}

// "<digits><unit>" at the first digit of text: years, months ("month", "M" in a DICOM age) or days
// scaled down to whole years; digits without a unit are years.
std::string age_from(std::string_view text) {
    std::size_t first = 0;
    while (first < text.size() && !is_digit(text[first])) {
        ++first;
    }
    std::size_t last = first;
    while (last < text.size() && is_digit(text[last])) {
        ++last;
    }
    if (first == last || last - first > k_max_age_digits) {
        return "";
    }
    int value = std::stoi(std::string(text.substr(first, last - first)));
    std::string unit = to_lower(trim(text.substr(last)));
    if (unit.starts_with("mon") || unit == "m") {
        value /= k_months_per_year;
    } else if (unit.starts_with("d")) {
        value /= k_days_per_year;
    }
    return std::to_string(value);
}

// Shenzhen: the word before the age ("female", "femal", "male", run together or with a comma).
std::string sex_from_word(std::string_view line) {
    std::string lower = to_lower(line);
    if (lower.starts_with("fem")) {
        return "F";
    }
    if (lower.starts_with("mal")) {
        return "M";
    }
    return "";
}

// Montgomery: the value after "<key>:" on its own line, or "" when the key is absent.
std::string_view keyed_value(std::string_view text, std::string_view key) {
    std::string lower = to_lower(text);
    std::size_t at = lower.find(to_lower(key));
    if (at == std::string::npos) {
        return {};
    }
    std::string_view rest = text.substr(at + key.size());
    return trim(rest.substr(0, rest.find('\n')));
}

} // namespace

ClinicalReading parse_clinical_reading(std::string_view text) {
    ClinicalReading reading;
    std::string_view sex = keyed_value(text, "Sex:");
    std::string_view age = keyed_value(text, "Age:");
    if (!sex.empty() || !age.empty()) {
        std::string code = to_upper(sex.substr(0, 1));
        reading.sex = code == "M" || code == "F" ? code : "";
        reading.age = age_from(age);
        return reading;
    }
    std::string_view line = first_line(text);
    reading.sex = sex_from_word(line);
    reading.age = age_from(line);
    return reading;
}

} // namespace cxrcat::labels
