// SPDX-License-Identifier: Apache-2.0
// The built-in catalog: it loads without a problem, matches catalog/ on disk, and every dataset
// carries its provenance and no placeholder value.
#include "cxrcat/base/text.hpp"
#include "cxrcat/catalog/catalog_loader.hpp"
#include "cxrcat/catalog/embedded_catalog.hpp"
#include "support/files.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

namespace cxrcat {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const LoadedCatalog& builtin() {
    static const LoadedCatalog loaded = load_catalog(CatalogSources{true, {}});
    return loaded;
}

// Calls visit(pointer, value) for every string in document.
template <typename Visit> void for_each_string(const json& document, const std::string& pointer, Visit&& visit) {
    if (document.is_string()) {
        visit(pointer, document.get<std::string>());
    } else if (document.is_object()) {
        for (const auto& [key, value] : document.items()) {
            for_each_string(value, pointer + "/" + key, visit);
        }
    } else if (document.is_array()) {
        for (std::size_t i = 0; i < document.size(); ++i) {
            for_each_string(document[i], pointer + "/" + std::to_string(i), visit);
        }
    }
}

// The first placeholder word in text ("TODO", "TBD", "FIXME", "xxx", ...), or "" when there is none.
// Whole words only, ignoring case: "xxx" inside a longer word is fine, standing alone it is not.
std::string placeholder_in(const std::string& text) {
    const std::vector<std::string> words{"todo", "tbd", "fixme", "xxx", "xxxx", "lorem", "placeholder", "changeme"};
    std::string lowered = to_lower(text);
    auto is_word_char = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
    std::size_t start = 0;
    while (start < lowered.size()) {
        while (start < lowered.size() && !is_word_char(lowered[start])) {
            ++start;
        }
        std::size_t end = start;
        while (end < lowered.size() && is_word_char(lowered[end])) {
            ++end;
        }
        std::string word = lowered.substr(start, end - start);
        if (std::find(words.begin(), words.end(), word) != words.end()) {
            return word;
        }
        start = end;
    }
    return "";
}

TEST(EmbeddedCatalog, PlaceholderDetectorFindsWholeWords) {
    EXPECT_EQ(placeholder_in("size: TODO"), "todo");
    EXPECT_EQ(placeholder_in("(tbd)"), "tbd");
    EXPECT_EQ(placeholder_in("https://host/XXX/file.zip"), "xxx");
    EXPECT_EQ(placeholder_in("Fixme later"), "fixme");
    EXPECT_EQ(placeholder_in("Todos los pacientes"), ""); // Spanish, not a placeholder
    EXPECT_EQ(placeholder_in("JPCLN001.IMG xxxl"), "");
    EXPECT_EQ(placeholder_in(""), "");
}

TEST(EmbeddedCatalog, LoadsWithoutProblems) {
    const LoadedCatalog& loaded = builtin();
    std::string problems;
    for (const auto& problem : loaded.problems) {
        problems += problem.to_string() + "\n";
    }
    EXPECT_TRUE(loaded.ok()) << problems;
    EXPECT_TRUE(loaded.notices.empty());
    EXPECT_EQ(loaded.catalog.size(), 21U);
    EXPECT_EQ(loaded.files_read, 21U);
    for (const auto& dataset : loaded.catalog.datasets()) {
        EXPECT_TRUE(dataset.builtin) << dataset.id;
        EXPECT_EQ(dataset.origin, "catalog/datasets/" + dataset.id + ".json");
    }
}

TEST(EmbeddedCatalog, CoversEveryDatasetOfTheFactSheet) {
    const std::set<std::string> expected{"chexpert",       "ct-rate",     "jsrt",         "lidc-idri",
                                         "luna16",         "luna25",      "m3d",          "mimic-cxr",
                                         "mimic-cxr-jpg",  "montgomery",  "nih-cxr14",    "nlst",
                                         "osic-pff",       "padchest",    "pff-registry", "ranzcr-clip",
                                         "rsna-pneumonia", "rsna-str-pe", "shenzhen",     "siim-acr-pneumothorax",
                                         "vindr-cxr"};
    std::set<std::string> ids;
    for (const auto& dataset : builtin().catalog.datasets()) {
        ids.insert(dataset.id);
    }
    EXPECT_EQ(ids, expected);
}

TEST(EmbeddedCatalog, MatchesTheFilesOnDisk) {
    const fs::path dir = fs::path(CXRCAT_SOURCE_DIR) / "catalog" / "datasets";
    std::set<std::string> on_disk;
    for (const auto& item : fs::directory_iterator(dir)) {
        if (item.path().extension() == ".json") {
            on_disk.insert("catalog/datasets/" + item.path().filename().string());
        }
    }
    std::set<std::string> embedded;
    for (const auto& file : embedded_catalog_files()) {
        embedded.insert(std::string(file.name));
        EXPECT_EQ(test::read_text_file(fs::path(CXRCAT_SOURCE_DIR) / file.name), file.content)
            << file.name << " is stale in the binary";
    }
    EXPECT_EQ(embedded, on_disk);
    std::string version = test::read_text_file(fs::path(CXRCAT_SOURCE_DIR) / "catalog" / "VERSION");
    while (!version.empty() && (version.back() == '\n' || version.back() == ' ')) {
        version.pop_back();
    }
    EXPECT_EQ(embedded_catalog_version(), version);
}

TEST(EmbeddedCatalog, EveryDatasetHasFactSourcesAndACitation) {
    for (const auto& dataset : builtin().catalog.datasets()) {
        EXPECT_GE(dataset.sources_of_facts.size(), 1U) << dataset.id;
        for (const auto& source : dataset.sources_of_facts) {
            EXPECT_GE(source.size(), 10U) << dataset.id << ": " << source;
        }
        EXPECT_FALSE(dataset.citation.empty()) << dataset.id;
        EXPECT_EQ(dataset.citation.rfind('@', 0), 0U) << dataset.id << ": citation is not BibTeX";
        EXPECT_FALSE(dataset.name.empty()) << dataset.id;
        EXPECT_FALSE(dataset.access.terms.empty()) << dataset.id;
        EXPECT_FALSE(dataset.access.terms_url.empty()) << dataset.id;
        EXPECT_FALSE(dataset.homepage.empty()) << dataset.id;
        // Only a members-only dataset may lack a download route.
        EXPECT_TRUE(!dataset.sources.empty() || dataset.access.access_class == AccessClass::restricted) << dataset.id;
    }
}

TEST(EmbeddedCatalog, NoValueReadsLikeAPlaceholder) {
    const std::set<std::string> digest_keys{"md5", "sha1", "sha256", "sha512"};
    for (const auto& dataset : builtin().catalog.datasets()) {
        for_each_string(dataset.raw, "", [&](const std::string& pointer, const std::string& value) {
            EXPECT_EQ(placeholder_in(value), "") << dataset.id << ": " << pointer << ": " << value;
            EXPECT_EQ(to_lower(value).find("hex>"), std::string::npos) << dataset.id << ": " << pointer;
            EXPECT_EQ(value.find("example.org"), std::string::npos) << dataset.id << ": " << pointer;
            EXPECT_EQ(value.find("example.com"), std::string::npos) << dataset.id << ": " << pointer;
            std::string key = pointer.substr(pointer.rfind('/') + 1);
            if (digest_keys.count(key) != 0) {
                EXPECT_NE(value.find_first_not_of('0'), std::string::npos)
                    << dataset.id << ": " << pointer << " is an all-zero digest";
                // All one repeated character is as fake as all zeros.
                EXPECT_NE(value.find_first_not_of(value.front()), std::string::npos) << dataset.id << ": " << pointer;
            }
        });
    }
}

TEST(EmbeddedCatalog, DigestsAreWellFormedAndUnique) {
    std::set<std::string> seen;
    for (const auto& dataset : builtin().catalog.datasets()) {
        for (const auto& source : dataset.sources) {
            for (const auto& file : source.files) {
                for (const auto& [algorithm, hex] : file.digests) {
                    EXPECT_TRUE(is_valid_hex_digest(algorithm, hex)) << dataset.id << ": " << file.path;
                    EXPECT_TRUE(seen.insert(hex).second)
                        << dataset.id << ": " << file.path << ": digest " << hex << " appears twice in the catalog";
                }
            }
        }
    }
}

TEST(EmbeddedCatalog, LineageLinksOverlappingDatasets) {
    // The overlaps the foundation issue names, so that `show` can warn about train/test leakage.
    auto links_to = [](const std::string& from, const std::string& to) {
        const Dataset* dataset = builtin().catalog.find(from);
        if (dataset == nullptr) {
            return false;
        }
        return std::any_of(dataset->lineage.begin(), dataset->lineage.end(), [&](const LineageLink& link) {
            const Dataset* target = builtin().catalog.find(link.dataset);
            return target != nullptr && target->id == to;
        });
    };
    EXPECT_TRUE(links_to("rsna-pneumonia", "nih-cxr14") || links_to("nih-cxr14", "rsna-pneumonia"));
    EXPECT_TRUE(links_to("luna16", "lidc-idri") || links_to("lidc-idri", "luna16"));
    EXPECT_NE(builtin().catalog.find("chestx-ray8"), nullptr);
}

TEST(EmbeddedCatalog, NoChestMriIsCatalogued) {
    for (const auto& dataset : builtin().catalog.datasets()) {
        EXPECT_NE(dataset.modality, Modality::mri) << dataset.id;
    }
}

} // namespace
} // namespace cxrcat
