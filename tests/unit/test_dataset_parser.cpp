// SPDX-License-Identifier: Apache-2.0
#include "cxrcat/catalog/dataset_parser.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace cxrcat {
namespace {

using nlohmann::json;

json valid_entry() {
    return json::parse(R"({
      "id": "fx-full", "aliases": ["fx-f"], "name": "Full fixture", "publisher": "Lab", "year": 2021,
      "version": "1.0", "description": "Every field", "modality": "ct", "category": "disease-specific",
      "tasks": ["nodule detection"], "labels": ["nodule"], "formats": ["DICOM"],
      "counts": {"images": 10, "patients": null, "series": 4},
      "size_bytes": 123456789, "size_note": "compressed",
      "homepage": "https://example.org/home",
      "paper": {"title": "A paper", "first_author": "Doe J", "year": 2020, "venue": "Journal", "doi": "10.1/x"},
      "related_papers": [{"title": "Another paper"}],
      "citation": "@article{doe2020}", "sources_of_facts": ["the fixture itself"], "notes": ["a note"],
      "license": {"name": "Creative Commons Attribution 4.0", "spdx": "CC-BY-4.0",
                  "url": "https://creativecommons.org/licenses/by/4.0/", "commercial_use": true, "note": "n"},
      "redistribution": "allowed", "redistribution_note": "CC BY",
      "availability": {"status": "partially-withdrawn", "reason": "part was taken down"},
      "access": {"class": "credentialed", "terms": "Sign the DUA.", "terms_url": "https://example.org/dua",
                 "steps": ["register", "sign"], "grantor": "PhysioNet", "note": "slow"},
      "lineage": [{"dataset": "fx-other", "relation": "derived-from", "note": "subset"}],
      "sources": [
        {"provider": "physionet", "project": "fx-project", "version": "1.0.0", "label": "main",
         "files": [{"path": "a/b.zip", "size": 5, "md5": "900150983cd24fb0d6963f7d28e17f72", "note": "n"}]},
        {"provider": "zenodo", "record": "3723295", "status": "withdrawn", "status_reason": "gone"},
        {"provider": "kaggle", "competition": "fx-competition"},
        {"provider": "huggingface", "repo": "owner/name", "revision": "main"},
        {"provider": "tcia", "collection": "LIDC-IDRI"},
        {"provider": "manual", "url": "https://example.org/download"}
      ]
    })");
}

std::vector<std::string> problems_of(const json& entry, const std::string& pointer = "") {
    std::vector<CatalogProblem> problems;
    auto dataset = parse_dataset(entry, "f.json", pointer, problems);
    std::vector<std::string> lines;
    for (const auto& problem : problems) {
        lines.push_back(problem.to_string());
    }
    EXPECT_EQ(dataset.has_value(), problems.empty()) << "an entry with problems must be rejected";
    return lines;
}

