// SPDX-License-Identifier: Apache-2.0
#include "catalog_ids.hpp"
#include "cxrcat/catalog/catalog_loader.hpp"
#include "support/files.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

namespace cxrcat {
namespace {

namespace fs = std::filesystem;

const fs::path k_fixtures = fs::path(CXRCAT_FIXTURES_DIR) / "catalogs";

// The minimal private entry, exactly as the foundation issue documents it (with a real sha256).
constexpr std::string_view k_minimal_entry =
    R"({"id": "lab-cxr", "name": "Lab CXR set", "modality": "cxr", "category": "general",
 "license": {"name": "CC-BY-4.0"},
 "access": {"class": "open", "terms": "Cite the lab.", "terms_url": "https://example.org/terms"},
 "sources": [{"provider": "http", "files": [
     {"path": "images/part1.tar.gz", "url": "https://example.org/part1.tar.gz",
      "size": 1234, "sha256": "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", "extract": true}]}]}
)";

// A valid entry in one line, for texts built inside tests.
std::string entry(const std::string& id, const std::string& extra = "") {
    return R"({"id": ")" + id + R"(", "name": "Test )" + id +
           R"(", "modality": "ct", "category": "general", "license": {"name": "CC-BY-4.0"},
              "access": {"class": "open", "terms": "Cite it.", "terms_url": "https://example.org/t"},
              "sources": [{"provider": "manual", "url": "https://example.org/get"}])" +
           extra + "}";
}

std::vector<std::string> lines_of(const LoadedCatalog& loaded) {
    std::vector<std::string> lines;
    for (const auto& problem : loaded.problems) {
        lines.push_back(problem.to_string());
    }
    return lines;
}

TEST(CatalogProblem, PrintsFilePointerAndMessage) {
    CatalogProblem problem{"lab.json", "/sources/0/files/1/sha256", "sha256 must be 64 lowercase hex characters"};
    EXPECT_EQ(problem.to_string(), "lab.json: /sources/0/files/1/sha256: sha256 must be 64 lowercase hex characters");
}

// The fixture has one problem of each kind; the loader must report all of them, in this order,
// with these exact words, and never stop at the first.
TEST(CatalogLoader, ReportsEveryProblemOfTheInvalidFixture) {
    const fs::path dir = k_fixtures / "invalid";
    const std::string syntax = (dir / "01-syntax.json").string();
    const std::string entries = (dir / "02-entries.json").string();
    const std::string collisions = (dir / "03-collisions.json").string();

    LoadedCatalog loaded = load_catalog(CatalogSources{false, {dir}});

    const std::vector<std::string> expected{
        syntax + ": /: JSON syntax error at line 4, column 12: syntax error while parsing object - unexpected "
                 "string literal; expected '}'",
        entries + ": /datasets/0/name: required field is missing",
        entries + ": /datasets/1/year: expected an integer, got a string",
        entries + ": /datasets/2/modality: unknown value \"xray\"; expected one of: cxr, ct, mri",
        entries + ": /datasets/3/sources/0/files/0/sha256: sha256 must be 64 lowercase hex characters, got "
                  "\"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015a\"",
        entries + ": /datasets/4/sources/0/files/0/md5: md5 must be 32 lowercase hex characters, got "
                  "\"900150983CD24FB0D6963F7D28E17F72\"",
        entries + ": /datasets/5/sources/0/files/0/size: must not be negative, got -5",
        entries + ": /datasets/6/sources/0/files/0/url: must be an http:// or https:// URL, got "
                  "\"ftp://example.org/fx-ftp-url.zip\"",
        entries + ": /datasets/7/sources/0/files/0/path: must be a relative path, got absolute path \"/etc/passwd\"",
        entries + ": /datasets/8/sources/0/files/0/path: must not contain \"..\", got \"images/../../escape.zip\"",
        collisions + ": /datasets/0/id: id \"fx-alpha\" is already defined in " + entries,
        collisions + ": /datasets/1/aliases/0: alias \"fx-shared\" collides with dataset \"fx-alpha\" (" + entries +
            ")",
        entries + ": /datasets/10/lineage/0/dataset: unknown dataset \"fx-nowhere\"",
    };
    EXPECT_EQ(lines_of(loaded), expected);
    EXPECT_FALSE(loaded.ok());
    EXPECT_EQ(loaded.files_read, 3U);
    EXPECT_TRUE(loaded.notices.empty());
    // Entries with a problem of their own are left out; the first fx-alpha wins.
    EXPECT_EQ(test::catalog_ids(loaded.catalog), (std::vector<std::string>{"fx-alpha", "fx-beta", "fx-gamma"}));
    EXPECT_EQ(loaded.catalog.find("fx-alpha")->name, "Fixture fx-alpha");
}

