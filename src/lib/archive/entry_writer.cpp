// SPDX-License-Identifier: Apache-2.0
#include "archive/entry_writer.hpp"

#include "cxrcat/base/digest.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>
#include <unistd.h>

namespace cxrcat::extraction {

namespace {

// Big writes cost far less per byte than the 10-64 KiB blocks decompressors hand out.
constexpr std::size_t k_entry_write_buffer_size = std::size_t{1} << 20U;

} // namespace

// The file one entry is being written to.
struct EntryWriter::Output {
    Fd& fd;
    const std::filesystem::path& path;
    const std::string& label;
    Hasher hasher{DigestAlgorithm::sha256};
    std::optional<Hasher> md5{}; // when the extraction asks for it
    std::uint64_t position = 0;
    std::size_t fill = 0; // bytes waiting in the buffer
};

EntryWriter::EntryWriter(ArchiveReader& reader, OutputBudget& budget, const Refusal& refuse, bool md5)
    : m_reader(reader), m_budget(budget), m_refuse(refuse), m_buffer(k_entry_write_buffer_size), m_md5(md5) {}

Result<Content> EntryWriter::write(const EntryHeader& header, Fd& fd, const std::filesystem::path& file_path,
                                   const std::string& label) {
    Output out{fd, file_path, label};
    if (m_md5) {
        out.md5.emplace(DigestAlgorithm::md5);
    }
    for (;;) {
        auto block = m_reader.next_block(label);
        if (!block) {
            return block.error();
        }
        if (!*block) {
            break;
        }
        auto [bytes, offset] = **block;
        if (offset < 0 || static_cast<std::uint64_t>(offset) < out.position) {
            return m_refuse(label + " has overlapping data blocks");
        }
        // A gap before the block is a hole of a sparse file.
        if (auto filled = append_zeros(out, static_cast<std::uint64_t>(offset) - out.position); !filled) {
            return filled.error();
        }
        if (!bytes.empty()) {
            if (auto done = append(out, bytes, false); !done) {
                return done.error();
            }
        }
    }
    // libarchive reports no block for a hole at the end of a sparse file; only the entry's size
    // says how long the file is.
    if (header.sparse && header.size && *header.size > 0 && static_cast<std::uint64_t>(*header.size) > out.position) {
        if (auto filled = append_zeros(out, static_cast<std::uint64_t>(*header.size) - out.position); !filled) {
            return filled.error();
        }
    }
    if (out.fill > 0) {
        if (auto flushed = flush(out); !flushed) {
            return flushed.error();
        }
    }
    return Content{out.position, out.hasher.finish_hex(), out.md5 ? out.md5->finish_hex() : std::string{}};
}

Result<void> EntryWriter::append(Output& out, std::span<const std::byte> bytes, bool zeros) {
    if (!m_budget.charge(bytes.size())) {
        std::string why = "output exceeds " + std::to_string(m_budget.limit()) + " bytes (" + m_budget.reason() +
                          ") at " + out.label + "; it looks like a compression bomb";
        if (m_budget.ratio_bound()) {
            // Sparse masks legitimately pass the ratio: say how to let an honest archive through.
            why += "; if it is legitimately this compressible (sparse masks), declare its extracted_size in the "
                   "catalog or rerun with --max-expansion RATIO";
        }
        return m_refuse(why);
    }
    out.position += bytes.size();
    if (!zeros && out.fill == 0 && bytes.size() >= m_buffer.size()) {
        hash(out, bytes); // already one big block: skip the copy
        return write_all(out, bytes);
    }
    while (!bytes.empty()) {
        std::size_t take = std::min(bytes.size(), m_buffer.size() - out.fill);
        std::byte* slot = m_buffer.data() + out.fill;
        if (zeros) {
            std::memset(slot, 0, take);
        } else {
            std::memcpy(slot, bytes.data(), take);
        }
        hash(out, std::span<const std::byte>(slot, take));
        out.fill += take;
        bytes = bytes.subspan(take);
        if (out.fill == m_buffer.size()) {
            if (auto flushed = flush(out); !flushed) {
                return flushed;
            }
        }
    }
    return {};
}

// Holes are written out as zeros (hashed, and charged to the budget like any output).
Result<void> EntryWriter::append_zeros(Output& out, std::uint64_t count) {
    while (count > 0) {
        auto piece = static_cast<std::size_t>(std::min<std::uint64_t>(count, m_buffer.size()));
        if (auto done = append(out, std::span<const std::byte>(m_buffer.data(), piece), true); !done) {
            return done;
        }
        count -= piece;
    }
    return {};
}

void EntryWriter::hash(Output& out, std::span<const std::byte> bytes) {
    out.hasher.update(bytes);
    if (out.md5) {
        out.md5->update(bytes);
    }
}

Result<void> EntryWriter::flush(Output& out) {
    auto done = write_all(out, std::span(m_buffer.data(), out.fill));
    out.fill = 0;
    return done;
}

Result<void> EntryWriter::write_all(Output& out, std::span<const std::byte> bytes) {
    while (!bytes.empty()) {
        ssize_t n = ::write(out.fd.get(), bytes.data(), bytes.size());
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return io_error("cannot write", out.path, errno);
        }
        bytes = bytes.subspan(static_cast<std::size_t>(n));
    }
    return {};
}

} // namespace cxrcat::extraction
