// SPDX-License-Identifier: Apache-2.0
// A series zip with its own checksum list. The shape is NBIA's V1_getImageWithMD5Hash (CBIIT's
// NBIA server code, provider-facts.md §4): members named %08d.dcm, then md5hashes.csv written by
// FormatOutput.toCsv with the columns Filename,MD5Hash, rows in no particular order (a HashMap),
// each MD5 the one NBIA's database recorded for the file. MONAI (apps/tcia/utils.py) and IDC's ETL
// read it the same way: skip the header, then name,md5 per line, and drop the list afterwards.
#include "fetch/series_archive.hpp"

#include "cxrcat/base/digest.hpp"
#include "fetch/member_decode_gate.hpp"
#include "fetch/split_archives.hpp"

#include <algorithm>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>

namespace cxrcat {

namespace {

namespace fs = std::filesystem;

// A checksum list larger than this is not NBIA's (a series of 10,000 images lists about 500 KB).
constexpr std::uintmax_t k_max_checksum_list_bytes = 64ULL << 20;

// A member NBIA adds to its zips without listing it (provider-facts.md §4: the first entry of a
// getImage zip is LICENSE).
constexpr std::string_view k_unlisted_license = "LICENSE";

// One CSV field without surrounding blanks and double quotes.
std::string csv_field(std::string_view field) {
    while (!field.empty() && (field.front() == ' ' || field.front() == '\t')) {
        field.remove_prefix(1);
    }
    while (!field.empty() && (field.back() == ' ' || field.back() == '\t' || field.back() == '\r')) {
        field.remove_suffix(1);
    }
    if (field.size() >= 2 && field.front() == '"' && field.back() == '"') {
        field = field.substr(1, field.size() - 2);
    }
    return std::string(field);
}

std::string lowercase_ascii(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

Error member_error(const std::string& label, const std::string& what, std::vector<std::string> notes = {}) {
    notes.emplace_back("nothing of this series was installed; rerun to download it again");
    return {ErrorCode::integrity, label + ": " + what, std::move(notes)};
}

Result<std::map<std::string, std::string>> read_member_checksums(const fs::path& file, const std::string& label,
                                                                 const std::string& list_name) {
    std::error_code ec;
    auto size = fs::file_size(file, ec);
    if (ec || size > k_max_checksum_list_bytes) {
        return member_error(label, list_name + " is unreadable or too large");
    }
    std::ifstream stream(file, std::ios::binary);
    std::stringstream text;
    text << stream.rdbuf();
    auto parsed = parse_member_checksums(text.str());
    if (!parsed) {
        return member_error(label, list_name + ": " + parsed.error().message());
    }
    return parsed;
}

} // namespace

Result<std::map<std::string, std::string>> parse_member_checksums(std::string_view text) {
    std::map<std::string, std::string> out;
    bool header = false;
    std::size_t number = 0;
    for (std::size_t at = 0; at < text.size();) {
        std::size_t end = text.find('\n', at);
        std::string_view line = text.substr(at, end == std::string_view::npos ? std::string_view::npos : end - at);
        at = end == std::string_view::npos ? text.size() : end + 1;
        ++number;
        std::string where = "line " + std::to_string(number);
        if (csv_field(line).empty()) {
            continue;
        }
        std::size_t comma = line.find(',');
        if (comma == std::string_view::npos || line.find(',', comma + 1) != std::string_view::npos) {
            return Error(ErrorCode::integrity, where + " is not `Filename,MD5Hash`");
        }
        std::string name = csv_field(line.substr(0, comma));
        std::string md5 = lowercase_ascii(csv_field(line.substr(comma + 1)));
        if (!header) {
            if (name != "Filename" || md5 != "md5hash") {
                return Error(ErrorCode::integrity, "the header is not `Filename,MD5Hash`");
            }
            header = true;
            continue;
        }
        if (name.empty() || !is_valid_hex_digest(DigestAlgorithm::md5, md5)) {
            return Error(ErrorCode::integrity, where + " has no file name or no valid MD5");
        }
        if (!out.emplace(name, md5).second) {
            return Error(ErrorCode::integrity, where + " lists " + name + " a second time");
        }
    }
    if (!header) {
        return Error(ErrorCode::integrity, "it is empty (no `Filename,MD5Hash` header)");
    }
    return out;
}

Result<void> check_series_members(const std::string& list_name, const fs::path& staging,
                                  const std::vector<ExtractedFile>& files, const std::string& label) {
    auto list = std::find_if(files.begin(), files.end(), [&](const ExtractedFile& f) { return f.path == list_name; });
    if (list == files.end()) {
        return member_error(label, "the series zip holds no " + list_name + ", so its files cannot be checked");
    }
    auto expected = read_member_checksums(staging / list_name, label, list_name);
    if (!expected) {
        return expected.error();
    }
    if (expected->empty()) {
        // NBIA's answer for a SeriesInstanceUID it does not (or no longer) know: a zip of the list alone.
        return member_error(label, list_name + " lists no files: the server has no images for this series");
    }
    std::set<std::string> seen;
    for (const auto& file : files) {
        if (file.path == list_name) {
            continue;
        }
        auto it = expected->find(file.path);
        if (it == expected->end()) {
            if (file.path == k_unlisted_license) {
                continue;
            }
            return member_error(label, "member " + file.path + " is not listed in " + list_name);
        }
        seen.insert(file.path);
        if (file.md5 != it->second) {
            return member_error(
                label, "member " + file.path + ": md5 mismatch",
                {"expected " + it->second + " (" + list_name + " in the series zip)", "actual   " + file.md5});
        }
    }
    for (const auto& [name, md5] : *expected) {
        if (seen.count(name) == 0) {
            return member_error(label, list_name + " lists " + name + ", which the series zip does not hold");
        }
    }
    return {};
}

fs::path series_archive_path(const fs::path& destination, const std::string& path) {
    fs::path zip = destination / path;
    zip += ".zip";
    return zip;
}

void install_series_archive(const Dataset& dataset, const PlannedFile& planned, const fs::path& zip,
                            const fs::path& destination, DatasetState& state, const FetchOptions& options,
                            FileResult& result, const std::string& now) {
    const std::string& list_name = planned.source.member_checksums;
    fs::path into = destination / planned.path;
    std::string label = planned.path;
    ExtractLimits limits = fetch_extract_limits(destination, into, options.max_expansion, planned.extracted_size);
    limits.member_md5 = true;
    limits.vet = [&](const fs::path& staging, const std::vector<ExtractedFile>& files) {
        return check_series_members(list_name, staging, files, label);
    };
    // --decode: after the checksums, each member is checked on -j workers before the series is published.
    std::optional<MemberDecodeGate> gate;
    if (options.decode) {
        gate.emplace(dataset, planned.path, static_cast<unsigned>(std::max(1, options.download.jobs)));
        gate->attach(limits);
    }
    // One rename publishes a new series directory: a refused zip leaves nothing of the series.
    auto extracted = extract_archive(zip, into, limits);
    std::error_code ignored;
    std::uint64_t zip_size = fs::file_size(zip, ignored);
    fs::remove(zip, ignored);
    if (!extracted) {
        result.status = TransferStatus::failed;
        result.error = extracted.error();
        return;
    }
    std::vector<ExtractedFile> members;
    for (auto& file : *extracted) {
        if (file.path == list_name) {
            fs::remove(into / list_name, ignored); // checked against: not part of the data
        } else {
            members.push_back(std::move(file));
        }
    }
    auto recorded = record_extracted_files(state, planned.path, planned.path, members, zip_size, now);
    if (!recorded) {
        result.status = TransferStatus::failed;
        result.error = recorded.error();
        return;
    }
    if (gate) {
        recorded->refused = gate->refused();
        // Never kept (NBIA builds the zip per request): a rerun downloads the series again.
        if (auto refused = gate->finish(planned.path, std::nullopt, members.size(), result)) {
            result.status = TransferStatus::failed;
            result.error = std::move(refused);
        }
    }
    state.archives[planned.path] = std::move(*recorded); // never kept: NBIA builds the zip per request
    result.extracted_files = members.size();
    result.digest_origin = planned.digest_origin;
    result.notes.push_back("every member matched " + list_name + " (" + std::to_string(members.size()) + " files)");
    if (planned.source.series_files > 1 && planned.source.series_files != members.size()) {
        result.notes.push_back("the API announced " + std::to_string(planned.source.series_files) +
                               " images, the series zip held " + std::to_string(members.size()) + " files");
    }
}

} // namespace cxrcat
