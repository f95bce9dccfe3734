// SPDX-License-Identifier: Apache-2.0
#include "cxrcat/labels/label_query.hpp"

#include "cxrcat/base/digest.hpp"
#include "cxrcat/base/text.hpp"

#include <algorithm>
#include <unordered_set>

namespace cxrcat {

namespace {

constexpr std::string_view k_finding_prefix = "finding.";
const std::vector<std::string> k_row_fields{"view", "split", "sex"};
const std::vector<std::string> k_finding_values{"1", "0", "-1", "none"};

std::string field_value(const LabelRow& row, const std::string& field) {
    if (field == "view") {
        return row.view;
    }
    return field == "split" ? row.split : row.sex;
}

} // namespace

bool label_row_matches(const LabelRow& row, const LabelCondition& condition, const LabelColumns& columns) {
    if (condition.field.starts_with(k_finding_prefix)) {
        std::string name = condition.field.substr(k_finding_prefix.size());
        auto column = std::find(columns.findings.begin(), columns.findings.end(), name);
        FindingValue value = row.findings[static_cast<std::size_t>(column - columns.findings.begin())];
        std::string text = value == FindingValue::not_mentioned ? "none" : std::string(finding_text(value));
        return std::find(condition.values.begin(), condition.values.end(), text) != condition.values.end();
    }
    std::string value = field_value(row, condition.field);
    return std::any_of(condition.values.begin(), condition.values.end(),
                       [&](const std::string& wanted) { return to_lower(wanted) == to_lower(value); });
}

namespace {

Result<LabelCondition> parse_condition(const std::string& text, const LabelColumns& columns) {
    std::size_t equals = text.find('=');
    if (equals == std::string::npos) {
        return Error(ErrorCode::usage, "--where " + text + ": expected FIELD=VALUE",
                     {"fields: " + join(k_row_fields, ", ") + ", finding.NAME"});
    }
    LabelCondition condition{text.substr(0, equals), {text.substr(equals + 1)}};
    if (!condition.field.starts_with(k_finding_prefix)) {
        condition.field = to_lower(condition.field);
        if (std::find(k_row_fields.begin(), k_row_fields.end(), condition.field) == k_row_fields.end()) {
            return Error(ErrorCode::usage, "--where " + text + ": unknown field \"" + condition.field + "\"",
                         {"fields: " + join(k_row_fields, ", ") + ", finding.NAME"});
        }
        return condition;
    }
    std::string name = condition.field.substr(k_finding_prefix.size());
    auto column = std::find_if(columns.findings.begin(), columns.findings.end(),
                               [&](const std::string& each) { return to_lower(each) == to_lower(name); });
    if (column == columns.findings.end()) {
        return Error(ErrorCode::usage, "--where " + text + ": no finding \"" + name + "\" in these datasets",
                     {"findings: " + join(columns.findings, ", ")});
    }
    condition.field = std::string(k_finding_prefix) + *column;
    if (std::find(k_finding_values.begin(), k_finding_values.end(), condition.values[0]) == k_finding_values.end()) {
        return Error(ErrorCode::usage,
                     "--where " + text + ": a finding's value is one of " + join(k_finding_values, ", "));
    }
    return condition;
}

// Rows of a later dataset that are images of an earlier one, through source_image in either direction.
class OverlapIndex {
  public:
    // True when row is an image already written under another dataset; then records nothing.
    bool seen_before(const LabelRow& row) const {
        return (!row.source_image.empty() && m_images.contains(row.source_image)) ||
               m_sources.contains(row.dataset + ":" + row.image) || m_sources.contains(row.dataset + ":" + base(row));
    }
    void add(const LabelRow& row) {
        m_images.insert(row.dataset + ":" + row.image);
        m_images.insert(row.dataset + ":" + base(row));
        if (!row.source_image.empty()) {
            m_sources.insert(row.source_image);
        }
    }

