// SPDX-License-Identifier: Apache-2.0
// Private: where `mirror export` puts a mirror's objects — a local directory or an S3 bucket prefix.
// The export itself (policy, index, notice) is the same for both.
#pragma once

#include "cxrcat/net/download.hpp"
#include "cxrcat/base/polymorphic_base.hpp"
#include "cxrcat/base/result.hpp"
#include "cxrcat/net/s3_settings.hpp"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

namespace cxrcat {

class MirrorTarget : public PolymorphicBase {
  public:
    // Checks that the target can be written (the bucket exists, the credentials are accepted).
    [[nodiscard]] virtual Result<void> open() = 0;
    // Stores the file under key ("sha256/<hex>") unless an object of that size is already there;
    // returns true when it was stored now.
    [[nodiscard]] virtual Result<bool> place(const std::filesystem::path& from, const std::string& key,
                                             std::uint64_t size) = 0;
    // Makes key hold the same bytes as the object at existing (stored earlier by place).
    [[nodiscard]] virtual Result<bool> alias(const std::string& existing, const std::string& key,
                                             const std::filesystem::path& from, std::uint64_t size) = 0;
    // A small file of the mirror (index.json), or nullopt when it does not exist.
    [[nodiscard]] virtual Result<std::optional<std::string>> read_text(const std::string& name) = 0;
    [[nodiscard]] virtual Result<void> write_text(const std::string& name, const std::string& text) = 0;
};

// DIR/<key>, hard-linked where possible, else copied.
[[nodiscard]] std::unique_ptr<MirrorTarget> make_directory_target(std::filesystem::path directory);

// s3://bucket/prefix/<key>.
[[nodiscard]] std::unique_ptr<MirrorTarget> make_s3_target(S3Location location, S3Settings settings,
                                                           std::optional<std::filesystem::path> ca_bundle);

} // namespace cxrcat
