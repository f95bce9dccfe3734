// SPDX-License-Identifier: Apache-2.0
// `cxrcat list`: every output format parsed back, and the filters.
#include "cli_test.hpp"

#include <cstdint>
#include <set>

namespace cxrcat::test {
namespace {

using Ids = std::vector<std::string>;

using List = CliTest;

const Ids k_all_ids{"chexpert",       "ct-rate",     "jsrt",         "lidc-idri",
                    "luna16",         "luna25",      "m3d",          "mimic-cxr",
                    "mimic-cxr-jpg",  "montgomery",  "nih-cxr14",    "nlst",
                    "osic-pff",       "padchest",    "pff-registry", "ranzcr-clip",
                    "rsna-pneumonia", "rsna-str-pe", "shenzhen",     "siim-acr-pneumothorax",
                    "vindr-cxr"};

const Ids k_ct_ids{"ct-rate", "lidc-idri", "luna16",       "luna25",     "m3d",
                   "nlst",    "osic-pff",  "pff-registry", "rsna-str-pe"};

Ids ids_of(const ProcessResult& result) {
    return split_lines(result.out);
}

TEST_F(List, IdsFormatPrintsOneIdPerLineInIdOrder) {
    ProcessResult result = cxrcat({"list", "--format", "ids"});
    ASSERT_EQ(result.exit_code, 0) << result.describe();
    EXPECT_EQ(ids_of(result), k_all_ids);
    EXPECT_EQ(result.out.back(), '\n');
}

TEST_F(List, JsonFormatIsAnArrayOfFullDatasetObjects) {
    ProcessResult result = cxrcat({"list", "--format", "json"});
    ASSERT_EQ(result.exit_code, 0) << result.describe();
    json datasets = json::parse(result.out);
    ASSERT_TRUE(datasets.is_array());
    ASSERT_EQ(datasets.size(), 21U);
    Ids ids;
    for (const auto& dataset : datasets) {
        ids.push_back(dataset.at("id").get<std::string>());
        // Full objects: every required field, plus redistribution made explicit.
        for (const char* key : {"name", "modality", "category", "license", "access", "sources", "citation",
                                "sources_of_facts", "redistribution", "availability"}) {
            EXPECT_TRUE(dataset.contains(key)) << dataset["id"] << " lacks " << key;
        }
        std::set<std::string> policies{"allowed", "organisation-only", "forbidden", "unknown"};
        EXPECT_EQ(policies.count(dataset["redistribution"].get<std::string>()), 1U) << dataset["id"];
    }
    EXPECT_EQ(ids, k_all_ids);
    // The JSON is the catalog entry itself, not a summary.
    json jsrt = builtin_entry("jsrt");
    for (const auto& dataset : datasets) {
        if (dataset["id"] == "jsrt") {
            EXPECT_EQ(dataset["labels"], jsrt["labels"]);
            EXPECT_EQ(dataset["citation"], jsrt["citation"]);
            EXPECT_EQ(dataset["access"], jsrt["access"]);
        }
    }
}

TEST_F(List, JsonFormatMakesTheRedistributionDefaultExplicit) {
    ProcessResult result =
        cxrcat({"--catalog", fixture("catalogs/minimal/lab-cxr.json").string(), "list", "--format", "json"});
    ASSERT_EQ(result.exit_code, 0) << result.describe();
    json datasets = json::parse(result.out);
    ASSERT_EQ(datasets.size(), 22U);
    for (const auto& dataset : datasets) {
        if (dataset["id"] == "lab-cxr") {
            EXPECT_EQ(dataset["redistribution"], "unknown");
            EXPECT_EQ(dataset["availability"]["status"], "available");
        }
    }
}

TEST_F(List, JsonLinesFormatHasOneObjectPerLine) {
    ProcessResult result = cxrcat({"list", "--format", "jsonl", "--modality", "ct"});
    ASSERT_EQ(result.exit_code, 0) << result.describe();
    Ids ids;
    for (const auto& line : split_lines(result.out)) {
        json dataset = json::parse(line);
        ASSERT_TRUE(dataset.is_object());
        EXPECT_EQ(dataset["modality"], "ct");
        EXPECT_TRUE(dataset.contains("redistribution"));
        ids.push_back(dataset["id"].get<std::string>());
    }
    EXPECT_EQ(ids, k_ct_ids);
}

// A small RFC 4180 reader: enough to check that quoting round-trips.
std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
    std::vector<std::vector<std::string>> rows(1);
    std::string field;
    bool quoted = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                field += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                field += c;
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            rows.back().push_back(field);
            field.clear();
        } else if (c == '\n') {
            rows.back().push_back(field);
            field.clear();
            rows.emplace_back();
        } else {
            field += c;
        }
    }
    if (rows.back().empty()) {
        rows.pop_back();
    }
    return rows;
}

