// SPDX-License-Identifier: Apache-2.0
// The label parsers on their own: CSV records across chunk boundaries, clinical readings, the
// vocabulary file, patient splits.
#include "cxrcat/catalog/embedded_catalog.hpp"
#include "cxrcat/labels/label_query.hpp"
#include "labels/clinical_reading.hpp"
#include "labels/csv_reader.hpp"
#include "support/files.hpp"

#include <gtest/gtest.h>

namespace cxrcat {
namespace {

using Records = std::vector<std::vector<std::string>>;

// Every record of text, read from chunks of chunk_size bytes.
Records read_all(const std::string& text, std::size_t chunk_size) {
    std::size_t offset = 0;
    labels::CsvReader reader(
        [&]() -> Result<std::string_view> {
            std::string_view chunk = std::string_view(text).substr(std::min(offset, text.size()), chunk_size);
            offset += chunk.size();
            return chunk;
        },
        "t.csv");
    Records records;
    for (;;) {
        auto record = reader.next();
        EXPECT_TRUE(record) << (record ? "" : record.error().message());
        if (!record || !*record) {
            return records;
        }
        records.push_back(**record);
    }
}

TEST(LabelCsv, QuotesDoubledQuotesCrlfAndLineBreaksInsideQuotesAtEveryChunkSize) {
    const std::string text = "\xEF\xBB\xBFImageId, EncodedPixels\r\n"
                             "a,\"['pleural effusion', 'cardiomegaly']\"\r\n"
                             "\"say \"\"hi\"\"\",\"two\nlines\"\n"
                             "last,\n";
    const Records expected{{"ImageId", " EncodedPixels"},
                           {"a", "['pleural effusion', 'cardiomegaly']"},
                           {"say \"hi\"", "two\nlines"},
                           {"last", ""}};
    for (std::size_t chunk = 1; chunk <= text.size(); ++chunk) {
        EXPECT_EQ(read_all(text, chunk), expected) << "chunks of " << chunk;
    }
}

TEST(LabelCsv, ErrorsNameFileAndLine) {
    labels::CsvReader open_quote("a,b\n\"c,d\n", "open.csv");
    ASSERT_TRUE(open_quote.next());
    auto second = open_quote.next();
    ASSERT_FALSE(second);
    EXPECT_EQ(second.error().message(), "open.csv:2: a quoted field is not closed before the end of the file");
    EXPECT_EQ(second.error().code(), ErrorCode::integrity);
    labels::CsvReader after_quote("\"a\"b,c\n", "after.csv");
    auto first = after_quote.next();
    ASSERT_FALSE(first);
    EXPECT_EQ(first.error().message(), "after.csv:1: text after a closing quote in field 1");
}

TEST(ClinicalReading, MontgomeryKeysAndShenzhenTyposFromTheRealFiles) {
    // labels-facts.md §1.11 and §1.12 quote these spellings from the distributed readings.
    auto montgomery = labels::parse_clinical_reading("Patient's Sex: F\nPatient's Age: 027Y\nnormal\n");
    EXPECT_EQ(montgomery.sex, "F");
    EXPECT_EQ(montgomery.age, "27");
    EXPECT_EQ(labels::parse_clinical_reading("Patient's Sex: O\nPatient's Age: 045Y\n").sex, "");
    const std::vector<std::tuple<std::string, std::string, std::string>> shenzhen{
        {"male 45yrs", "M", "45"},   {"femal 32yrs", "F", "32"}, {"female24yrs", "F", "24"},
        {"male , 29yrs", "M", "29"}, {"male 16month", "M", "1"}, {"female 64days", "F", "0"},
        {"male 42", "M", "42"}};
    for (const auto& [text, sex, age] : shenzhen) {
        auto reading = labels::parse_clinical_reading(text + "\nreading\n");
        EXPECT_EQ(reading.sex, sex) << text;
        EXPECT_EQ(reading.age, age) << text;
    }
}

TEST(Vocabulary, TheEmbeddedOneIsTheFileOnDiskAndStartsWithTheChexpertFourteen) {
    EXPECT_EQ(test::read_text_file(std::filesystem::path(CXRCAT_SOURCE_DIR) / "catalog" / "vocabulary.json"),
              embedded_vocabulary());
    const Vocabulary& vocabulary = builtin_vocabulary();
    const std::vector<std::string> chexpert{"No Finding",       "Enlarged Cardiomediastinum",
                                            "Cardiomegaly",     "Lung Lesion",
                                            "Lung Opacity",     "Edema",
                                            "Consolidation",    "Pneumonia",
                                            "Atelectasis",      "Pneumothorax",
                                            "Pleural Effusion", "Pleural Other",
                                            "Fracture",         "Support Devices"};
    ASSERT_GE(vocabulary.names.size(), 22U);
    EXPECT_EQ(std::vector<std::string>(vocabulary.names.begin(), vocabulary.names.begin() + 14), chexpert);
    EXPECT_EQ(vocabulary.names[21], "Tuberculosis");
    EXPECT_EQ(vocabulary.find("pleural effusion"), 10U);
    EXPECT_FALSE(parse_vocabulary(R"({"findings": [{"name": "A"}, {"name": "a"}]})", "v.json"));
    EXPECT_FALSE(parse_vocabulary(R"({"findings": [{"name": ""}]})", "v.json"));
}

TEST(PatientSplit, StableForASeedAndProportionalToTheRatios) {
    PatientSplit split{{70, 10, 20}, "7", false};
    std::map<std::string, int> counts;
    for (int patient = 0; patient < 20'000; ++patient) {
        std::string assigned = patient_split(split, "montgomery", "p" + std::to_string(patient));
        EXPECT_EQ(assigned, patient_split(split, "montgomery", "p" + std::to_string(patient)));
        ++counts[assigned];
    }
    EXPECT_NEAR(counts["train"], 14'000, 400);
    EXPECT_NEAR(counts["validate"], 2'000, 250);
    EXPECT_NEAR(counts["test"], 4'000, 300);
    PatientSplit other{{70, 10, 20}, "8", false};
    int moved = 0;
    for (int patient = 0; patient < 1'000; ++patient) {
        moved +=
            patient_split(split, "d", std::to_string(patient)) != patient_split(other, "d", std::to_string(patient));
    }
    EXPECT_GT(moved, 200); // another seed draws another split
}

} // namespace
} // namespace cxrcat
