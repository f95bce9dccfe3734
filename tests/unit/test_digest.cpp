// SPDX-License-Identifier: Apache-2.0
#include "cxrcat/base/digest.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace cxrcat {
namespace {

struct KnownAnswer {
    DigestAlgorithm algorithm;
    std::string input;
    std::string hex;
};

// FIPS 180 / RFC 1321 test vectors.
const std::vector<KnownAnswer> k_vectors{
    {DigestAlgorithm::md5, "", "d41d8cd98f00b204e9800998ecf8427e"},
    {DigestAlgorithm::md5, "abc", "900150983cd24fb0d6963f7d28e17f72"},
    {DigestAlgorithm::sha1, "", "da39a3ee5e6b4b0d3255bfef95601890afd80709"},
    {DigestAlgorithm::sha1, "abc", "a9993e364706816aba3e25717850c26c9cd0d89d"},
    {DigestAlgorithm::sha256, "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
    {DigestAlgorithm::sha256, "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
    {DigestAlgorithm::sha256, "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
     "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
    {DigestAlgorithm::sha512, "",
     "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
     "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e"},
    {DigestAlgorithm::sha512, "abc",
     "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
     "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"},
};

std::string one_shot(DigestAlgorithm algorithm, std::string_view input) {
    Hasher hasher(algorithm);
    hasher.update(input);
    return hasher.finish_hex();
}

TEST(Digest, KnownAnswerVectors) {
    for (const auto& vector : k_vectors) {
        EXPECT_EQ(one_shot(vector.algorithm, vector.input), vector.hex)
            << to_string(vector.algorithm) << "(\"" << vector.input << "\")";
    }
}

TEST(Digest, Sha256HexMatchesKnownAnswers) {
    EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Digest, MillionAsInSmallChunks) {
    // FIPS 180-2 long-message vector, fed in uneven pieces.
    Hasher hasher(DigestAlgorithm::sha256);
    std::string chunk(997, 'a');
    std::size_t fed = 0;
    while (fed < 1'000'000) {
        std::size_t n = std::min(chunk.size(), 1'000'000 - fed);
        hasher.update(std::string_view(chunk).substr(0, n));
        fed += n;
    }
    EXPECT_EQ(hasher.finish_hex(), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Digest, IncrementalUpdateEqualsOneShotAtEverySplit) {
    const std::string text = "The quick brown fox jumps over the lazy dog";
    for (auto algorithm :
         {DigestAlgorithm::md5, DigestAlgorithm::sha1, DigestAlgorithm::sha256, DigestAlgorithm::sha512}) {
        std::string expected = one_shot(algorithm, text);
        for (std::size_t split = 0; split <= text.size(); ++split) {
            Hasher hasher(algorithm);
            hasher.update(std::string_view(text).substr(0, split));
            hasher.update(std::string_view(text).substr(split));
            ASSERT_EQ(hasher.finish_hex(), expected) << to_string(algorithm) << " split at " << split;
        }
    }
}

TEST(Digest, ByteSpanUpdateEqualsTextUpdate) {
    const std::string text = "abc";
    Hasher hasher(DigestAlgorithm::md5);
    hasher.update(std::as_bytes(std::span(text.data(), text.size())));
    EXPECT_EQ(hasher.finish_hex(), "900150983cd24fb0d6963f7d28e17f72");
}

TEST(Digest, BinaryInputIsHashedByteForByte) {
    // Embedded NUL bytes must not end the input.
    const std::string with_nul("a\0b", 3);
    EXPECT_NE(sha256_hex(with_nul), sha256_hex("a"));
    EXPECT_EQ(sha256_hex(with_nul).size(), 64U);
}

TEST(Digest, MovedHasherKeepsItsState) {
    Hasher first(DigestAlgorithm::sha1);
    first.update(std::string_view("ab"));
    Hasher second(std::move(first));
    second.update(std::string_view("c"));
    EXPECT_EQ(second.algorithm(), DigestAlgorithm::sha1);
    EXPECT_EQ(second.finish_hex(), "a9993e364706816aba3e25717850c26c9cd0d89d");

    Hasher third(DigestAlgorithm::md5);
    third = std::move(second);
    EXPECT_EQ(third.algorithm(), DigestAlgorithm::sha1);
}

TEST(Digest, NamesRoundTrip) {
    for (auto algorithm :
         {DigestAlgorithm::md5, DigestAlgorithm::sha1, DigestAlgorithm::sha256, DigestAlgorithm::sha512}) {
        auto parsed = parse_digest_algorithm(to_string(algorithm));
        ASSERT_TRUE(parsed.has_value()) << to_string(algorithm);
        EXPECT_EQ(*parsed, algorithm);
    }
    EXPECT_EQ(to_string(DigestAlgorithm::sha512), "sha512");
    EXPECT_FALSE(parse_digest_algorithm("SHA256").has_value());
    EXPECT_FALSE(parse_digest_algorithm("sha-256").has_value());
    EXPECT_FALSE(parse_digest_algorithm("").has_value());
}

TEST(Digest, HexLengths) {
    EXPECT_EQ(hex_length(DigestAlgorithm::md5), 32U);
    EXPECT_EQ(hex_length(DigestAlgorithm::sha1), 40U);
    EXPECT_EQ(hex_length(DigestAlgorithm::sha256), 64U);
    EXPECT_EQ(hex_length(DigestAlgorithm::sha512), 128U);
    for (const auto& vector : k_vectors) {
        EXPECT_EQ(vector.hex.size(), hex_length(vector.algorithm));
    }
}

TEST(Digest, IsValidHexDigest) {
    for (const auto& vector : k_vectors) {
        EXPECT_TRUE(is_valid_hex_digest(vector.algorithm, vector.hex)) << vector.hex;
    }
    const std::string md5 = "900150983cd24fb0d6963f7d28e17f72";
    EXPECT_FALSE(is_valid_hex_digest(DigestAlgorithm::md5, md5.substr(1)));                      // too short
    EXPECT_FALSE(is_valid_hex_digest(DigestAlgorithm::md5, md5 + "0"));                          // too long
    EXPECT_FALSE(is_valid_hex_digest(DigestAlgorithm::md5, ""));                                 // empty
    EXPECT_FALSE(is_valid_hex_digest(DigestAlgorithm::md5, "900150983CD24FB0D6963F7D28E17F72")); // upper case
    EXPECT_FALSE(is_valid_hex_digest(DigestAlgorithm::md5, "g00150983cd24fb0d6963f7d28e17f72")); // not hex
    EXPECT_FALSE(is_valid_hex_digest(DigestAlgorithm::md5, " 00150983cd24fb0d6963f7d28e17f72")); // space
    EXPECT_FALSE(is_valid_hex_digest(DigestAlgorithm::sha256, md5));                             // wrong algorithm
    EXPECT_TRUE(is_valid_hex_digest(DigestAlgorithm::sha1, std::string(40, 'f')));
}

} // namespace
} // namespace cxrcat
