// SPDX-License-Identifier: Apache-2.0
#include "providers/parsers.hpp"

#include "base/remote_text.hpp"
#include "cxrcat/base/digest.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <utility>

namespace cxrcat::providers {

namespace {

constexpr std::string_view k_md5_prefix = "md5:";
constexpr std::size_t k_md5_bytes = 16;
constexpr std::size_t k_quoted_line_limit = 120;

bool is_hex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

char lower(char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
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

} // namespace

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

std::string quoted_line(std::string_view line) {
    return "'" + printable_excerpt(line, k_quoted_line_limit) + "'";
}

std::string line_error(std::size_t number, const std::string& what) {
    return "line " + std::to_string(number) + ": " + what;
}

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
