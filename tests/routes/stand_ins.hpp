// SPDX-License-Identifier: Apache-2.0
// Stand-ins the route test publishes in place of the real files: bytes of the kind a name implies.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>

namespace cxrcat::test::routes {

namespace fs = std::filesystem;
using nlohmann::json;

inline std::uint32_t crc32(std::string_view data) {
    std::uint32_t crc = 0xFFFFFFFFU;
    for (char c : data) {
        crc ^= static_cast<unsigned char>(c);
        for (int bit = 0; bit < 8; ++bit) {
            crc = (crc >> 1U) ^ (0xEDB88320U & (0U - (crc & 1U)));
        }
    }
    return ~crc;
}

inline void put_le(std::string& out, std::uint32_t value, int bytes) {
    for (int i = 0; i < bytes; ++i) {
        out.push_back(static_cast<char>((value >> (8U * static_cast<unsigned>(i))) & 0xFFU));
    }
}

// A zip archive holding one stored (uncompressed) member.
inline std::string stored_zip(const std::string& member, const std::string& data) {
    auto size = static_cast<std::uint32_t>(data.size());
    auto name_size = static_cast<std::uint32_t>(member.size());
    std::string out;
    put_le(out, 0x04034b50U, 4); // local file header
    put_le(out, 20, 2);
    put_le(out, 0, 2);
    put_le(out, 0, 2); // stored
    put_le(out, 0, 4); // time, date
    put_le(out, crc32(data), 4);
    put_le(out, size, 4);
    put_le(out, size, 4);
    put_le(out, name_size, 2);
    put_le(out, 0, 2);
    out += member + data;
    auto central_at = static_cast<std::uint32_t>(out.size());
    put_le(out, 0x02014b50U, 4); // central directory
    put_le(out, 20, 2);
    put_le(out, 20, 2);
    put_le(out, 0, 2);
    put_le(out, 0, 2);
    put_le(out, 0, 4);
    put_le(out, crc32(data), 4);
    put_le(out, size, 4);
    put_le(out, size, 4);
    put_le(out, name_size, 2);
    put_le(out, 0, 2);
    put_le(out, 0, 2);
    put_le(out, 0, 2);
    put_le(out, 0, 2);
    put_le(out, 0, 4);
    put_le(out, 0, 4); // local header offset
    out += member;
    auto central_size = static_cast<std::uint32_t>(out.size()) - central_at;
    put_le(out, 0x06054b50U, 4); // end of central directory
    put_le(out, 0, 4);
    put_le(out, 1, 2);
    put_le(out, 1, 2);
    put_le(out, central_size, 4);
    put_le(out, central_at, 4);
    put_le(out, 0, 2);
    return out;
}

// Whole-file stand-ins of the kind the name implies, so payload sniffing accepts them.
inline std::string stand_in_for(const std::string& path, const std::string& salt) {
    auto ends = [&](std::string_view suffix) { return path.ends_with(suffix); };
    std::string noise = salt + "-" + path;
    if (ends(".zip")) {
        return stored_zip("member-of-" + fs::path(path).stem().string() + ".txt", "inside " + noise + "\n");
    }
    if (ends(".gz") || ends(".tgz")) {
        // A complete gzip member of no bytes.
        std::string gzip("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03\x03\x00\x00\x00\x00\x00\x00\x00\x00\x00", 20);
        return gzip;
    }
    if (ends(".dcm")) {
        return std::string(128, '\0') + "DICM" + noise;
    }
    if (ends(".png")) {
        return std::string("\x89PNG\r\n\x1a\n", 8) + noise;
    }
    if (ends(".pdf")) {
        return "%PDF-1.4\n% " + noise + "\n";
    }
    return "stand-in," + noise + "\nrow,1\n"; // text: .csv, .txt, .md, split parts
}

// Where an upstream listing is known to differ from the catalog, the stub serves what upstream
// really holds: record → {name in the catalog, name upstream}. Zenodo record 3723295 holds
// candidates_V2.zip, not the candidates_V2.csv the catalog lists (shared/reference/catalog-audit.md,
// luna16: six independent scripts download .../records/3723295/files/candidates_V2.zip). Once the
// catalog is corrected the catalog name is no longer listed and the entry has no effect.
inline const std::map<std::string, std::map<std::string, std::string>>& zenodo_upstream_names() {
    static const std::map<std::string, std::map<std::string, std::string>> k_names{
        {"3723295", {{"candidates_V2.csv", "candidates_V2.zip"}}}};
    return k_names;
}

} // namespace cxrcat::test::routes
