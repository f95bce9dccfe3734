// SPDX-License-Identifier: Apache-2.0
// Which format a file is, and the dispatch to its check.
#include "cxrcat/decode/image_check.hpp"

#include "cxrcat/base/error.hpp"
#include "decode/format_checks.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <fstream>
#include <map>

namespace cxrcat {

namespace {

namespace fs = std::filesystem;

std::string lowercase_name(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c); });
    return text;
}

std::optional<ImageFormat> format_of_name(const std::string& name) {
    static const std::map<std::string, ImageFormat, std::less<>> k_by_extension{
        {".png", ImageFormat::png},       {".jpg", ImageFormat::jpeg},      {".jpeg", ImageFormat::jpeg},
        {".dcm", ImageFormat::dicom},     {".dicom", ImageFormat::dicom},   {".img", ImageFormat::jsrt},
        {".mhd", ImageFormat::metaimage}, {".mha", ImageFormat::metaimage}, {".nii", ImageFormat::nifti},
        {".npy", ImageFormat::npy}};
    std::string lowered = lowercase_name(name);
    if (lowered.ends_with(".nii.gz")) {
        return ImageFormat::nifti;
    }
    std::size_t dot = lowered.rfind('.');
    if (dot != std::string::npos) {
        if (auto found = k_by_extension.find(std::string_view(lowered).substr(dot)); found != k_by_extension.end()) {
            return found->second;
        }
    }
    return std::nullopt;
}

bool head_starts_with(std::span<const std::byte> head, std::size_t offset, std::string_view magic) {
    return head.size() >= offset + magic.size() && std::memcmp(head.data() + offset, magic.data(), magic.size()) == 0;
}

// Names without a known extension (DICOM files are often named by UID alone): the content decides.
std::optional<ImageFormat> format_of_content(std::span<const std::byte> head) {
    if (head_starts_with(head, 128, "DICM")) {
        return ImageFormat::dicom;
    }
    if (head_starts_with(head, 0, "\x89PNG\r\n\x1a\n")) {
        return ImageFormat::png;
    }
    if (head_starts_with(head, 0, "\xFF\xD8\xFF")) {
        return ImageFormat::jpeg;
    }
    return std::nullopt;
}

} // namespace

std::optional<ImageFormat> image_format_of(const fs::path& path, std::span<const std::byte> head) {
    std::string name = path.filename().string();
    if (auto by_name = format_of_name(name)) {
        return by_name;
    }
    // A name with an extension we do not know (.csv, .db, .raw, .txt) is not an image; names
    // without one, or ending in digits (a DICOM UID such as 1.2.840.113619.2.55), are sniffed.
    std::size_t dot = name.rfind('.');
    bool digits = dot != std::string::npos && dot + 1 < name.size() &&
                  name.find_first_not_of("0123456789", dot + 1) == std::string::npos;
    if (dot != std::string::npos && !digits) {
        return std::nullopt;
    }
    return format_of_content(head);
}

std::optional<ImageFormat> image_format_of_file(const fs::path& path, std::span<const std::byte> contents) {
    constexpr std::size_t k_head = 132; // DICOM's "DICM" ends at 132
    std::array<std::byte, k_head> head{};
    std::span<const std::byte> read = contents.first(std::min(contents.size(), k_head));
    if (contents.empty()) {
        std::ifstream in(path, std::ios::binary);
        in.read(reinterpret_cast<char*>(head.data()), head.size()); // NOLINT: bytes
        read = std::span(head.data(), static_cast<std::size_t>(in.gcount()));
    }
    auto format = image_format_of(path, read);
    // An .img beside an .hdr is Analyze 7.5, not JSRT's headerless raw.
    std::error_code ec;
    if (format == ImageFormat::jsrt && fs::exists(fs::path(path).replace_extension(".hdr"), ec)) {
        return std::nullopt;
    }
    return format;
}

ImageCheck check_image(const fs::path& path, ImageFormat format, std::span<const std::byte> contents) {
    try {
        switch (format) {
        case ImageFormat::png: return decode::check_png(path, contents);
        case ImageFormat::jpeg: return decode::check_jpeg(path, contents);
        case ImageFormat::dicom: return decode::check_dicom(path, contents);
        case ImageFormat::jsrt: return decode::check_jsrt(path);
        case ImageFormat::metaimage: return decode::check_metaimage(path);
        case ImageFormat::nifti: return decode::check_nifti(path);
        case ImageFormat::npy: return decode::check_npy(path);
        }
    } catch (const LibraryUnavailable& error) {
        std::string package = error.package().empty() ? "" : " (install " + error.package() + ")";
        return decode::failed(format, "library", error.what() + package);
    }
    return decode::failed(format, "format", "unknown format");
}

} // namespace cxrcat
