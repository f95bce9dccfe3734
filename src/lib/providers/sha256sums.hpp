// SPDX-License-Identifier: Apache-2.0
// Private: PhysioNet's SHA256SUMS.txt, whole or streamed (no I/O, unit-tested and fuzzed).
#pragma once

#include "cxrcat/base/result.hpp"

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cxrcat::providers {

// One line of a SHA256SUMS.txt.
struct ChecksumEntry {
    std::string sha256; // lowercase hex
    std::string path;   // relative to the project version
};

// Parses PhysioNet's SHA256SUMS.txt: `<64 hex> <path>` per line (one or more spaces, an optional
// `*` before the path, CRLF tolerated, blank lines skipped, any order). Errors (integrity) name the
// line: a malformed line, an absolute path or a `..` segment.
[[nodiscard]] Result<std::vector<ChecksumEntry>> parse_sha256sums(std::string_view text);

// The same parser fed chunk by chunk as the listing arrives, keeping only the entries `keep`
// accepts: memory follows the kept entries and one line, never the listing (MIMIC-CXR-JPG's has
// 377,110 lines, some 54 MB).
class Sha256SumsReader {
  public:
    explicit Sha256SumsReader(std::function<bool(std::string_view)> keep = {});

    // Forgets everything read (a retried request starts the listing again).
    void reset();
    // Reads a chunk; false once a line was malformed (finish() then says which).
    bool feed(std::string_view chunk);
    // The kept entries, after the last (possibly unterminated) line; or the first line's error.
    [[nodiscard]] Result<std::vector<ChecksumEntry>> finish();
    // The listing's first bytes, to tell a login page from a listing.
    [[nodiscard]] const std::string& head() const { return m_head; }

  private:
    static constexpr std::size_t k_head_bytes = 512;
    static constexpr std::size_t k_max_line = std::size_t{64} << 10;
    void read_line(std::string_view line);

    std::function<bool(std::string_view)> m_keep;
    std::string m_partial; // the line cut by the end of the last chunk
    std::string m_head;
    std::vector<ChecksumEntry> m_entries;
    std::optional<Error> m_error;
    std::size_t m_lines = 0;
};

} // namespace cxrcat::providers