TEST(CatalogLoader, SyntaxErrorNamesLineAndColumn) {
    LoadedCatalog loaded = load_catalog_texts({{"one-line.json", R"({"id": })", false}});
    ASSERT_EQ(loaded.problems.size(), 1U);
    EXPECT_EQ(loaded.problems[0].file, "one-line.json");
    EXPECT_EQ(loaded.problems[0].pointer, "/");
    EXPECT_EQ(loaded.problems[0].message.rfind("JSON syntax error at line 1, column 8: ", 0), 0U)
        << loaded.problems[0].message;

    loaded = load_catalog_texts({{"multi.json", "{\n  \"id\": \"x\",\n\n  ]\n}", false}});
    ASSERT_EQ(loaded.problems.size(), 1U);
    EXPECT_EQ(loaded.problems[0].message.rfind("JSON syntax error at line 4, column 3: ", 0), 0U)
        << loaded.problems[0].message;
}

// Found while fuzzing the manifest (the catalog loader had the same catch): a number too large for a
// double is not a parse_error but an out_of_range, and it escaped the loader.
TEST(CatalogLoader, ANumberTooLargeIsAProblemNotACrash) {
    LoadedCatalog loaded = load_catalog_texts({{"big.json", R"({"id": "x", "year": 1e999})", false}});
    ASSERT_EQ(loaded.problems.size(), 1U);
    EXPECT_EQ(loaded.problems[0].pointer, "/");
    EXPECT_EQ(loaded.problems[0].message, "JSON error: number overflow parsing '1e999'");
}

TEST(CatalogLoader, EmptyTextIsASyntaxError) {
    LoadedCatalog loaded = load_catalog_texts({{"empty.json", "", false}});
    ASSERT_EQ(loaded.problems.size(), 1U);
    EXPECT_EQ(loaded.problems[0].message.rfind("JSON syntax error at line 1, column 1: ", 0), 0U)
        << loaded.problems[0].message;
}

TEST(CatalogLoader, RejectsDocumentsThatAreNeitherFormOfCatalog) {
    LoadedCatalog loaded = load_catalog_texts({{"array.json", "[1, 2]", false},
                                               {"list.json", R"({"datasets": {"id": "x"}})", false},
                                               {"item.json", R"({"datasets": ["jsrt"]})", false}});
    EXPECT_EQ(lines_of(loaded),
              (std::vector<std::string>{
                  "array.json: /: expected a dataset object or {\"datasets\": [...]}, got a JSON array",
                  "list.json: /datasets: expected an array of dataset objects",
                  "item.json: /datasets/0: expected a dataset object, got a string",
              }));
    EXPECT_EQ(loaded.catalog.size(), 0U);
}