TEST(DatasetParser, ParsesEveryField) {
    std::vector<CatalogProblem> problems;
    auto parsed = parse_dataset(valid_entry(), "f.json", "/datasets/2", problems);
    ASSERT_TRUE(problems.empty()) << problems.front().to_string();
    ASSERT_TRUE(parsed.has_value());
    const Dataset& d = *parsed;
    EXPECT_EQ(d.id, "fx-full");
    EXPECT_EQ(d.aliases, std::vector<std::string>{"fx-f"});
    EXPECT_EQ(d.publisher, "Lab");
    EXPECT_EQ(d.year, std::optional<int>(2021));
    EXPECT_EQ(d.version, "1.0");
    EXPECT_EQ(d.modality, Modality::ct);
    EXPECT_EQ(d.category, Category::disease_specific);
    EXPECT_EQ(d.tasks, std::vector<std::string>{"nodule detection"});
    EXPECT_EQ(d.labels, std::vector<std::string>{"nodule"});
    EXPECT_EQ(d.formats, std::vector<std::string>{"DICOM"});
    EXPECT_EQ(d.count("images"), std::optional<std::uint64_t>(10));
    EXPECT_EQ(d.count("series"), std::optional<std::uint64_t>(4));
    EXPECT_EQ(d.counts.size(), 3U);
    EXPECT_EQ(d.size_bytes, std::optional<std::uint64_t>(123456789));
    EXPECT_EQ(d.size_note, "compressed");
    EXPECT_EQ(d.homepage, "https://example.org/home");
    ASSERT_TRUE(d.paper.has_value());
    EXPECT_EQ(d.paper->first_author, "Doe J");
    EXPECT_EQ(d.paper->year, std::optional<int>(2020));
    EXPECT_EQ(d.paper->doi, "10.1/x");
    EXPECT_EQ(d.citation, "@article{doe2020}");
    EXPECT_EQ(d.sources_of_facts, std::vector<std::string>{"the fixture itself"});
    EXPECT_EQ(d.notes, std::vector<std::string>{"a note"});
    EXPECT_EQ(d.license.spdx, std::optional<std::string>("CC-BY-4.0"));
    EXPECT_EQ(d.license.commercial_use, std::optional<bool>(true));
    EXPECT_EQ(d.redistribution, Redistribution::allowed);
    EXPECT_EQ(d.availability, Availability::partially_withdrawn);
    EXPECT_EQ(d.availability_reason, "part was taken down");
    EXPECT_EQ(d.access.access_class, AccessClass::credentialed);
    EXPECT_EQ(d.access.steps, (std::vector<std::string>{"register", "sign"}));
    EXPECT_EQ(d.access.grantor, "PhysioNet");
    ASSERT_EQ(d.lineage.size(), 1U);
    EXPECT_EQ(d.lineage[0].relation, "derived-from");
    ASSERT_EQ(d.sources.size(), 6U);
    EXPECT_EQ(d.sources[0].provider, Provider::physionet);
    EXPECT_EQ(d.sources[0].param("project"), "fx-project");
    EXPECT_EQ(d.sources[0].param("version"), "1.0.0");
    EXPECT_EQ(d.sources[0].label, "main");
    ASSERT_EQ(d.sources[0].files.size(), 1U);
    EXPECT_FALSE(d.sources[0].files[0].url.has_value());
    EXPECT_EQ(d.sources[0].files[0].digests.at(DigestAlgorithm::md5), "900150983cd24fb0d6963f7d28e17f72");
    EXPECT_FALSE(d.sources[0].files[0].extract);
    EXPECT_EQ(d.sources[1].status, SourceStatus::withdrawn);
    EXPECT_EQ(d.sources[1].status_reason, "gone");
    EXPECT_EQ(d.sources[1].param("record"), "3723295");
    EXPECT_EQ(d.sources[2].param("competition"), "fx-competition");
    EXPECT_EQ(d.sources[3].param("revision"), "main");
    EXPECT_EQ(d.sources[4].param("collection"), "LIDC-IDRI");
    EXPECT_EQ(d.sources[5].param("url"), "https://example.org/download");
    EXPECT_EQ(d.raw, valid_entry());
    EXPECT_EQ(d.origin, "f.json");
}

TEST(DatasetParser, AvailabilityMayBeAPlainString) {
    json entry = valid_entry();
    entry["availability"] = "withdrawn";
    std::vector<CatalogProblem> problems;
    auto parsed = parse_dataset(entry, "f.json", "", problems);
    ASSERT_TRUE(parsed.has_value());
    EXPECT_EQ(parsed->availability, Availability::withdrawn);
    EXPECT_EQ(parsed->availability_reason, "");
}

TEST(DatasetParser, PointersArePrefixed) {
    json entry = valid_entry();
    entry.erase("name");
    EXPECT_EQ(problems_of(entry, "/datasets/7"),
              std::vector<std::string>{"f.json: /datasets/7/name: required field is missing"});
}

