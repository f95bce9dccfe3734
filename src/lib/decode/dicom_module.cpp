// SPDX-License-Identifier: Apache-2.0
// The DICOM module (dicom_module_api.hpp says why it is a module): GDCM reads the file, its file meta
// and pixel data are checked, and the pixel data is decoded whatever the transfer syntax (native,
// JPEG 8/12/16-bit and lossless, JPEG-LS, JPEG 2000, RLE). Not part of cxrcat_core.
#include "decode/dicom_module_api.hpp"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <gdcmAttribute.h>
#include <gdcmFileMetaInformation.h>
#include <gdcmImage.h>
#include <gdcmImageReader.h>
#include <gdcmPreamble.h>
#include <gdcmReader.h>
#include <gdcmSequenceOfFragments.h>
#include <gdcmTrace.h>
#include <gdcmTransferSyntax.h>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace {

const gdcm::Tag k_transfer_syntax(0x0002, 0x0010);
const gdcm::Tag k_pixel_data(0x7fe0, 0x0010);

// A read-only stream over bytes already in memory, with the seeking GDCM's readers use.
class MemoryBuffer : public std::streambuf {
  public:
    MemoryBuffer(const char* data, std::size_t size) {
        char* begin = const_cast<char*>(data); // NOLINT: std::streambuf's get area is never written through
        setg(begin, begin, begin + size);
    }

  protected:
    pos_type seekoff(off_type offset, std::ios_base::seekdir from, std::ios_base::openmode /*which*/) override {
        char* base = from == std::ios_base::beg ? eback() : from == std::ios_base::cur ? gptr() : egptr();
        if (offset < eback() - base || offset > egptr() - base) {
            return {off_type(-1)};
        }
        setg(eback(), base + offset, egptr());
        return {gptr() - eback()};
    }
    pos_type seekpos(pos_type position, std::ios_base::openmode which) override {
        return seekoff(off_type(position), std::ios_base::beg, which);
    }
};

// The file to check: its path, and its contents when the caller read them already.
struct DicomSource {
    const char* path;
    const char* data; // nullptr: read path
    std::size_t size;

    // Points reader at the source; buffer and stream hold the in-memory case and must outlive reader.
    void attach(gdcm::Reader& reader, std::optional<MemoryBuffer>& buffer, std::optional<std::istream>& stream) const {
        if (data == nullptr) {
            reader.SetFileName(path);
            return;
        }
        buffer.emplace(data, size);
        stream.emplace(&*buffer);
        reader.SetStream(*stream);
    }
    [[nodiscard]] std::uint64_t length() const {
        std::error_code ec;
        return data != nullptr ? size : std::filesystem::file_size(path, ec);
    }
};

// A reader of the source, with the stream it reads.
template <class ReaderType> struct OpenReader {
    explicit OpenReader(const DicomSource& source) { source.attach(reader, buffer, stream); }
    std::optional<MemoryBuffer> buffer;
    std::optional<std::istream> stream;
    ReaderType reader;
};

void copy_text(char* into, std::size_t size, const std::string& text) {
    std::size_t count = std::min(size - 1, text.size());
    std::memcpy(into, text.data(), count);
    into[count] = '\0';
}

int fail(CxrcatDicomResult* result, const std::string& check, const std::string& detail) {
    copy_text(result->check, sizeof(result->check), check);
    copy_text(result->detail, sizeof(result->detail), detail);
    return 0;
}

// An unsigned attribute of the data set, or fallback when absent.
std::uint64_t us_value(const gdcm::DataSet& data, std::uint16_t group, std::uint16_t element, std::uint64_t fallback) {
    const gdcm::Tag tag(group, element);
    if (!data.FindDataElement(tag) || data.GetDataElement(tag).IsEmpty()) {
        return fallback;
    }
    gdcm::Element<gdcm::VR::US, gdcm::VM::VM1> value{};
    value.SetFromDataElement(data.GetDataElement(tag));
    return value.GetValue();
}

// NumberOfFrames (0028,0008), an IS string; 1 when absent.
std::uint64_t frame_count(const gdcm::DataSet& data) {
    const gdcm::Tag tag(0x0028, 0x0008);
    const gdcm::ByteValue* value = data.FindDataElement(tag) ? data.GetDataElement(tag).GetByteValue() : nullptr;
    if (value == nullptr) {
        return 1;
    }
    std::string text(value->GetPointer(), value->GetLength());
    std::uint64_t frames = std::strtoull(text.c_str(), nullptr, 10);
    return frames == 0 ? 1 : frames;
}