TEST(CatalogLoader, AcceptsTheMinimalEntryFromTheIssue) {
    LoadedCatalog loaded = load_catalog_texts({{"lab.json", std::string(k_minimal_entry), false}});
    ASSERT_TRUE(loaded.ok()) << lines_of(loaded).front();
    ASSERT_EQ(loaded.catalog.size(), 1U);
    const Dataset& dataset = loaded.catalog.datasets().front();
    EXPECT_EQ(dataset.id, "lab-cxr");
    EXPECT_EQ(dataset.name, "Lab CXR set");
    EXPECT_EQ(dataset.modality, Modality::cxr);
    EXPECT_EQ(dataset.category, Category::general);
    EXPECT_EQ(dataset.license.name, "CC-BY-4.0");
    EXPECT_EQ(dataset.access.access_class, AccessClass::open);
    EXPECT_EQ(dataset.access.terms, "Cite the lab.");
    EXPECT_EQ(dataset.access.terms_url, "https://example.org/terms");
    EXPECT_EQ(dataset.redistribution, Redistribution::unknown); // the documented default
    EXPECT_EQ(dataset.availability, Availability::available);
    EXPECT_EQ(dataset.origin, "lab.json");
    EXPECT_FALSE(dataset.builtin);
    ASSERT_EQ(dataset.sources.size(), 1U);
    EXPECT_EQ(dataset.sources[0].provider, Provider::http);
    ASSERT_EQ(dataset.sources[0].files.size(), 1U);
    const FileEntry& file = dataset.sources[0].files[0];
    EXPECT_EQ(file.path, "images/part1.tar.gz");
    EXPECT_EQ(file.url, std::optional<std::string>("https://example.org/part1.tar.gz"));
    EXPECT_EQ(file.size, std::optional<std::uint64_t>(1234));
    EXPECT_TRUE(file.extract);
    ASSERT_EQ(file.digests.count(DigestAlgorithm::sha256), 1U);
    EXPECT_EQ(file.digests.at(DigestAlgorithm::sha256),
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(dataset.raw, nlohmann::json::parse(k_minimal_entry));
}

TEST(CatalogLoader, MinimalFixtureFileEqualsTheIssueText) {
    EXPECT_EQ(test::read_text_file(k_fixtures / "minimal" / "lab-cxr.json"), k_minimal_entry);
    LoadedCatalog loaded = load_catalog(CatalogSources{true, {k_fixtures / "minimal" / "lab-cxr.json"}});
    EXPECT_TRUE(loaded.ok());
    ASSERT_NE(loaded.catalog.find("LAB-CXR"), nullptr);
    EXPECT_EQ(loaded.catalog.find("LAB-CXR")->origin, (k_fixtures / "minimal" / "lab-cxr.json").string());
}

TEST(CatalogLoader, ReadsTheDatasetsListForm) {
    const fs::path file = k_fixtures / "valid" / "two-datasets.json";
    LoadedCatalog loaded = load_catalog(CatalogSources{false, {file}});
    ASSERT_TRUE(loaded.ok()) << lines_of(loaded).front();
    EXPECT_EQ(loaded.files_read, 1U);
    EXPECT_EQ(test::catalog_ids(loaded.catalog), (std::vector<std::string>{"fx-one", "fx-two"}));
    const Dataset* two = loaded.catalog.find("fx-two");
    ASSERT_NE(two, nullptr);
    EXPECT_EQ(two->modality, Modality::ct);
    EXPECT_EQ(two->origin, file.string());
    ASSERT_EQ(two->lineage.size(), 1U);
    EXPECT_EQ(two->lineage[0].dataset, "fx-one");
    EXPECT_EQ(two->lineage[0].relation, "overlaps");
    EXPECT_EQ(two->lineage[0].note, "same scanner");
    ASSERT_NE(loaded.catalog.find("FX-FIRST"), nullptr);
    EXPECT_EQ(loaded.catalog.find("FX-FIRST")->id, "fx-one");
}

TEST(CatalogLoader, UserEntryReplacesBuiltInEntryWithANotice) {
    LoadedCatalog loaded =
        load_catalog_texts({{"catalog/datasets/fx-one.json", entry("fx-one", R"(, "aliases": ["fx-uno"])"), true},
                            {"lab.json", entry("fx-one", R"(, "description": "the lab's copy")"), false}});
    ASSERT_TRUE(loaded.ok()) << lines_of(loaded).front();
    EXPECT_EQ(loaded.notices, std::vector<std::string>{"lab.json: dataset 'fx-one' replaces the built-in entry"});
    ASSERT_EQ(loaded.catalog.size(), 1U);
    const Dataset* replaced = loaded.catalog.find("fx-one");
    ASSERT_NE(replaced, nullptr);
    EXPECT_EQ(replaced->description, "the lab's copy");
    EXPECT_EQ(replaced->origin, "lab.json");
    EXPECT_FALSE(replaced->builtin);
    // The replaced entry's aliases went with it.
    EXPECT_EQ(loaded.catalog.find("fx-uno"), nullptr);
}

TEST(CatalogLoader, UserFileReplacesARealBuiltInDataset) {
    test::TempDir dir;
    test::write_text_file(dir / "jsrt.json", entry("jsrt", R"(, "aliases": ["jsrt-db"])"));
    LoadedCatalog loaded = load_catalog(CatalogSources{true, {dir / "jsrt.json"}});
    ASSERT_TRUE(loaded.ok()) << lines_of(loaded).front();
    EXPECT_EQ(loaded.notices,
              std::vector<std::string>{(dir / "jsrt.json").string() + ": dataset 'jsrt' replaces the built-in entry"});
    EXPECT_EQ(loaded.catalog.size(), 21U);
    ASSERT_NE(loaded.catalog.find("JSRT-DB"), nullptr);
    EXPECT_EQ(loaded.catalog.find("JSRT-DB")->name, "Test jsrt");
    EXPECT_EQ(loaded.catalog.find("jsrt-scr"), nullptr); // an alias of the built-in entry only
}

TEST(CatalogLoader, TwoUserEntriesWithOneIdCollide) {
    LoadedCatalog loaded = load_catalog_texts({{"a.json", entry("fx-one"), false}, {"b.json", entry("fx-one"), false}});
    EXPECT_EQ(lines_of(loaded), std::vector<std::string>{"b.json: /id: id \"fx-one\" is already defined in a.json"});
    EXPECT_TRUE(loaded.notices.empty());
}

TEST(CatalogLoader, AliasMayNotNameAnotherDataset) {
    LoadedCatalog loaded = load_catalog_texts(
        {{"a.json", entry("fx-one"), false}, {"b.json", entry("fx-two", R"(, "aliases": ["fx-2", "fx-one"])"), false}});
    EXPECT_EQ(lines_of(loaded), std::vector<std::string>{
                                    "b.json: /aliases/1: alias \"fx-one\" collides with dataset \"fx-one\" (a.json)"});
    // Reported and dropped: the name still leads to the dataset that owns it, and only to that one.
    ASSERT_NE(loaded.catalog.find("fx-one"), nullptr);
    EXPECT_EQ(loaded.catalog.find("fx-one")->id, "fx-one");
    EXPECT_EQ(loaded.catalog.find("fx-two")->aliases, std::vector<std::string>{"fx-2"});
}

TEST(CatalogLoader, AliasRepeatingItsOwnIdIsKeptOnce) {
    LoadedCatalog loaded =
        load_catalog_texts({{"a.json", entry("fx-one", R"(, "aliases": ["fx-one", "fx-1", "fx-1"])"), false}});
    EXPECT_TRUE(loaded.ok()) << lines_of(loaded).front();
    ASSERT_NE(loaded.catalog.find("fx-1"), nullptr);
    EXPECT_EQ(loaded.catalog.find("fx-1")->aliases, std::vector<std::string>{"fx-1"});
}

TEST(CatalogLoader, UserIdThatIsABuiltInAliasBlamesTheUserFile) {
    // "chestx-ray14" is an alias of the built-in nih-cxr14; the user's file is the one to fix.
    test::TempDir dir;
    test::write_text_file(dir / "lab.json",
                          R"({"datasets": [)" + entry("fx-one") + ", " + entry("chestx-ray14") + "]}");
    LoadedCatalog loaded = load_catalog(CatalogSources{true, {dir / "lab.json"}});
    EXPECT_EQ(lines_of(loaded),
              std::vector<std::string>{(dir / "lab.json").string() +
                                       ": /datasets/1/id: id \"chestx-ray14\" collides with an alias of the built-in "
                                       "dataset \"nih-cxr14\" (catalog/datasets/nih-cxr14.json)"});
    // Found by a fuzzer: both kept the name, and find() gave the built-in entry for the user's id.
    ASSERT_NE(loaded.catalog.find("chestx-ray14"), nullptr);
    EXPECT_EQ(loaded.catalog.find("chestx-ray14")->id, "chestx-ray14");
}

TEST(CatalogLoader, LineageResolvesIdsAndAliasesIgnoringCase) {
    LoadedCatalog loaded =
        load_catalog_texts({{"a.json", entry("fx-one", R"(, "aliases": ["fx-1"])"), false},
                            {"b.json", entry("fx-two", R"(, "lineage": [{"dataset": "FX-ONE", "relation": "subset-of"},
                                          {"dataset": "fx-1", "relation": "overlaps"},
                                          {"dataset": "fx-three", "relation": "overlaps"}])"),
                             false}});
    EXPECT_EQ(lines_of(loaded), std::vector<std::string>{"b.json: /lineage/2/dataset: unknown dataset \"fx-three\""});
}

TEST(CatalogLoader, ReportsMissingUserPath) {
    test::TempDir dir;
    const fs::path missing = dir / "nowhere.json";
    LoadedCatalog loaded = load_catalog(CatalogSources{true, {missing}});
    EXPECT_EQ(lines_of(loaded),
              std::vector<std::string>{
                  missing.string() + ": /: catalog path does not exist or cannot be read: No such file or directory"});
    // The built-in catalog is still loaded; the caller decides to stop on the problem.
    EXPECT_EQ(loaded.catalog.size(), 21U);
}

TEST(CatalogLoader, ReportsUnreachableUserPath) {
    test::TempDir dir;
    test::write_text_file(dir / "file", "{}");
    const fs::path through_file = dir / "file" / "lab.json";
    LoadedCatalog loaded = load_catalog(CatalogSources{false, {through_file}});
    EXPECT_EQ(lines_of(loaded), std::vector<std::string>{through_file.string() +
                                                         ": /: catalog path does not exist or cannot be read: Not a "
                                                         "directory"});
}

TEST(CatalogLoader, ReadsOnlyJsonFilesOfADirectoryInNameOrder) {
    test::TempDir dir;
    test::write_text_file(dir / "b.json", entry("fx-b"));
    test::write_text_file(dir / "a.json", entry("fx-a", R"(, "aliases": ["fx-shared"])"));
    test::write_text_file(dir / "c.json", entry("fx-c", R"(, "aliases": ["fx-shared"])"));
    test::write_text_file(dir / "notes.txt", "not a catalog");
    test::write_text_file(dir / "d.json.bak", "{ broken");
    LoadedCatalog loaded = load_catalog(CatalogSources{false, {dir.path()}});
    EXPECT_EQ(loaded.files_read, 3U);
    // a.json is read before c.json whatever the directory order, so c.json is the one blamed.
    EXPECT_EQ(lines_of(loaded), std::vector<std::string>{(dir / "c.json").string() +
                                                         ": /aliases/0: alias \"fx-shared\" collides with dataset "
                                                         "\"fx-a\" (" +
                                                         (dir / "a.json").string() + ")"});
}

TEST(CatalogLoader, EmptyDirectoryIsAnEmptyCatalog) {
    test::TempDir dir;
    LoadedCatalog loaded = load_catalog(CatalogSources{false, {dir.path()}});
    EXPECT_TRUE(loaded.ok());
    EXPECT_EQ(loaded.files_read, 0U);
    EXPECT_EQ(loaded.catalog.size(), 0U);
}

TEST(CatalogLoader, SplitsCatalogPathLists) {
    EXPECT_EQ(split_catalog_path_list(""), std::vector<fs::path>{});
    EXPECT_EQ(split_catalog_path_list("a.json"), std::vector<fs::path>{"a.json"});
    EXPECT_EQ(split_catalog_path_list("/x/a.json:/y:rel/dir"), (std::vector<fs::path>{"/x/a.json", "/y", "rel/dir"}));
    EXPECT_EQ(split_catalog_path_list("::a::b:"), (std::vector<fs::path>{"a", "b"}));
}

} // namespace
} // namespace cxrcat