  private:
    static std::string base(const LabelRow& row) { return row.image.substr(row.image.rfind('/') + 1); }
    std::unordered_set<std::string> m_images;
    std::unordered_set<std::string> m_sources;
};

// A note for each pair of selected datasets that the catalog's lineage links: what overlap can and
// cannot be found.
void lineage_notes(const std::vector<const Dataset*>& datasets, LabelStats& stats) {
    for (const Dataset* dataset : datasets) {
        for (const LineageLink& link : dataset->lineage) {
            bool selected = std::any_of(datasets.begin(), datasets.end(),
                                        [&](const Dataset* other) { return other->id == link.dataset; });
            if (selected) {
                stats.notes.push_back(dataset->id + " and " + link.dataset + " share images (" + link.relation +
                                      " in the catalog's lineage); only rows with a published image mapping "
                                      "(source_image) are counted as overlap, the rest is catalog lineage only");
            }
        }
    }
}

} // namespace

Result<std::vector<LabelCondition>> parse_label_conditions(const std::vector<std::string>& texts,
                                                           const LabelColumns& columns) {
    std::vector<LabelCondition> conditions;
    for (const std::string& text : texts) {
        auto condition = parse_condition(text, columns);
        if (!condition) {
            return condition.error();
        }
        auto same = std::find_if(conditions.begin(), conditions.end(),
                                 [&](const LabelCondition& each) { return each.field == condition->field; });
        if (same == conditions.end()) {
            conditions.push_back(std::move(*condition));
        } else {
            same->values.push_back(condition->values[0]);
        }
    }
    return conditions;
}

std::string patient_split(const PatientSplit& split, std::string_view dataset, std::string_view unit) {
    constexpr std::size_t k_hex_digits = 8; // 32 bits of the hash: ample for percentages
    std::string hex = sha256_hex(split.seed + "\n" + std::string(dataset) + "\n" + std::string(unit));
    unsigned long long draw = std::stoull(hex.substr(0, k_hex_digits), nullptr, 16);
    unsigned long long total = 0ULL + split.ratios[0] + split.ratios[1] + split.ratios[2];
    unsigned long long point = draw % total;
    if (point < split.ratios[0]) {
        return "train";
    }
    return point < 0ULL + split.ratios[0] + split.ratios[1] ? "validate" : "test";
}

Result<LabelStats> write_label_table(const std::vector<const Dataset*>& datasets, const Paths& paths,
                                     const Vocabulary& vocabulary, const LabelOptions& options, const LabelQuery& query,
                                     LabelWriter& writer) {
    auto columns = label_columns(datasets, vocabulary, options);
    if (!columns) {
        return columns.error();
    }
    // Every dataset's files are checked before the first row, so a missing one leaves no half table.
    for (const Dataset* dataset : datasets) {
        if (auto installed = check_label_files(*dataset, paths.dataset_dir(dataset->id), vocabulary, options);
            !installed) {
            return installed.error();
        }
    }
    LabelStats stats;
    lineage_notes(datasets, stats);
    OverlapIndex overlap;
    writer.begin(*columns);
    for (const Dataset* dataset : datasets) {
        std::filesystem::path dir = paths.dataset_dir(dataset->id);
        // Overlap is between a dataset and those named before it: the first has nothing to meet, and
        // the last's rows are met by nobody, so neither pays for the index (a single dataset never does).
        const bool meets_earlier = dataset != datasets.front();
        const bool met_by_later = dataset != datasets.back();
        auto read = read_dataset_labels(*dataset, dir, *columns, vocabulary, options, [&](LabelRow&& row) {
            if (query.split_by_patient && (row.split.empty() || query.split_by_patient->override_official)) {
                row.split =
                    patient_split(*query.split_by_patient, row.dataset, row.patient.empty() ? row.image : row.patient);
            }
            if (!std::all_of(query.where.begin(), query.where.end(), [&](const LabelCondition& condition) {
                    return label_row_matches(row, condition, *columns);
                })) {
                return;
            }
            if (!dataset->errata.empty()) {
                if (const Erratum* erratum = find_erratum(*dataset, row.image);
                    erratum != nullptr && erratum_unusable(*erratum)) {
                    ++stats.errata;
                    if (!query.keep_errata) {
                        return;
                    }
                }
            }
            std::error_code error;
            if (!std::filesystem::exists(dir / row.image, error)) {
                ++stats.missing_images;
                if (query.require_images) {
                    return;
                }
            }
            if (meets_earlier && overlap.seen_before(row)) {
                ++stats.overlapping;
                if (query.drop_overlap) {
                    return;
                }
            }
            if (met_by_later) {
                overlap.add(row);
            }
            if (query.absolute) {
                row.image = (dir / row.image).string();
            }
            writer.row(row);
            ++stats.rows;
        });
        if (!read) {
            return read.error();
        }
    }
    writer.end();
    return stats;
}

} // namespace cxrcat
