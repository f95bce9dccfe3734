// SPDX-License-Identifier: Apache-2.0
#include "providers/s5cmd_manifest.hpp"

#include "providers/parsers.hpp"

#include <map>
#include <optional>
#include <utility>

namespace cxrcat::providers {

namespace {

// Splits one manifest line into words; quotes group words and are removed. nullopt when a quote
// is not closed.
std::optional<std::vector<std::string>> split_words(std::string_view line) {
    std::vector<std::string> words;
    std::string word;
    bool in_word = false;
    char quote = '\0';
    for (char c : line) {
        if (quote != '\0') {
            if (c == quote) {
                quote = '\0';
            } else {
                word.push_back(c);
            }
        } else if (c == '"' || c == '\'') {
            quote = c;
            in_word = true;
        } else if (c == ' ' || c == '\t') {
            if (in_word) {
                words.push_back(std::exchange(word, {}));
                in_word = false;
            }
        } else {
            word.push_back(c);
            in_word = true;
        }
    }
    if (quote != '\0') {
        return std::nullopt;
    }
    if (in_word) {
        words.push_back(std::move(word));
    }
    return words;
}

// S3 bucket names: 3-63 lowercase letters, digits, dots and hyphens.
bool is_bucket_name(std::string_view name) {
    if (name.size() < 3 || name.size() > 63) {
        return false;
    }
    for (char c : name) {
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-')) {
            return false;
        }
    }
    return true;
}

// A series prefix: one path segment of letters, digits, '.', '_' and '-' (a crdc_series_uuid).
bool is_series_name(std::string_view name) {
    if (name.empty() || name == "." || name == "..") {
        return false;
    }
    for (char c : name) {
        bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                     c == '_' || c == '-';
        if (!plain) {
            return false;
        }
    }
    return true;
}

constexpr std::string_view k_manifest_line_form = "expected `cp s3://BUCKET/SERIES_UUID/* DESTINATION` (or `sync ...`)";

} // namespace

Result<S5cmdManifest> parse_s5cmd_manifest(std::string_view text) {
    S5cmdManifest manifest;
    std::map<std::pair<std::string, std::string>, std::size_t> at; // (bucket, series) -> index
    std::size_t number = 0;
    while (!text.empty()) {
        std::size_t newline = text.find('\n');
        std::string_view line = text.substr(0, newline);
        text = newline == std::string_view::npos ? std::string_view{} : text.substr(newline + 1);
        ++number;
        if (!line.empty() && line.back() == '\r') {
            line.remove_suffix(1);
        }
        std::size_t start = line.find_first_not_of(" \t");
        if (start == std::string_view::npos || line[start] == '#') {
            continue;
        }
        auto words = split_words(line);
        std::string_view command = line.substr(start, line.find_first_of(" \t", start) - start);
        if (!words && (command == "cp" || command == "sync")) {
            return Error(ErrorCode::usage, line_error(number, "a quote is not closed in " + quoted_line(line)));
        }
        if (!words || ((*words)[0] != "cp" && (*words)[0] != "sync")) {
            // A CSV header (`bq query --format=csv`), a title line or another tool's command: the
            // portal, idc-index and BigQuery exports differ in what surrounds the s5cmd lines.
            ++manifest.skipped_lines;
            continue;
        }
        if (words->size() < 2 || words->size() > 3) {
            return Error(ErrorCode::usage,
                         line_error(number, std::string(k_manifest_line_form) + ", got " + quoted_line(line)));
        }
        std::string_view source = (*words)[1];
        constexpr std::string_view k_scheme = "s3://";
        constexpr std::string_view k_every_object = "/*";
        std::string_view inner = source.rfind(k_scheme, 0) == 0 ? source.substr(k_scheme.size()) : std::string_view{};
        std::size_t slash = inner.find('/');
        std::string_view bucket = inner.substr(0, slash);
        std::string_view rest = slash == std::string_view::npos ? std::string_view{} : inner.substr(slash + 1);
        std::string_view name;
        std::string_view instance;
        if (rest.ends_with(k_every_object)) {
            name = rest.substr(0, rest.size() - k_every_object.size());
        } else if (std::size_t cut = rest.find('/'); cut != std::string_view::npos) {
            // `.../<series uuid>/<instance>.dcm`: one file, as IDC's documentation wrote them in 2022-2024.
            name = rest.substr(0, cut);
            instance = rest.substr(cut + 1);
        }
        bool single_ok = instance.empty() || (is_series_name(instance) && instance.find('*') == std::string_view::npos);
        if (!is_bucket_name(bucket) || !is_series_name(name) || !single_ok) {
            return Error(ErrorCode::usage, line_error(number, "expected a series `s3://BUCKET/SERIES_UUID/*` or a file "
                                                              "`s3://BUCKET/SERIES_UUID/INSTANCE.dcm`, got " +
                                                                  quoted_line(source)));
        }
        auto [it, added] = at.emplace(std::make_pair(std::string(bucket), std::string(name)), manifest.series.size());
        if (added) {
            manifest.series.push_back({std::string(bucket), std::string(name), number, {}, instance.empty()});
        }
        ManifestSeries& series = manifest.series[it->second];
        if (instance.empty()) {
            series.whole = true;
            series.instances.clear();
        } else if (!series.whole) {
            series.instances.emplace_back(instance);
        }
    }
    return manifest;
}

} // namespace cxrcat::providers