TEST_F(List, CsvFormatHasAHeaderAndOneQuotedRowPerDataset) {
    ProcessResult result = cxrcat({"list", "--format", "csv"});
    ASSERT_EQ(result.exit_code, 0) << result.describe();
    auto rows = parse_csv(result.out);
    ASSERT_EQ(rows.size(), 22U);
    const Ids header{"id",           "name",   "modality",   "category", "access", "license", "redistribution",
                     "availability", "images", "size_bytes", "homepage"};
    EXPECT_EQ(rows[0], header);
    Ids ids;
    for (std::size_t i = 1; i < rows.size(); ++i) {
        ASSERT_EQ(rows[i].size(), header.size()) << "row " << i;
        ids.push_back(rows[i][0]);
    }
    EXPECT_EQ(ids, k_all_ids);
    // Values come through exactly, even the ones with commas.
    json nih = builtin_entry("nih-cxr14");
    for (std::size_t i = 1; i < rows.size(); ++i) {
        if (rows[i][0] == "nih-cxr14") {
            EXPECT_EQ(rows[i][1], nih["name"].get<std::string>());
            EXPECT_EQ(rows[i][8], std::to_string(nih["counts"]["images"].get<std::uint64_t>()));
            EXPECT_EQ(rows[i][9], std::to_string(nih["size_bytes"].get<std::uint64_t>()));
            EXPECT_EQ(rows[i][10], nih["homepage"].get<std::string>());
        }
    }
}

TEST_F(List, TableShowsHeaderAndEveryDataset) {
    ProcessResult result = cxrcat({"list"});
    ASSERT_EQ(result.exit_code, 0) << result.describe();
    auto lines = split_lines(result.out);
    ASSERT_EQ(lines.size(), 22U);
    EXPECT_EQ(lines[0].rfind("ID ", 0), 0U) << lines[0];
    for (const char* column : {"MODALITY", "CATEGORY", "ACCESS", "LICENSE", "IMAGES", "SIZE", "NAME"}) {
        EXPECT_NE(lines[0].find(column), std::string::npos) << column;
    }
    // Columns are aligned: every row has its modality where the header has MODALITY.
    std::size_t modality_column = lines[0].find("MODALITY");
    for (std::size_t i = 1; i < lines.size(); ++i) {
        std::string cell = lines[i].substr(modality_column, 3);
        EXPECT_TRUE(cell == "cxr" || cell == "ct ") << lines[i];
    }
    // Sizes are human-readable and counts grouped.
    std::string nih = lines[11];
    EXPECT_EQ(nih.rfind("nih-cxr14 ", 0), 0U) << nih;
    EXPECT_NE(nih.find("112,120"), std::string::npos) << nih;
    EXPECT_NE(nih.find("45 GB"), std::string::npos) << nih;
}

std::size_t columns_of(const std::string& line) {
    std::size_t width = 0;
    for (char c : line) {
        width += (static_cast<unsigned char>(c) & 0xC0U) != 0x80U ? 1 : 0;
    }
    return width;
}

TEST_F(List, TableFitsTheWidthFromColumns) {
    // Wide enough after cutting names: licences keep their text.
    ProcessResult result = cxrcat({"list"}, {{"COLUMNS", "130"}});
    ASSERT_EQ(result.exit_code, 0) << result.describe();
    auto lines = split_lines(result.out);
    ASSERT_EQ(lines.size(), 22U);
    std::size_t longest = 0;
    for (const auto& line : lines) {
        EXPECT_LE(columns_of(line), 130U) << line;
        longest = std::max(longest, columns_of(line));
    }
    EXPECT_EQ(longest, 130U); // names are cut just enough, not more
    EXPECT_NE(result.out.find("Stanford University Sch…"), std::string::npos) << result.out;

    // Narrower: the licence column gives way too, and still every line fits.
    result = cxrcat({"list"}, {{"COLUMNS", "100"}});
    ASSERT_EQ(result.exit_code, 0) << result.describe();
    for (const auto& line : split_lines(result.out)) {
        EXPECT_LE(columns_of(line), 100U) << line;
    }
    EXPECT_NE(result.out.find("nih-cxr14 "), std::string::npos);
}

