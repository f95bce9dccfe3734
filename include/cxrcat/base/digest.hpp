// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace cxrcat {

enum class DigestAlgorithm { md5, sha1, sha256, sha512 };

// "md5", "sha1", "sha256", "sha512".
[[nodiscard]] std::string_view to_string(DigestAlgorithm algorithm);
[[nodiscard]] std::optional<DigestAlgorithm> parse_digest_algorithm(std::string_view text);
// Number of lowercase hex characters in a digest of this algorithm.
[[nodiscard]] std::size_t hex_length(DigestAlgorithm algorithm);
// True when text is exactly hex_length(algorithm) lowercase hex characters.
[[nodiscard]] bool is_valid_hex_digest(DigestAlgorithm algorithm, std::string_view text);

// An incremental hash (OpenSSL EVP behind the scenes). Move-only.
class Hasher {
  public:
    explicit Hasher(DigestAlgorithm algorithm);
    ~Hasher();
    Hasher(Hasher&&) noexcept;
    Hasher& operator=(Hasher&&) noexcept;
    Hasher(const Hasher&) = delete;
    Hasher& operator=(const Hasher&) = delete;

    // Feeds bytes into the hash.
    void update(std::span<const std::byte> bytes);
    void update(std::string_view text);
    // Returns the lowercase hex digest; the hasher cannot be updated afterwards.
    [[nodiscard]] std::string finish_hex();
    [[nodiscard]] DigestAlgorithm algorithm() const { return m_algorithm; }

  private:
    struct Impl;
    DigestAlgorithm m_algorithm;
    std::unique_ptr<Impl> m_impl;
};

// The base64 form of a hex digest (as Google Cloud Storage and Storage Transfer Service write MD5s);
// "" when hex is not valid hex.
[[nodiscard]] std::string hex_digest_to_base64(std::string_view hex);

// The lowercase hex of a digest written in base64 (Google Cloud Storage's md5Hash), in the standard
// or the URL-safe alphabet, padded or not; nullopt unless it decodes to exactly the digest's length.
[[nodiscard]] std::optional<std::string> base64_digest_to_hex(std::string_view base64, DigestAlgorithm algorithm);

// Returns the lowercase hex SHA-256 of text.
[[nodiscard]] std::string sha256_hex(std::string_view text);

} // namespace cxrcat
