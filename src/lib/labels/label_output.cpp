// SPDX-License-Identifier: Apache-2.0
#include "cxrcat/labels/label_output.hpp"

#include <nlohmann/json.hpp>

#include <array>

namespace cxrcat {

namespace {

// Not `json`: a unity batch may hold another file's nlohmann::json alias in this namespace.
using row_json = nlohmann::ordered_json; // keys in column order

// The fixed fields of a row, in label_fixed_columns() order.
std::array<const std::string*, 9> fixed_fields(const LabelRow& row) {
    return {&row.dataset, &row.image, &row.patient, &row.study,       &row.view,
            &row.sex,     &row.age,   &row.split,   &row.source_image};
}

row_json finding_json(FindingValue value) {
    return value == FindingValue::not_mentioned ? row_json(nullptr) : row_json(static_cast<int>(value));
}

// Appends text and a comma, as RFC 4180 writes a field: quoted, its quotes doubled, when it holds a
// comma, quote or line break. Appended in place: a table has millions of fields.
void append_csv_field(std::string& line, std::string_view text) {
    if (text.find_first_of(",\"\r\n") == std::string_view::npos) {
        line.append(text);
    } else {
        line += '"';
        for (char c : text) {
            line += c;
            if (c == '"') {
                line += '"';
            }
        }
        line += '"';
    }
    line += ',';
}

class CsvWriter final : public LabelWriter {
  public:
    explicit CsvWriter(std::ostream& out) : m_out(out) {}
    void begin(const LabelColumns& columns) override {
        m_columns = columns;
        std::string line;
        for (const std::string& name : label_fixed_columns()) {
            line += name + ",";
        }
        if (columns.label_method) {
            line += "label_method,";
        }
        for (const std::string& name : columns.findings) {
            append_csv_field(line, name);
        }
        line.back() = '\n';
        m_out << line;
    }
    void row(const LabelRow& row) override {
        std::string& line = m_line; // reused: its capacity stays from row to row
        line.clear();
        for (const std::string* field : fixed_fields(row)) {
            append_csv_field(line, *field);
        }
        if (m_columns.label_method) {
            append_csv_field(line, row.label_method);
        }
        for (FindingValue value : row.findings) {
            line += finding_text(value);
            line += ',';
        }
        line.back() = '\n';
        m_out << line;
    }
    void end() override { m_out.flush(); }

  private:
    std::ostream& m_out;
    LabelColumns m_columns;
    std::string m_line;
};

// One JSON object per row: the fixed columns as strings, each finding 1, 0, -1 or null.
class JsonRowsWriter final : public LabelWriter {
  public:
    JsonRowsWriter(std::ostream& out, LabelFormat format) : m_out(out), m_format(format) {}
    void begin(const LabelColumns& columns) override {
        m_columns = columns;
        if (m_format == LabelFormat::json) {
            m_out << '[';
        }
    }
    void row(const LabelRow& row) override {
        row_json object = row_json::object();
        if (m_format == LabelFormat::hf) {
            object["file_name"] = row.image; // imagefolder's key for the image, relative to the folder
        }
        auto fields = fixed_fields(row);
        for (std::size_t i = 0; i < fields.size(); ++i) {
            object[label_fixed_columns()[i]] = *fields[i];
        }
        if (m_columns.label_method) {
            object["label_method"] = row.label_method;
        }
        for (std::size_t i = 0; i < m_columns.findings.size(); ++i) {
            object[m_columns.findings[i]] = finding_json(row.findings[i]);
        }
        if (m_format == LabelFormat::json) {
            m_out << (m_first ? "\n" : ",\n");
        }
        m_first = false;
        m_out << object.dump() << (m_format == LabelFormat::json ? "" : "\n");
    }
    void end() override {
        if (m_format == LabelFormat::json) {
            m_out << (m_first ? "]\n" : "\n]\n");
        }
        m_out.flush();
    }

  private:
    std::ostream& m_out;
    LabelFormat m_format;
    LabelColumns m_columns;
    bool m_first = true;
};

// {"training": [...], "validation": [...], "test": [...]}, each item {"image", "label"} (and the
// row's dataset and patient, which MONAI carries along untouched).
class MonaiWriter final : public LabelWriter {
  public:
    MonaiWriter(std::ostream& out, std::function<std::string(const LabelRow&)> absolute_image)
        : m_out(out), m_absolute_image(std::move(absolute_image)) {}
    void begin(const LabelColumns& columns) override { m_columns = columns; }
    void row(const LabelRow& row) override {
        row_json label = row_json::array();
        for (FindingValue value : row.findings) {
            label.push_back(finding_json(value));
        }
        row_json item = {
            {"image", m_absolute_image(row)}, {"label", label}, {"dataset", row.dataset}, {"patient", row.patient}};
        const char* list = row.split == "test" ? "test" : row.split == "validate" ? "validation" : "training";
        m_lists[list].push_back(std::move(item));
    }
    void end() override { m_out << m_lists.dump(1) << '\n'; }

  private:
    std::ostream& m_out;
    std::function<std::string(const LabelRow&)> m_absolute_image;
    LabelColumns m_columns;
    row_json m_lists = {
        {"training", row_json::array()}, {"validation", row_json::array()}, {"test", row_json::array()}};
};

} // namespace

const std::vector<std::string>& label_fixed_columns() {
    static const std::vector<std::string> columns{"dataset", "image", "patient", "study",       "view",
                                                  "sex",     "age",   "split",   "source_image"};
    return columns;
}

std::unique_ptr<LabelWriter> make_label_writer(LabelFormat format, std::ostream& out,
                                               std::function<std::string(const LabelRow&)> absolute_image) {
    switch (format) {
    case LabelFormat::csv: return std::make_unique<CsvWriter>(out);
    case LabelFormat::monai: return std::make_unique<MonaiWriter>(out, std::move(absolute_image));
    case LabelFormat::jsonl:
    case LabelFormat::json:
    case LabelFormat::hf: break;
    }
    return std::make_unique<JsonRowsWriter>(out, format);
}

} // namespace cxrcat