// A file whose data set GDCM cannot read: is its file meta missing, or missing the transfer syntax
// (VinDr-CXR v1.0.0's files, vinbigdata-medical/vindr-cxr#3)?
int explain_unreadable(const DicomSource& source, CxrcatDicomResult* result) {
    std::ifstream file;
    std::optional<MemoryBuffer> buffer;
    std::optional<std::istream> memory;
    if (source.data == nullptr) {
        file.open(source.path, std::ios::binary);
    } else {
        buffer.emplace(source.data, source.size);
        memory.emplace(&*buffer);
    }
    std::istream& in = source.data == nullptr ? static_cast<std::istream&>(file) : *memory;
    gdcm::Preamble preamble;
    gdcm::FileMetaInformation meta;
    bool read = true;
    try {
        preamble.Read(in);
        meta.Read(in);
    } catch (...) {
        read = false; // GDCM throws once group 0002 is read and holds no transfer syntax; its elements stay
    }
    if (!meta.IsEmpty() &&
        (!meta.FindDataElement(k_transfer_syntax) || meta.GetDataElement(k_transfer_syntax).IsEmpty())) {
        return fail(result, "transfer-syntax", "the file meta has no Transfer Syntax UID (0002,0010)");
    }
    if (!read || meta.IsEmpty()) {
        return fail(result, "file-meta", "no readable file meta information (group 0002) after the preamble");
    }
    return fail(result, "read", "GDCM cannot parse the data set");
}

// Where the Pixel Data value starts in the file, or 0 when GDCM cannot tell. Read up to the tag with
// the tag skipped, GDCM stops right after the element's tag, VR and length.
std::uint64_t pixel_value_offset(const DicomSource& source) {
    OpenReader<gdcm::Reader> header(source);
    return header.reader.ReadUpToTag(k_pixel_data, {k_pixel_data}) ? header.reader.GetStreamCurrentPosition() : 0;
}

// The bytes the Pixel Data value needs: native, native_bytes; encapsulated, the items as GDCM read
// their declared lengths (a fragment cut by the end of the file keeps its declared length) plus the
// sequence delimiter (PS3.5 §A.4).
std::uint64_t pixel_value_bytes(const gdcm::DataElement& pixels, std::uint64_t native_bytes) {
    constexpr std::uint64_t k_item_header = 8;
    const gdcm::SequenceOfFragments* fragments = pixels.GetSequenceOfFragments();
    if (fragments == nullptr) {
        return native_bytes;
    }
    std::uint64_t bytes = k_item_header + fragments->GetTable().GetVL() + k_item_header;
    for (unsigned i = 0; i < fragments->GetNumberOfFragments(); ++i) {
        bytes += k_item_header + fragments->GetFragment(i).GetVL();
    }
    return bytes;
}

// The pixel data must fit in the file: native, Rows × Columns × SamplesPerPixel × BitsAllocated/8 ×
// NumberOfFrames bytes; encapsulated, every fragment as long as it says. GDCM itself reads a cut
// value as "use file at own risk", so the file's length is compared here.
int check_pixel_length(const DicomSource& source, const gdcm::DataSet& data, const gdcm::DataElement& pixels,
                       CxrcatDicomResult* result) {
    std::uint64_t expected = us_value(data, 0x0028, 0x0010, 0) * us_value(data, 0x0028, 0x0011, 0) *
                             us_value(data, 0x0028, 0x0002, 1) * us_value(data, 0x0028, 0x0100, 16) / 8 *
                             frame_count(data);
    std::uint64_t start = pixel_value_offset(source);
    std::uint64_t size = source.length();
    std::uint64_t needed = pixel_value_bytes(pixels, expected);
    if (start == 0 || size == 0 || start + needed <= size) {
        return -1;
    }
    if (pixels.GetSequenceOfFragments() != nullptr) {
        return fail(result, "fragments",
                    "the encapsulated pixel data's items need " + std::to_string(needed) + " bytes from offset " +
                        std::to_string(start) + ", the file ends " + std::to_string(size - start) + " bytes after it");
    }
    return fail(result, "pixel-length",
                "Rows x Columns x SamplesPerPixel x BitsAllocated/8 x NumberOfFrames = " + std::to_string(expected) +
                    " bytes, the file holds " + std::to_string(size - start) + " after the Pixel Data header");
}

