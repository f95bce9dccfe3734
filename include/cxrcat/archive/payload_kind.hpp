// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace cxrcat {

// What a downloaded file is expected to be, from its name.
enum class PayloadKind { zip, gzip, tar, bzip2, xz, zstd, seven_zip, dicom, png, jpeg, pdf, text, unknown };

// The kind a file name implies ("a.tar.gz" -> gzip, "x.zip" -> zip, "labels.csv" -> text, ...).
[[nodiscard]] PayloadKind payload_kind_for_path(std::string_view path);
[[nodiscard]] std::string_view to_string(PayloadKind kind);

enum class SniffVerdict {
    ok,           // the bytes look like what was expected (or nothing is expected)
    web_page,     // HTML or JSON where data was expected: a login, consent or quota page
    wrong_format, // binary data of another kind
};

// Judges the first bytes of a body (at least a few hundred when the body has them) and its
// Content-Type against the expected kind. Never reads past head.
[[nodiscard]] SniffVerdict sniff_payload(PayloadKind expected, std::string_view content_type,
                                         std::span<const std::byte> head);

// How many leading bytes sniff_payload wants to see.
inline constexpr std::size_t k_sniff_bytes = 1024;

} // namespace cxrcat