TEST(DatasetParser, PixelsDeclareBitDepthAndColourWithASource) {
    json entry = valid_entry();
    entry["pixels"] = {{"bit_depth", 16}, {"colour", "grey"}, {"source", "a docstring"}};
    std::vector<CatalogProblem> problems;
    auto parsed = parse_dataset(entry, "f.json", "", problems);
    ASSERT_TRUE(parsed && parsed->pixels) << (problems.empty() ? "" : problems.front().to_string());
    EXPECT_EQ(parsed->pixels->bit_depth, 16U);
    EXPECT_EQ(parsed->pixels->colour, "grey");
    EXPECT_EQ(parsed->pixels->source, "a docstring");

    entry["pixels"] = {{"bit_depth", 0}, {"colour", "gray"}};
    auto lines = problems_of(entry);
    ASSERT_EQ(lines.size(), 3U) << ::testing::PrintToString(lines);
    EXPECT_EQ(lines[0], "f.json: /pixels/bit_depth: expected the bits per sample, 1 to 32");
    EXPECT_NE(lines[1].find("/pixels/colour"), std::string::npos) << lines[1];
    EXPECT_NE(lines[1].find("grey"), std::string::npos) << "the valid colours are named: " << lines[1];
    EXPECT_EQ(lines[2], "f.json: /pixels/source: required field is missing");
}

TEST(DatasetParser, ReportsEveryProblemOfOneEntry) {
    json entry = valid_entry();
    entry["id"] = "Bad Id";
    entry["name"] = nullptr;
    entry["year"] = 2021.5;
    entry["category"] = "General";
    entry["aliases"] = {"ok", 3};
    entry["counts"]["images"] = -1;
    entry["license"].erase("name");
    entry["access"]["terms"] = "";
    entry["lineage"][0]["relation"] = "copy-of";
    EXPECT_EQ(problems_of(entry),
              (std::vector<std::string>{
                  "f.json: /id: must be a lowercase slug ([a-z0-9][a-z0-9._-]*), got \"Bad Id\"",
                  "f.json: /aliases/1: expected a string, got an integer",
                  "f.json: /name: required field must not be null",
                  "f.json: /year: expected an integer, got a number with a fraction",
                  "f.json: /category: unknown value \"General\"; expected one of: general, disease-specific",
                  "f.json: /counts/images: must not be negative, got -1",
                  "f.json: /license/name: required field is missing",
                  "f.json: /access/terms: must not be empty",
                  "f.json: /lineage/0/relation: unknown value \"copy-of\"; expected one of: derived-from, "
                  "subset-of, superset-of, version-of, overlaps",
              }));
}

TEST(DatasetParser, ChecksProviderParameters) {
    json entry = valid_entry();
    entry["sources"] = json::parse(R"([
        {"provider": "zenodo", "record": "abc"},
        {"provider": "physionet", "project": "Fx Project"},
        {"provider": "kaggle", "competition": "a", "dataset": "o/n"},
        {"provider": "kaggle"},
        {"provider": "huggingface", "repo": "no-slash"},
        {"provider": "tcia"},
        {"provider": "manual", "url": "file:///tmp/x"},
        {"provider": "http"},
        {"provider": "s3"},
        {"provider": "tcia", "collection": "NLST", "host": "services"}
    ])");
    EXPECT_EQ(problems_of(entry),
              (std::vector<std::string>{
                  "f.json: /sources/0/record: must be a numeric Zenodo record id, got \"abc\"",
                  "f.json: /sources/1/project: must be a lowercase slug, got \"Fx Project\"",
                  "f.json: /sources/1/version: required for provider \"physionet\"",
                  "f.json: /sources/2/competition: provider \"kaggle\" needs exactly one of \"competition\" or "
                  "\"dataset\"",
                  "f.json: /sources/3/competition: provider \"kaggle\" needs exactly one of \"competition\" or "
                  "\"dataset\"",
                  "f.json: /sources/4/repo: must have the form owner/name, got \"no-slash\"",
                  "f.json: /sources/5/collection: required for provider \"tcia\"",
                  "f.json: /sources/6/url: must be an http:// or https:// URL, got \"file:///tmp/x\"",
                  "f.json: /sources/7/files: required field is missing",
                  "f.json: /sources/8/provider: unknown value \"s3\"; expected one of: http, zenodo, physionet, "
                  "kaggle, huggingface, idc, tcia, manual",
                  "f.json: /sources/9/host: must be \"nlst\" (NLST's own NBIA host), got \"services\"",
              }));
}

