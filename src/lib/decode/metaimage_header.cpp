// SPDX-License-Identifier: Apache-2.0
// The MetaImage header is plain `Key = Value` text (ITK's MetaIO); no Debian package ships MetaIO on
// its own, so the few keys that fix the data's length are read here.
#include "decode/checked_size.hpp"
#include "decode/header_readers.hpp"

#include <charconv>
#include <map>
#include <vector>

namespace cxrcat::decode {

namespace {

// Bytes per element of each MetaIO element type (MetaIO's MET_ValueTypeSize).
const std::map<std::string_view, std::uint64_t>& element_sizes() {
    static const std::map<std::string_view, std::uint64_t> sizes{
        {"MET_CHAR", 1},  {"MET_UCHAR", 1},  {"MET_SHORT", 2},     {"MET_USHORT", 2},    {"MET_INT", 4},
        {"MET_UINT", 4},  {"MET_LONG", 4},   {"MET_ULONG", 4},     {"MET_LONG_LONG", 8}, {"MET_ULONG_LONG", 8},
        {"MET_FLOAT", 4}, {"MET_DOUBLE", 8}, {"MET_ASCII_CHAR", 1}};
    return sizes;
}

std::string_view trim_blanks(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
        text.remove_prefix(1);
    }
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r' || text.back() == '\n')) {
        text.remove_suffix(1);
    }
    return text;
}

std::optional<std::uint64_t> parse_count(std::string_view word) {
    std::uint64_t value = 0;
    auto [end, ec] = std::from_chars(word.data(), word.data() + word.size(), value);
    if (ec != std::errc{} || end != word.data() + word.size()) {
        return std::nullopt;
    }
    return value;
}

// The whitespace-separated numbers of value; nullopt when one is not a number.
std::optional<std::vector<std::uint64_t>> parse_counts(std::string_view value) {
    std::vector<std::uint64_t> out;
    while (!(value = trim_blanks(value)).empty()) {
        std::size_t space = value.find_first_of(" \t");
        auto number = parse_count(value.substr(0, space));
        if (!number) {
            return std::nullopt;
        }
        out.push_back(*number);
        value = space == std::string_view::npos ? std::string_view{} : value.substr(space);
    }
    return out;
}

Error metaimage_error(const std::string& what) {
    return Error(ErrorCode::integrity, "MetaImage header: " + what);
}

// The header's keys up to ElementDataFile, and where that line ends.
std::pair<std::map<std::string, std::string, std::less<>>, std::size_t> read_keys(std::string_view text) {
    std::map<std::string, std::string, std::less<>> keys;
    std::size_t at = 0;
    while (at < text.size()) {
        std::size_t newline = text.find('\n', at);
        std::size_t end = newline == std::string_view::npos ? text.size() : newline + 1;
        std::string_view line = text.substr(at, end - at);
        at = end;
        std::size_t equals = line.find('=');
        if (equals == std::string_view::npos) {
            continue;
        }
        std::string key(trim_blanks(line.substr(0, equals)));
        keys[key] = std::string(trim_blanks(line.substr(equals + 1)));
        if (key == "ElementDataFile") {
            return {keys, at}; // the last key: the data follows this line
        }
    }
    return {keys, at};
}

} // namespace

Result<MetaImageHeader> parse_metaimage_header(std::string_view text) {
    auto [keys, header_end] = read_keys(text);
    auto data_file = keys.find("ElementDataFile");
    if (data_file == keys.end() || data_file->second.empty()) {
        return metaimage_error("no ElementDataFile line");
    }
    auto dims = keys.find("DimSize");
    auto counts = dims == keys.end() ? std::nullopt : parse_counts(dims->second);
    if (!counts || counts->empty()) {
        return metaimage_error("DimSize missing or not a list of numbers");
    }
    if (auto ndims = keys.find("NDims"); ndims != keys.end() && parse_count(ndims->second) != counts->size()) {
        return metaimage_error("NDims " + ndims->second + " disagrees with DimSize " + dims->second);
    }
    auto type = keys.find("ElementType");
    auto size = type == keys.end() ? element_sizes().end() : element_sizes().find(type->second);
    if (size == element_sizes().end()) {
        return metaimage_error("unknown ElementType '" + (type == keys.end() ? std::string() : type->second) + "'");
    }
    std::uint64_t channels = 1;
    if (auto given = keys.find("ElementNumberOfChannels"); given != keys.end()) {
        auto parsed = parse_count(given->second);
        if (!parsed || *parsed == 0) {
            return metaimage_error("ElementNumberOfChannels '" + given->second + "' is not a positive number");
        }
        channels = *parsed;
    }
    std::optional<std::uint64_t> bytes = size->second * channels;
    for (std::uint64_t count : *counts) {
        bytes = bytes ? checked_product(*bytes, count) : std::nullopt;
    }
    if (!bytes) {
        return metaimage_error("DimSize " + dims->second + " overflows");
    }
    MetaImageHeader header;
    header.data_bytes = *bytes;
    header.data_file = data_file->second;
    header.header_bytes = header_end;
    auto compressed = keys.find("CompressedData");
    header.compressed = compressed != keys.end() && (compressed->second == "True" || compressed->second == "true");
    if (auto stated = keys.find("CompressedDataSize"); stated != keys.end()) {
        header.compressed_bytes = parse_count(stated->second);
    }
    return header;
}

} // namespace cxrcat::decode