TEST_F(List, MriPrintsNothingAndOneNoteOnStderr) {
    ProcessResult result = cxrcat({"list", "--modality", "mri"});
    EXPECT_EQ(result.exit_code, 0) << result.describe();
    EXPECT_EQ(result.out, "");
    auto lines = split_lines(result.err);
    ASSERT_EQ(lines.size(), 1U) << result.err;
    EXPECT_NE(lines[0].find("no chest MRI dataset is catalogued"), std::string::npos) << lines[0];
    EXPECT_EQ(result.err.back(), '\n');
}

TEST_F(List, MriAsJsonIsAnEmptyArray) {
    ProcessResult result = cxrcat({"list", "--modality", "mri", "--format", "json"});
    EXPECT_EQ(result.exit_code, 0) << result.describe();
    EXPECT_EQ(json::parse(result.out), json::array());
    EXPECT_EQ(split_lines(result.err).size(), 1U);
}

TEST_F(List, CtListsTheCtDatasets) {
    ProcessResult result = cxrcat({"list", "--modality", "ct", "--format", "ids"});
    ASSERT_EQ(result.exit_code, 0) << result.describe();
    EXPECT_EQ(ids_of(result), k_ct_ids);
    EXPECT_EQ(result.err, "");
}

TEST_F(List, RepeatedValuesOfOneFilterAreAlternatives) {
    ProcessResult result = cxrcat({"list", "--modality", "ct", "--modality", "cxr", "--format", "ids"});
    ASSERT_EQ(result.exit_code, 0) << result.describe();
    EXPECT_EQ(ids_of(result), k_all_ids);

    result = cxrcat({"list", "--access", "credentialed", "--access", "gated", "--format", "ids"});
    ASSERT_EQ(result.exit_code, 0) << result.describe();
    EXPECT_EQ(ids_of(result), (Ids{"ct-rate", "mimic-cxr", "mimic-cxr-jpg", "vindr-cxr"}));
}

TEST_F(List, FiltersCombineWithAnd) {
    ProcessResult result =
        cxrcat({"list", "--modality", "ct", "--access", "open", "--category", "disease-specific", "--format", "ids"});
    ASSERT_EQ(result.exit_code, 0) << result.describe();
    EXPECT_EQ(ids_of(result), (Ids{"lidc-idri", "luna16", "luna25", "nlst"}));

    result = cxrcat({"list", "--modality", "cxr", "--access", "competition", "--format", "ids"});
    ASSERT_EQ(result.exit_code, 0) << result.describe();
    EXPECT_EQ(ids_of(result), (Ids{"ranzcr-clip", "rsna-pneumonia", "siim-acr-pneumothorax"}));

    result =
        cxrcat({"list", "--modality", "cxr", "--category", "general", "--access", "credentialed", "--format", "ids"});
    ASSERT_EQ(result.exit_code, 0) << result.describe();
    EXPECT_EQ(ids_of(result), (Ids{"mimic-cxr", "mimic-cxr-jpg", "vindr-cxr"}));
}

TEST_F(List, FiltersByTaskAndLicense) {
    ProcessResult result = cxrcat({"list", "--task", "PNEUMOTHORAX", "--format", "ids"});
    ASSERT_EQ(result.exit_code, 0) << result.describe();
    EXPECT_EQ(ids_of(result), (Ids{"siim-acr-pneumothorax"}));

    result = cxrcat({"list", "--license", "cc-by-4.0", "--format", "ids"});
    ASSERT_EQ(result.exit_code, 0) << result.describe();
    EXPECT_EQ(ids_of(result), (Ids{"luna16", "luna25", "nlst"}));

    result = cxrcat({"list", "--license", "physionet", "--modality", "cxr", "--format", "ids"});
    ASSERT_EQ(result.exit_code, 0) << result.describe();
    EXPECT_EQ(ids_of(result), (Ids{"mimic-cxr", "mimic-cxr-jpg", "vindr-cxr"}));
}

