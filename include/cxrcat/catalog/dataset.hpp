// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "cxrcat/base/digest.hpp"
#include "cxrcat/base/spelled_enum.hpp"
#include "cxrcat/catalog/label_table_spec.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cxrcat {

enum class Modality { cxr, ct, mri };
enum class Category { general, disease_specific };
enum class AccessClass { open, registration, credentialed, competition, gated, restricted };
enum class Redistribution { allowed, organisation_only, forbidden, unknown };
enum class Availability { available, partially_withdrawn, withdrawn, unknown };
enum class Provider { http, zenodo, physionet, kaggle, huggingface, idc, tcia, manual };
enum class SourceStatus { available, withdrawn, unknown };
enum class ErratumProblem { missing, truncated, corrupt, duplicate, mislabelled, not_an_image };

// How catalog files spell each enum (to_string, parse_enum and enum_names read these tables).
constexpr std::array<std::string_view, 3> spellings(Modality /*unused*/) {
    return {"cxr", "ct", "mri"};
}
constexpr std::array<std::string_view, 2> spellings(Category /*unused*/) {
    return {"general", "disease-specific"};
}
constexpr std::array<std::string_view, 6> spellings(AccessClass /*unused*/) {
    return {"open", "registration", "credentialed", "competition", "gated", "restricted"};
}
constexpr std::array<std::string_view, 4> spellings(Redistribution /*unused*/) {
    return {"allowed", "organisation-only", "forbidden", "unknown"};
}
constexpr std::array<std::string_view, 4> spellings(Availability /*unused*/) {
    return {"available", "partially-withdrawn", "withdrawn", "unknown"};
}
constexpr std::array<std::string_view, 8> spellings(Provider /*unused*/) {
    return {"http", "zenodo", "physionet", "kaggle", "huggingface", "idc", "tcia", "manual"};
}
constexpr std::array<std::string_view, 3> spellings(SourceStatus /*unused*/) {
    return {"available", "withdrawn", "unknown"};
}
constexpr std::array<std::string_view, 6> spellings(ErratumProblem /*unused*/) {
    return {"missing", "truncated", "corrupt", "duplicate", "mislabelled", "not-an-image"};
}

// One downloadable file of a source. `path` is relative to the dataset directory.
struct FileEntry {
    std::string path;
    std::optional<std::string> url;
    std::optional<std::uint64_t> size;
    std::map<DigestAlgorithm, std::string> digests; // lowercase hex, as published
    bool extract = false;
    // An archive's total extracted size where the publisher states it: extraction then allows that
    // much output (plus a margin) instead of the compression-bomb ratio.
    std::optional<std::uint64_t> extracted_size;
    std::string note;
};

// Files of one source that are the ordered byte-split parts of a single archive (7-Zip volumes
// "x.zip.001", "x.zip.002", ...): each part downloads, verifies and resumes on its own; once every
// part is verified the whole is extracted as one stream, never joined on disk.
struct SplitArchive {
    std::string archive;            // the whole archive's name, relative like a file path
    std::vector<std::string> parts; // paths of the source's files, in archive order
    std::string note;
};

// One route to the data: a provider plus its parameters (record, project, version, ...).
struct Source {
    Provider provider = Provider::http;
    std::string label;
    std::string note;
    SourceStatus status = SourceStatus::available;
    std::string status_reason;
    // Sources sharing this name serve the same data: fetch uses the first reachable one (catalog
    // order) and `fetch --source PROVIDER` picks one; "" = the source is always used.
    std::string alternative;
    // A short name (a lowercase slug) that `fetch --source NAME` picks this source by, where the
    // provider alone does not tell alternatives apart (two manual routes); "" = none.
    std::string name;
    std::map<std::string, std::string, std::less<>> params;
    std::vector<FileEntry> files;
    std::vector<SplitArchive> split_archives;

    // Returns params[key] or "" when absent.
    [[nodiscard]] std::string param(std::string_view key) const;
};

struct License {
    std::string name;
    std::optional<std::string> spdx;
    std::optional<std::string> url;
    std::optional<bool> commercial_use;
    std::string note;
};

struct Access {
    AccessClass access_class = AccessClass::open;
    std::string terms;
    std::string terms_url;
    std::vector<std::string> steps;
    std::string grantor;
    std::string note;
};

struct Paper {
    std::string title;
    std::string first_author;
    std::optional<int> year;
    std::string venue;
    std::string doi;
    std::string arxiv;
    std::string url;
};

// A declared overlap with another dataset (used to warn about train/test leakage).
struct LineageLink {
    std::string dataset;
    std::string relation; // derived-from, subset-of, superset-of, version-of, overlaps
    std::string note;
};

// A known problem in the publisher's own files: `verify --decode` reports a matching failure as known
// (the publisher's problem, not the download's).
struct Erratum {
    std::string path; // dataset-relative, or its trailing components ("CXR_png/Thumbs.db") matching in any directory
    ErratumProblem problem = ErratumProblem::corrupt;
    std::string source; // where it is documented (a repository file, an issue, a page)
    std::string note;
};

// What the publisher's images are declared to hold (`pixels` in the entry): `verify --decode` warns
// about an image that differs (NIH's RGBA PNGs among its 8-bit greys).
struct PixelDeclaration {
    unsigned bit_depth = 0; // bits per sample (DICOM: BitsStored)
    std::string colour;     // grey, RGB, RGBA, grey+alpha, indexed
    std::string source;     // where the declaration is documented
    std::string note;
};

// One catalogued dataset. `raw` keeps the entry exactly as written, for JSON output.
struct Dataset {
    std::string id;
    std::vector<std::string> aliases;
    std::string name;
    std::string publisher;
    std::optional<int> year;
    std::string version;
    std::string description;
    Modality modality = Modality::cxr;
    Category category = Category::general;
    std::vector<std::string> tasks;
    std::vector<std::string> labels;
    std::vector<std::pair<std::string, std::optional<std::uint64_t>>> counts; // in catalog order
    std::vector<std::string> formats;
    std::optional<std::uint64_t> size_bytes;
    std::string size_note;
    std::string homepage;
    std::optional<Paper> paper;
    std::string citation;
    std::vector<std::string> sources_of_facts;
    License license;
    Redistribution redistribution = Redistribution::unknown;
    std::string redistribution_note;
    Availability availability = Availability::available;
    std::string availability_reason;
    Access access;
    std::vector<LineageLink> lineage;
    std::vector<std::string> notes;
    std::vector<Source> sources;
    std::optional<LabelTableSpec> label_table; // how `cxrcat labels` reads its label files
    std::vector<Erratum> errata;
    std::optional<PixelDeclaration> pixels;

    std::string origin; // the file it was loaded from ("catalog/datasets/x.json" when built in)
    bool builtin = false;
    nlohmann::json raw;

    // Returns counts["images"] when known.
    [[nodiscard]] std::optional<std::uint64_t> count(std::string_view key) const;
};

// One plain-English sentence saying what an access class means for the user.
[[nodiscard]] std::string_view explain(AccessClass value);

// The erratum dataset lists for path: its full relative path, or trailing whole components of it
// ("Thumbs.db", "CXR_png/Thumbs.db"); nullptr when none.
[[nodiscard]] const Erratum* find_erratum(const Dataset& dataset, const std::string& path);

// True when an erratum's problem means the file is not a usable image (missing, truncated, corrupt,
// not an image): `labels` drops its row by default. A duplicate or mislabelled image still opens.
[[nodiscard]] bool erratum_unusable(const Erratum& erratum);

} // namespace cxrcat
