// SPDX-License-Identifier: Apache-2.0
#include "providers/parsers.hpp"

#include "base/remote_text.hpp"
#include "cxrcat/base/digest.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <map>
#include <set>
#include <utility>

namespace cxrcat::providers {

namespace {

constexpr std::string_view k_md5_prefix = "md5:";
constexpr std::size_t k_sha256_hex = 64;
constexpr std::size_t k_md5_bytes = 16;
constexpr std::size_t k_quoted_line_limit = 120;

bool is_hex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

char lower(char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

// Lowercase hex of exactly `length` hex digits, or "".
std::string normalised_hex(std::string_view text, std::size_t length) {
    if (text.size() != length) {
        return {};
    }
    std::string out;
    for (char c : text) {
        if (!is_hex(c)) {
            return {};
        }
        out.push_back(lower(c));
    }
    return out;
}

std::optional<std::uint64_t> parse_decimal(std::string_view text) {
    std::uint64_t value = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || error != std::errc() || end != text.data() + text.size()) {
        return std::nullopt;
    }
    return value;
}

std::string json_text(const nlohmann::json& object, const char* key) {
    auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

// A line of a server's file quoted in an error: cut, and with control bytes blanked (it reaches
// the terminal).
std::string quoted_line(std::string_view line) {
    return "'" + printable_excerpt(line, k_quoted_line_limit) + "'";
}

std::string line_error(std::size_t number, const std::string& what) {
    return "line " + std::to_string(number) + ": " + what;
}

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

std::optional<std::uint64_t> json_size(const nlohmann::json& value) {
    if (value.is_number_unsigned()) {
        return value.get<std::uint64_t>();
    }
    if (value.is_number_integer() && value.get<std::int64_t>() >= 0) {
        return static_cast<std::uint64_t>(value.get<std::int64_t>());
    }
    if (value.is_string()) {
        return parse_decimal(value.get<std::string>());
    }
    return std::nullopt;
}

// The download link of one file entry. The compatibility shape's `links.self` answered 404 (pooch
// PR #373, renku-python#3644), so a `links.self` counts only when it ends in `/content` (today's
// shape) or when the entry names its `bucket` (the pre-2023 `/api/files/<bucket>/<key>` link).
namespace {
std::string zenodo_file_link(const nlohmann::json& entry) {
    auto links = entry.find("links");
    if (links == entry.end() || !links->is_object()) {
        return {};
    }
    std::string self = json_text(*links, "self");
    if (self.ends_with("/content")) {
        return self;
    }
    if (std::string download = json_text(*links, "download"); !download.empty()) {
        return download;
    }
    return entry.contains("bucket") ? self : std::string{};
}
} // namespace

Result<ZenodoRecord> parse_zenodo_record(std::string_view body) {
    auto document = nlohmann::json::parse(body, nullptr, false);
    if (document.is_discarded() || !document.is_object()) {
        return Error(ErrorCode::network, "the answer is not a JSON record");
    }
    ZenodoRecord record;
    if (auto metadata = document.find("metadata"); metadata != document.end() && metadata->is_object()) {
        record.access_right = json_text(*metadata, "access_right");
    }
    if (auto id = document.find("id"); id != document.end() && (id->is_number_unsigned() || id->is_string())) {
        record.id = id->is_string() ? id->get<std::string>() : std::to_string(id->get<std::uint64_t>());
    } else {
        record.id = json_text(document, "recid");
    }
    auto files = document.find("files");
    if (files == document.end() || files->is_null()) {
        return record; // a metadata-only record lists no files
    }
    if (!files->is_array()) {
        return Error(ErrorCode::network, "the record's `files` is not a list");
    }
    record.files_listed = true;
    for (std::size_t i = 0; i < files->size(); ++i) {
        const auto& entry = (*files)[i];
        if (!entry.is_object()) {
            return Error(ErrorCode::network, "file entry " + std::to_string(i) + " is not an object");
        }
        ZenodoFile file;
        // Current shape first; `filename`/`filesize` are what the API said for a few weeks after
        // the October 2023 migration to InvenioRDM.
        file.key = json_text(entry, "key");
        if (file.key.empty()) {
            file.key = json_text(entry, "filename");
        }
        if (file.key.empty()) {
            return Error(ErrorCode::network, "file entry " + std::to_string(i) + " has no `key` or `filename`");
        }
        if (auto size = entry.find("size"); size != entry.end()) {
            file.size = json_size(*size);
        } else if (auto legacy = entry.find("filesize"); legacy != entry.end()) {
            file.size = json_size(*legacy);
        }
        std::string checksum = json_text(entry, "checksum");
        if (checksum.rfind(k_md5_prefix, 0) == 0) {
            checksum.erase(0, k_md5_prefix.size());
        }
        // Another algorithm's prefix ("sha256:...") fails the length check and is ignored.
        file.md5 = normalised_hex(checksum, 2 * k_md5_bytes);
        file.link = zenodo_file_link(entry);
        record.files.push_back(std::move(file));
    }
    return record;
}

Sha256SumsReader::Sha256SumsReader(std::function<bool(std::string_view)> keep) : m_keep(std::move(keep)) {}

void Sha256SumsReader::reset() {
    m_partial.clear();
    m_head.clear();
    m_entries.clear();
    m_error.reset();
    m_lines = 0;
}

bool Sha256SumsReader::feed(std::string_view chunk) {
    if (m_error) {
        return false;
    }
    if (m_head.size() < k_head_bytes) {
        m_head.append(chunk.substr(0, k_head_bytes - m_head.size()));
    }
    while (!chunk.empty()) {
        std::size_t newline = chunk.find('\n');
        if (newline == std::string_view::npos) {
            m_partial.append(chunk);
            if (m_partial.size() > k_max_line) {
                m_error = Error(ErrorCode::integrity, line_error(m_lines + 1, "a line longer than 64 KiB"));
                return false;
            }
            return true;
        }
        if (m_partial.empty()) {
            read_line(chunk.substr(0, newline));
        } else {
            m_partial.append(chunk.substr(0, newline));
            read_line(m_partial);
            m_partial.clear();
        }
        if (m_error) {
            return false;
        }
        chunk.remove_prefix(newline + 1);
    }
    return true;
}

Result<std::vector<ChecksumEntry>> Sha256SumsReader::finish() {
    if (!m_error && !m_partial.empty()) {
        std::string last = std::exchange(m_partial, {});
        read_line(last);
    }
    if (m_error) {
        return *m_error;
    }
    return std::exchange(m_entries, {});
}

void Sha256SumsReader::read_line(std::string_view line) {
    std::size_t number = ++m_lines;
    if (!line.empty() && line.back() == '\r') {
        line.remove_suffix(1);
    }
    if (line.find_first_not_of(" \t") == std::string_view::npos) {
        return;
    }
    // Checked in place: a line the reader does not keep costs no allocation.
    std::string_view digest = line.substr(0, std::min(line.size(), k_sha256_hex));
    bool hex = digest.size() == k_sha256_hex && std::all_of(digest.begin(), digest.end(), is_hex);
    std::string_view rest = line.size() > k_sha256_hex ? line.substr(k_sha256_hex) : std::string_view{};
    std::size_t spaces = rest.find_first_not_of(' ');
    if (!hex || spaces == 0 || spaces == std::string_view::npos) {
        m_error = Error(ErrorCode::integrity,
                        line_error(number, "expected `<64 hex digits> <path>`, got " + quoted_line(line)));
        return;
    }
    rest.remove_prefix(spaces);
    if (!rest.empty() && rest.front() == '*') {
        rest.remove_prefix(1);
    }
    if (!is_safe_relative_path(rest)) {
        m_error = Error(
            ErrorCode::integrity,
            line_error(number, "refusing the path " + quoted_line(rest) +
                                   ": it must stay inside the project (relative, no `..`, no control characters)"));
        return;
    }
    if (!m_keep || m_keep(rest)) {
        m_entries.push_back({normalised_hex(digest, k_sha256_hex), std::string(rest)});
    }
}

Result<std::vector<ChecksumEntry>> parse_sha256sums(std::string_view text) {
    Sha256SumsReader reader;
    (void)reader.feed(text);
    return reader.finish();
}

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

std::string gcs_bucket_for(std::string_view bucket) {
    // idc-index's _replace_aws_with_gcp_buckets: only these two differ between AWS and GCS.
    if (bucket == "idc-open-data-two") {
        return "idc-open-idc1";
    }
    if (bucket == "idc-open-data-cr") {
        return "idc-open-cr";
    }
    return std::string(bucket);
}

Result<BucketPage> parse_gcs_listing(std::string_view body) {
    auto document = nlohmann::json::parse(body, nullptr, false);
    if (document.is_discarded() || !document.is_object()) {
        return Error(ErrorCode::network, "the bucket listing is not a JSON object");
    }
    BucketPage page;
    page.next_page_token = json_text(document, "nextPageToken");
    auto items = document.find("items");
    if (items == document.end() || items->is_null()) {
        return page; // no `items` at all when nothing matches the prefix
    }
    if (!items->is_array()) {
        return Error(ErrorCode::network, "the listing's `items` is not a list");
    }
    for (const auto& item : *items) {
        if (!item.is_object() || json_text(item, "name").empty()) {
            return Error(ErrorCode::network, "the listing has an item without a name");
        }
        BucketObject object;
        object.name = json_text(item, "name");
        if (auto size = item.find("size"); size != item.end()) {
            object.size = json_size(*size);
        }
        if (auto md5 = base64_md5_to_hex(json_text(item, "md5Hash"))) {
            object.md5 = *md5;
        }
        page.objects.push_back(std::move(object));
    }
    return page;
}

std::optional<std::string> base64_md5_to_hex(std::string_view base64) {
    return base64_digest_to_hex(base64, DigestAlgorithm::md5);
}

bool is_safe_relative_path(std::string_view path) {
    auto is_control_byte = [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == '\x7f'; };
    if (path.empty() || path.front() == '/' || path.find('\\') != std::string_view::npos ||
        std::any_of(path.begin(), path.end(), is_control_byte)) {
        return false;
    }
    while (true) {
        std::size_t slash = path.find('/');
        std::string_view segment = path.substr(0, slash);
        if (segment.empty() || segment == "." || segment == "..") {
            return false;
        }
        if (slash == std::string_view::npos) {
            return true;
        }
        path.remove_prefix(slash + 1);
    }
}

bool looks_like_html(std::string_view content_type, std::string_view body) {
    std::string type;
    for (char c : content_type.substr(0, 9)) {
        type.push_back(lower(c));
    }
    if (type == "text/html") {
        return true;
    }
    std::size_t start = body.find_first_not_of(" \t\r\n");
    if (start == std::string_view::npos) {
        return false;
    }
    std::string head;
    for (char c : body.substr(start, 14)) {
        head.push_back(lower(c));
    }
    return head.rfind("<!doctype html", 0) == 0 || head.rfind("<html", 0) == 0;
}

} // namespace cxrcat::providers
