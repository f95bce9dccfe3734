// SPDX-License-Identifier: Apache-2.0
// Streams one entry's data from the reader to a staged file: buffered, hashed on the way, and
// charged to the output budget before a byte is written.
#pragma once

#include "cxrcat/base/result.hpp"
#include "archive/archive_reader.hpp"
#include "archive/extract_errors.hpp"
#include "archive/output_budget.hpp"
#include "archive/staging_area.hpp"

#include <cstddef>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

namespace cxrcat::extraction {

class EntryWriter {
  public:
    // Writes through a 1 MiB buffer it owns; every argument must outlive it. md5: also hash each
    // file's data with MD5 (Content::md5).
    EntryWriter(ArchiveReader& reader, OutputBudget& budget, const Refusal& refuse, bool md5 = false);

    // Copies the current entry's data to fd (the staged file at file_path), writing sparse holes
    // out as zeros; refuses overlapping blocks and output beyond the budget. label names the entry.
    Result<Content> write(const EntryHeader& header, Fd& fd, const std::filesystem::path& file_path,
                          const std::string& label);

  private:
    struct Output;
    // Adds bytes (zeros when zeros is set) to the file, through the buffer unless already big.
    Result<void> append(Output& out, std::span<const std::byte> bytes, bool zeros);
    // Adds count zero bytes: a hole of a sparse file.
    Result<void> append_zeros(Output& out, std::uint64_t count);
    Result<void> flush(Output& out);
    static Result<void> write_all(Output& out, std::span<const std::byte> bytes);
    static void hash(Output& out, std::span<const std::byte> bytes);

    ArchiveReader& m_reader;
    OutputBudget& m_budget;
    const Refusal& m_refuse;
    std::vector<std::byte> m_buffer;
    bool m_md5 = false;
};

} // namespace cxrcat::extraction