// The photometric interpretation in the catalog's colour words (PS3.3 C.7.6.3.1.2).
std::string colour_of(const gdcm::PhotometricInterpretation& photometric) {
    switch (photometric) {
    case gdcm::PhotometricInterpretation::MONOCHROME1:
    case gdcm::PhotometricInterpretation::MONOCHROME2: return "grey";
    case gdcm::PhotometricInterpretation::PALETTE_COLOR: return "indexed";
    case gdcm::PhotometricInterpretation::RGB:
    case gdcm::PhotometricInterpretation::YBR_FULL:
    case gdcm::PhotometricInterpretation::YBR_FULL_422:
    case gdcm::PhotometricInterpretation::YBR_PARTIAL_422:
    case gdcm::PhotometricInterpretation::YBR_PARTIAL_420:
    case gdcm::PhotometricInterpretation::YBR_ICT:
    case gdcm::PhotometricInterpretation::YBR_RCT: return "RGB";
    default: return "";
    }
}

int decode_pixels(const DicomSource& source, CxrcatDicomResult* result) {
    OpenReader<gdcm::ImageReader> open(source);
    if (!open.reader.Read()) {
        return fail(result, "decode", "GDCM cannot read the image");
    }
    const gdcm::Image& image = open.reader.GetImage();
    // One decoded image per worker, reused from file to file.
    thread_local std::vector<char> buffer;
    buffer.resize(image.GetBufferLength());
    if (!image.GetBuffer(buffer.data())) {
        return fail(result, "decode",
                    std::string("GDCM cannot decode the pixel data (") +
                        gdcm::TransferSyntax::GetTSString(image.GetTransferSyntax()) + ")");
    }
    const unsigned* dims = image.GetDimensions();
    std::ostringstream text;
    text << dims[0] << "x" << dims[1] << " " << image.GetPixelFormat().GetBitsStored() << "-bit "
         << image.GetPhotometricInterpretation() << ", "
         << gdcm::TransferSyntax::GetTSString(image.GetTransferSyntax());
    copy_text(result->description, sizeof(result->description), text.str());
    result->bits_stored = image.GetPixelFormat().GetBitsStored();
    copy_text(result->colour, sizeof(result->colour), colour_of(image.GetPhotometricInterpretation()));
    result->constant =
        !buffer.empty() && std::all_of(buffer.begin(), buffer.end(), [&](char byte) { return byte == buffer.front(); });
    return 0;
}

int check(const DicomSource& source, CxrcatDicomResult* result) {
    OpenReader<gdcm::Reader> open(source);
    gdcm::Reader& reader = open.reader;
    if (!reader.Read()) {
        return explain_unreadable(source, result);
    }
    const gdcm::FileMetaInformation& meta = reader.GetFile().GetHeader();
    if (meta.IsEmpty()) {
        return fail(result, "file-meta", "no file meta information (group 0002)");
    }
    if (!meta.FindDataElement(k_transfer_syntax) || meta.GetDataElement(k_transfer_syntax).IsEmpty()) {
        return fail(result, "transfer-syntax", "the file meta has no Transfer Syntax UID (0002,0010)");
    }
    const gdcm::DataSet& data = reader.GetFile().GetDataSet();
    if (!data.FindDataElement(k_pixel_data) || data.GetDataElement(k_pixel_data).IsEmpty()) {
        return fail(result, "pixel-data", "no Pixel Data (7FE0,0010)");
    }
    if (int failed = check_pixel_length(source, data, data.GetDataElement(k_pixel_data), result); failed >= 0) {
        return failed;
    }
    return decode_pixels(source, result);
}

} // namespace

extern "C" int cxrcat_dicom_check(const char* path, const void* contents, std::size_t size, CxrcatDicomResult* result) {
    std::memset(result, 0, sizeof(*result));
    // GDCM writes its warnings to stderr; the result carries what the check found instead.
    gdcm::Trace::WarningOff();
    gdcm::Trace::ErrorOff();
    try {
        return check({path, static_cast<const char*>(contents), size}, result);
    } catch (const std::exception& error) {
        return fail(result, "decode", std::string("GDCM: ") + error.what());
    } catch (...) {
        return fail(result, "decode", "GDCM failed with an unknown exception");
    }
}