TEST_F(List, NoMatchIsANoteNotAnError) {
    ProcessResult result = cxrcat({"list", "--modality", "ct", "--access", "credentialed", "--format", "ids"});
    EXPECT_EQ(result.exit_code, 0) << result.describe();
    EXPECT_EQ(result.out, "");
    EXPECT_EQ(result.err, "cxrcat: note: no dataset matches these filters\n");
}

TEST_F(List, QuietSuppressesNotes) {
    ProcessResult result = cxrcat({"--quiet", "list", "--modality", "mri"});
    EXPECT_EQ(result.exit_code, 0) << result.describe();
    EXPECT_EQ(result.out, "");
    EXPECT_EQ(result.err, "");
}

TEST_F(List, SortsBySizeAndYear) {
    ProcessResult result = cxrcat({"list", "--sort", "size", "--format", "ids"});
    ASSERT_EQ(result.exit_code, 0) << result.describe();
    Ids ids = ids_of(result);
    ASSERT_EQ(ids.size(), 21U);
    EXPECT_EQ(ids.front(), "mimic-cxr"); // the largest stated total (4.7 TB)
    result = cxrcat({"list", "--sort", "size", "--format", "json"});
    ASSERT_EQ(result.exit_code, 0) << result.describe();
    std::uint64_t larger = UINT64_MAX;
    bool unknown_seen = false;
    for (const auto& dataset : json::parse(result.out)) {
        if (!dataset.value("size_bytes", json()).is_number()) {
            unknown_seen = true; // unknown sizes come last
            continue;
        }
        EXPECT_FALSE(unknown_seen) << dataset["id"];
        EXPECT_LE(dataset["size_bytes"].get<std::uint64_t>(), larger) << dataset["id"];
        larger = dataset["size_bytes"].get<std::uint64_t>();
    }

    result = cxrcat({"list", "--sort", "year", "--format", "json"});
    ASSERT_EQ(result.exit_code, 0) << result.describe();
    int previous = 10000;
    for (const auto& dataset : json::parse(result.out)) {
        int year = dataset.value("year", json()).is_number() ? dataset["year"].get<int>() : -1;
        EXPECT_LE(year, previous) << dataset["id"];
        previous = year;
    }
}

TEST_F(List, GlobalOptionsMayFollowTheSubcommand) {
    ProcessResult result = cxrcat({"list", "--format", "ids", "--catalog", fixture("catalogs/minimal").string()});
    ASSERT_EQ(result.exit_code, 0) << result.describe();
    EXPECT_EQ(ids_of(result).size(), 22U);
}

// With no user catalog, list reads the summaries made at build time; with one it summarises the
// loaded records. A user catalog holding an exact copy of a built-in entry changes nothing, so
// both paths must print the same bytes in every format the summaries serve.
TEST_F(List, BuildTimeSummariesPrintWhatTheFullRecordsPrint) {
    write_text_file(m_dir / "lab" / "jsrt.json", builtin_entry("jsrt").dump(2));
    const std::vector<std::vector<std::string>> cases{
        {"list"},
        {"list", "--format", "csv"},
        {"list", "--sort", "size", "--format", "csv"},
        {"list", "--sort", "images", "--modality", "cxr"},
        {"list", "--sort", "year", "--access", "credentialed", "--format", "csv"},
        {"list", "--task", "segmentation", "--license", "cc-by-4.0", "--format", "ids"},
    };
    for (const auto& args : cases) {
        ProcessResult summaries = cxrcat(args);
        std::vector<std::string> with_catalog{"--catalog", (m_dir / "lab").string()};
        with_catalog.insert(with_catalog.end(), args.begin(), args.end());
        ProcessResult records = cxrcat(with_catalog);
        ASSERT_EQ(summaries.exit_code, 0) << summaries.describe();
        ASSERT_EQ(records.exit_code, 0) << records.describe();
        EXPECT_FALSE(summaries.out.empty()) << args.back();
        EXPECT_EQ(summaries.out, records.out) << args.back();
    }
}

} // namespace
} // namespace cxrcat::test
