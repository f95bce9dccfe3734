// SPDX-License-Identifier: Apache-2.0
// Recognises "the server sent a web page" before a body is trusted: an HTML login or quota page
// saved as images.tar.gz otherwise surfaces much later as a baffling checksum mismatch.
#include "cxrcat/archive/payload_kind.hpp"

#include "cxrcat/base/text.hpp"

#include <array>
#include <cstring>

namespace cxrcat {

namespace {

bool ends_with(std::string_view text, std::string_view suffix) {
    return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

bool starts_with_bytes(std::span<const std::byte> head, std::size_t offset, std::string_view magic) {
    return head.size() >= offset + magic.size() && std::memcmp(head.data() + offset, magic.data(), magic.size()) == 0;
}

std::string_view as_text(std::span<const std::byte> head) {
    return {reinterpret_cast<const char*>(head.data()),
            head.size()}; // NOLINT(cppcoreguidelines-pro-type-reinterpret-cast)
}

// HTML or a JSON error document, ignoring leading whitespace and a UTF-8 byte-order mark.
bool looks_like_web_page(std::span<const std::byte> head) {
    std::string_view text = as_text(head);
    if (text.substr(0, 3) == "\xEF\xBB\xBF") {
        text.remove_prefix(3);
    }
    std::size_t start = text.find_first_not_of(" \t\r\n");
    if (start == std::string_view::npos) {
        return false;
    }
    std::string lowered = to_lower(text.substr(start, 64));
    return lowered.rfind("<!doctype html", 0) == 0 || lowered.rfind("<html", 0) == 0 ||
           lowered.rfind("<head", 0) == 0 || lowered.rfind("<?xml", 0) == 0 || lowered.rfind("{\"error", 0) == 0 ||
           lowered.rfind("{\"message", 0) == 0;
}

bool content_type_is_web_page(std::string_view content_type) {
    std::string lowered = to_lower(content_type);
    return lowered.rfind("text/html", 0) == 0 || lowered.rfind("application/xhtml", 0) == 0;
}

bool matches_magic(PayloadKind kind, std::span<const std::byte> head) {
    switch (kind) {
    case PayloadKind::zip: return starts_with_bytes(head, 0, "PK\x03\x04") || starts_with_bytes(head, 0, "PK\x05\x06");
    case PayloadKind::gzip: return starts_with_bytes(head, 0, "\x1f\x8b");
    case PayloadKind::tar: return starts_with_bytes(head, 257, "ustar") || head.size() < 262;
    case PayloadKind::bzip2: return starts_with_bytes(head, 0, "BZh");
    case PayloadKind::xz:
        return starts_with_bytes(head, 0,
                                 "\xFD"
                                 "7zXZ");
    case PayloadKind::zstd: return starts_with_bytes(head, 0, "\x28\xB5\x2F\xFD");
    case PayloadKind::seven_zip: return starts_with_bytes(head, 0, "7z\xBC\xAF\x27\x1C");
    case PayloadKind::dicom: return starts_with_bytes(head, 128, "DICM") || head.size() < 132;
    case PayloadKind::png: return starts_with_bytes(head, 0, "\x89PNG");
    case PayloadKind::jpeg: return starts_with_bytes(head, 0, "\xFF\xD8\xFF");
    case PayloadKind::pdf: return starts_with_bytes(head, 0, "%PDF");
    case PayloadKind::text:
    case PayloadKind::unknown: return true;
    }
    return true;
}

} // namespace

PayloadKind payload_kind_for_path(std::string_view path) {
    std::string lowered = to_lower(path);
    struct Suffix {
        std::string_view suffix;
        PayloadKind kind;
    };
    static constexpr std::array<Suffix, 22> k_suffixes{{
        {".zip", PayloadKind::zip},   {".tar.gz", PayloadKind::gzip},  {".tgz", PayloadKind::gzip},
        {".gz", PayloadKind::gzip},   {".tar", PayloadKind::tar},      {".tar.bz2", PayloadKind::bzip2},
        {".bz2", PayloadKind::bzip2}, {".tar.xz", PayloadKind::xz},    {".xz", PayloadKind::xz},
        {".zst", PayloadKind::zstd},  {".7z", PayloadKind::seven_zip}, {".dcm", PayloadKind::dicom},
        {".png", PayloadKind::png},   {".jpg", PayloadKind::jpeg},     {".jpeg", PayloadKind::jpeg},
        {".pdf", PayloadKind::pdf},   {".csv", PayloadKind::text},     {".txt", PayloadKind::text},
        {".tsv", PayloadKind::text},  {".json", PayloadKind::text},    {".md", PayloadKind::text},
        {".xml", PayloadKind::text},
    }};
    for (const auto& [suffix, kind] : k_suffixes) {
        if (ends_with(lowered, suffix)) {
            return kind;
        }
    }
    return PayloadKind::unknown;
}

std::string_view to_string(PayloadKind kind) {
    switch (kind) {
    case PayloadKind::zip: return "zip archive";
    case PayloadKind::gzip: return "gzip file";
    case PayloadKind::tar: return "tar archive";
    case PayloadKind::bzip2: return "bzip2 file";
    case PayloadKind::xz: return "xz file";
    case PayloadKind::zstd: return "zstd file";
    case PayloadKind::seven_zip: return "7z archive";
    case PayloadKind::dicom: return "DICOM file";
    case PayloadKind::png: return "PNG image";
    case PayloadKind::jpeg: return "JPEG image";
    case PayloadKind::pdf: return "PDF document";
    case PayloadKind::text: return "text file";
    case PayloadKind::unknown: return "file";
    }
    return "file";
}

SniffVerdict sniff_payload(PayloadKind expected, std::string_view content_type, std::span<const std::byte> head) {
    bool web_page = looks_like_web_page(head);
    if (expected == PayloadKind::text) {
        // A CSV can't start with "<html"; a JSON file may legitimately start with {"error...
        bool html =
            content_type_is_web_page(content_type) || (web_page && as_text(head).find('<') != std::string_view::npos);
        return html ? SniffVerdict::web_page : SniffVerdict::ok;
    }
    if (web_page || (content_type_is_web_page(content_type) && !matches_magic(expected, head)) ||
        (expected != PayloadKind::unknown && content_type_is_web_page(content_type))) {
        return SniffVerdict::web_page;
    }
    return matches_magic(expected, head) ? SniffVerdict::ok : SniffVerdict::wrong_format;
}

} // namespace cxrcat
