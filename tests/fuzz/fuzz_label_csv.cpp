// SPDX-License-Identifier: Apache-2.0
// Fuzzes the label tables' CSV reader (labels/csv_reader.hpp): input is "<delimiter byte>text".
// Every record either reads or fails with a file:line message; re-quoting a record's fields and
// reading them back gives the same fields.
#include "fuzz_support.hpp"
#include "labels/csv_reader.hpp"

using namespace cxrcat;
using namespace cxrcat::fuzz;

namespace {

std::string quoted(const std::vector<std::string>& fields, char delimiter) {
    std::string line;
    for (const std::string& field : fields) {
        line += '"';
        for (char c : field) {
            line += c;
            if (c == '"') {
                line += '"';
            }
        }
        line += '"';
        line += delimiter;
    }
    line.back() = '\n';
    return line;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text = fuzz_text(data, size);
    char delimiter = !text.empty() && text[0] == '\t' ? '\t' : ',';
    labels::CsvReader reader(text, "fuzz.csv", delimiter);
    for (int records = 0; records < 10'000; ++records) {
        auto record = reader.next();
        if (!record) {
            fuzz_require(record.error().message().starts_with("fuzz.csv:"), "a CSV error names file and line");
            return 0;
        }
        if (!*record) {
            return 0;
        }
        fuzz_require(!(*record)->empty(), "a record has at least one field");
        std::string again = quoted(**record, delimiter);
        labels::CsvReader round_trip(again, "again.csv", delimiter);
        auto reread = round_trip.next();
        fuzz_require(reread && *reread && **reread == **record, "quoted fields read back unchanged");
    }
    return 0;
}
