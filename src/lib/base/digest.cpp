// SPDX-License-Identifier: Apache-2.0
// The only file that talks to OpenSSL's digest API.
#include "cxrcat/base/digest.hpp"

#include <openssl/evp.h>

#include <array>
#include <cctype>
#include <stdexcept>
#include <vector>

namespace cxrcat {

namespace {

constexpr std::string_view k_hex_digits = "0123456789abcdef";

std::string bytes_to_hex(std::span<const unsigned char> bytes) {
    std::string out;
    out.reserve(bytes.size() * 2);
    for (unsigned char byte : bytes) {
        out.push_back(k_hex_digits[byte >> 4U]);
        out.push_back(k_hex_digits[byte & 0x0fU]);
    }
    return out;
}

// The value of one hex digit (either case), or nullopt.
std::optional<unsigned> hex_digit_value(char c) {
    std::size_t at = k_hex_digits.find(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    return at == std::string_view::npos ? std::nullopt : std::optional<unsigned>(static_cast<unsigned>(at));
}

const EVP_MD* evp_type(DigestAlgorithm algorithm) {
    switch (algorithm) {
    case DigestAlgorithm::md5: return EVP_md5();
    case DigestAlgorithm::sha1: return EVP_sha1();
    case DigestAlgorithm::sha256: return EVP_sha256();
    case DigestAlgorithm::sha512: return EVP_sha512();
    }
    return EVP_sha256();
}

} // namespace

std::string_view to_string(DigestAlgorithm algorithm) {
    switch (algorithm) {
    case DigestAlgorithm::md5: return "md5";
    case DigestAlgorithm::sha1: return "sha1";
    case DigestAlgorithm::sha256: return "sha256";
    case DigestAlgorithm::sha512: return "sha512";
    }
    return "sha256";
}

std::optional<DigestAlgorithm> parse_digest_algorithm(std::string_view text) {
    for (auto algorithm :
         {DigestAlgorithm::md5, DigestAlgorithm::sha1, DigestAlgorithm::sha256, DigestAlgorithm::sha512}) {
        if (to_string(algorithm) == text) {
            return algorithm;
        }
    }
    return std::nullopt;
}

std::size_t hex_length(DigestAlgorithm algorithm) {
    switch (algorithm) {
    case DigestAlgorithm::md5: return 32;
    case DigestAlgorithm::sha1: return 40;
    case DigestAlgorithm::sha256: return 64;
    case DigestAlgorithm::sha512: return 128;
    }
    return 0;
}

bool is_valid_hex_digest(DigestAlgorithm algorithm, std::string_view text) {
    if (text.size() != hex_length(algorithm)) {
        return false;
    }
    for (char c : text) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            return false;
        }
    }
    return true;
}

struct Hasher::Impl {
    // Nested, not in an anonymous namespace: Impl has external linkage, and its members must too.
    struct EvpContextDeleter {
        void operator()(EVP_MD_CTX* owned) const { EVP_MD_CTX_free(owned); }
    };
    std::unique_ptr<EVP_MD_CTX, EvpContextDeleter> context;
};

Hasher::Hasher(DigestAlgorithm algorithm) : m_algorithm(algorithm), m_impl(std::make_unique<Impl>()) {
    m_impl->context.reset(EVP_MD_CTX_new());
    if (!m_impl->context || EVP_DigestInit_ex(m_impl->context.get(), evp_type(algorithm), nullptr) != 1) {
        // Only an out-of-memory or a broken OpenSSL install gets here.
        throw std::runtime_error("OpenSSL could not start a " + std::string(to_string(algorithm)) + " digest");
    }
}

Hasher::~Hasher() = default;
Hasher::Hasher(Hasher&&) noexcept = default;
Hasher& Hasher::operator=(Hasher&&) noexcept = default;

void Hasher::update(std::span<const std::byte> bytes) {
    if (EVP_DigestUpdate(m_impl->context.get(), bytes.data(), bytes.size()) != 1) {
        throw std::runtime_error("OpenSSL digest update failed");
    }
}

void Hasher::update(std::string_view text) {
    update(std::as_bytes(std::span(text.data(), text.size())));
}

std::string Hasher::finish_hex() {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int length = 0;
    if (EVP_DigestFinal_ex(m_impl->context.get(), digest.data(), &length) != 1) {
        throw std::runtime_error("OpenSSL digest final failed");
    }
    return bytes_to_hex(std::span(digest.data(), length));
}

std::string sha256_hex(std::string_view text) {
    Hasher hasher(DigestAlgorithm::sha256);
    hasher.update(text);
    return hasher.finish_hex();
}

std::string hex_digest_to_base64(std::string_view hex) {
    if (hex.empty() || hex.size() % 2 != 0) {
        return "";
    }
    std::string bytes;
    for (std::size_t i = 0; i < hex.size(); i += 2) {
        auto high = hex_digit_value(hex[i]);
        auto low = hex_digit_value(hex[i + 1]);
        if (!high || !low) {
            return "";
        }
        bytes.push_back(static_cast<char>((*high << 4U) | *low));
    }
    std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
    int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
    out.resize(written > 0 ? static_cast<std::size_t>(written) : 0);
    return out;
}

std::optional<std::string> base64_digest_to_hex(std::string_view base64, DigestAlgorithm algorithm) {
    static constexpr std::string_view k_alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    while (!base64.empty() && base64.back() == '=') {
        base64.remove_suffix(1);
    }
    std::size_t bytes = hex_length(algorithm) / 2;
    if (base64.size() != (4 * bytes + 2) / 3) { // unpadded base64 of `bytes` bytes
        return std::nullopt;
    }
    std::string standard(base64);
    for (char& c : standard) {
        c = c == '-' ? '+' : c == '_' ? '/' : c; // the URL-safe alphabet
        if (k_alphabet.find(c) == std::string_view::npos) {
            return std::nullopt;
        }
    }
    // EVP_DecodeBlock wants whole groups of four; it decodes the padding as zero bytes, cut below.
    standard.append((4 - standard.size() % 4) % 4, '=');
    std::vector<unsigned char> decoded(standard.size() / 4 * 3);
    if (EVP_DecodeBlock(decoded.data(), reinterpret_cast<const unsigned char*>(standard.data()),
                        static_cast<int>(standard.size())) < 0) {
        return std::nullopt;
    }
    return bytes_to_hex(std::span(decoded.data(), bytes));
}

} // namespace cxrcat
