// SPDX-License-Identifier: Apache-2.0
// Private to decode: one check per image format (check_image dispatches to them) and the content
// sanity they share.
#pragma once

#include "cxrcat/decode/image_check.hpp"

#include <cstdint>
#include <filesystem>
#include <limits>
#include <span>
#include <string>

namespace cxrcat::decode {

// The file's whole contents when the caller has read them already (verify hashed them), else empty:
// the check then reads path itself.
using Contents = std::span<const std::byte>;

// PNG through libspng: signature, every chunk's CRC, IHDR, every row decoded, IEND at the end.
[[nodiscard]] ImageCheck check_png(const std::filesystem::path& path, Contents contents);
// JPEG through libturbojpeg: SOI, EOI, a full decode that stops at libjpeg's first warning.
[[nodiscard]] ImageCheck check_jpeg(const std::filesystem::path& path, Contents contents);
// DICOM through GDCM (the dicom module): file meta, transfer syntax, pixel data, its length, decode.
[[nodiscard]] ImageCheck check_dicom(const std::filesystem::path& path, Contents contents);
// JSRT headerless raw: exactly 2048 × 2048 big-endian 16-bit samples, 12-bit values.
[[nodiscard]] ImageCheck check_jsrt(const std::filesystem::path& path);
// MetaImage .mhd (+ its data file) or .mha: the header parsed and the data's length.
[[nodiscard]] ImageCheck check_metaimage(const std::filesystem::path& path);
// NIfTI .nii / .nii.gz: the header, the data's length (.nii) or the gzip trailer's length (.nii.gz).
[[nodiscard]] ImageCheck check_nifti(const std::filesystem::path& path);
// NumPy .npy: the header and the data's length.
[[nodiscard]] ImageCheck check_npy(const std::filesystem::path& path);

// The smallest and largest sample seen; a warning when they are equal (an all-one-value image).
class SampleRange {
  public:
    void add(std::uint32_t sample) {
        m_min = sample < m_min ? sample : m_min;
        m_max = sample > m_max ? sample : m_max;
    }
    // Adds every sample of a row of 8-bit (bytes_per_sample 1) or host-order 16-bit samples.
    void add_row(const unsigned char* row, std::size_t bytes, unsigned bytes_per_sample);
    // "constant: every sample is V" when all samples were equal (and any were seen).
    void warn_if_constant(ImageCheck& check) const;
    [[nodiscard]] std::uint32_t max() const { return m_max; }

  private:
    std::uint32_t m_min = std::numeric_limits<std::uint32_t>::max();
    std::uint32_t m_max = 0;
};

// A failed result: format, the check's name and the detail.
[[nodiscard]] ImageCheck failed(ImageFormat format, std::string check, std::string detail);

} // namespace cxrcat::decode
