// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace cxrcat::test {

// Writes content to path (binary, truncating), creating parent directories. Throws on failure.
void write_text_file(const std::filesystem::path& path, std::string_view content);
// The whole content of path. Throws when it cannot be read.
[[nodiscard]] std::string read_text_file(const std::filesystem::path& path);
// Splits text into lines without their '\n'; a final newline does not add an empty line.
[[nodiscard]] std::vector<std::string> split_lines(std::string_view text);
// size bytes that look random (incompressible) and are the same for the same seed on every run.
[[nodiscard]] std::string seeded_bytes(std::size_t size, std::uint64_t seed);

} // namespace cxrcat::test