TEST(DatasetParser, ChecksFileEntries) {
    json entry = valid_entry();
    entry["sources"] = json::parse(R"([{"provider": "http", "files": [
        {"path": "ok.zip", "url": "HTTPS://EXAMPLE.ORG/ok.zip", "sha1": "a9993e364706816aba3e25717850c26c9cd0d89d",
         "sha512": "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"},
        {"path": "no-url.zip"},
        {"url": "https://example.org/x"},
        {"path": "a/..", "url": "https://example.org/x"},
        {"path": "a/..b/c..", "url": "https://example.org/x"},
        {"path": "x", "url": "https://", "size": 1.5, "extract": "yes", "sha256": 5},
        "not an object"
    ]}])");
    EXPECT_EQ(problems_of(entry),
              (std::vector<std::string>{
                  "f.json: /sources/0/files/1/url: required field is missing",
                  "f.json: /sources/0/files/2/path: required field is missing",
                  "f.json: /sources/0/files/3/path: must not contain \"..\", got \"a/..\"",
                  "f.json: /sources/0/files/5/url: must be an http:// or https:// URL, got \"https://\"",
                  "f.json: /sources/0/files/5/size: expected a non-negative integer, got a number with a fraction",
                  "f.json: /sources/0/files/5/sha256: expected a string, got an integer",
                  "f.json: /sources/0/files/5/extract: expected a boolean, got a string",
                  "f.json: /sources/0/files/6: expected an object, got a string",
              }));
}

TEST(DatasetParser, AcceptsOnlyHttpUrlsWithAHost) {
    auto url_problems = [](const std::string& url) {
        json entry = valid_entry();
        entry["homepage"] = url;
        return problems_of(entry);
    };
    for (const char* good : {"http://a", "https://example.org", "HTTP://EXAMPLE.ORG/x", "https://h:8080/p?q=1#f",
                             "https://host?x", "http://127.0.0.1/a%20b"}) {
        EXPECT_EQ(url_problems(good), std::vector<std::string>{}) << good;
    }
    for (const char* bad :
         {"", "https://", "https:///path", "https://?q", "https://exa mple.org", "https://a/b c", "ftp://example.org",
          "file:///etc/passwd", "example.org", "https:/example.org", " https://example.org", "https://example.org\n"}) {
        std::vector<std::string> problems = url_problems(bad);
        if (std::string(bad).empty()) {
            EXPECT_EQ(problems, std::vector<std::string>{}) << "an empty optional URL counts as absent";
            continue;
        }
        EXPECT_EQ(problems, std::vector<std::string>{"f.json: /homepage: must be an http:// or https:// URL, got \"" +
                                                     std::string(bad) + "\""})
            << bad;
    }
}

TEST(DatasetParser, RepositoriesAreOwnerSlashName) {
    for (const char* good : {"owner/name", "ibrahimhamamci/CT-RATE", "a.b_c-d/E.F_g-9"}) {
        json entry = valid_entry();
        entry["sources"] = json::array({{{"provider", "huggingface"}, {"repo", good}}});
        EXPECT_EQ(problems_of(entry), std::vector<std::string>{}) << good;
    }
    for (const char* bad : {"no-slash", "a/b/c", "/name", "owner/", "own er/name", "owner/na:me", "/"}) {
        json entry = valid_entry();
        entry["sources"] = json::array({{{"provider", "kaggle"}, {"dataset", bad}}});
        EXPECT_EQ(problems_of(entry), std::vector<std::string>{"f.json: /sources/0/dataset: must have the form "
                                                               "owner/name, got \"" +
                                                               std::string(bad) + "\""})
            << bad;
    }
}

TEST(DatasetParser, RejectsNonObjects) {
    EXPECT_EQ(problems_of(json::array(), "/datasets/0"),
              std::vector<std::string>{"f.json: /datasets/0: expected a dataset object, got an array"});
    EXPECT_EQ(problems_of(json(nullptr)), std::vector<std::string>{"f.json: /: expected a dataset object, got null"});
}

TEST(DatasetParser, EscapesPointerTokens) {
    json entry = valid_entry();
    entry["counts"]["a/b~c"] = "many";
    EXPECT_EQ(problems_of(entry),
              std::vector<std::string>{"f.json: /counts/a~1b~0c: expected a non-negative integer, got a string"});
}

} // namespace
} // namespace cxrcat
