// SPDX-License-Identifier: Apache-2.0
#include "cxrcat/base/text.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

namespace cxrcat {
namespace {

TEST(Text, ToLowerIsAsciiOnly) {
    EXPECT_EQ(to_lower("NIH-CXR14"), "nih-cxr14");
    EXPECT_EQ(to_lower("MiXeD 123 _-."), "mixed 123 _-.");
    EXPECT_EQ(to_lower("ÄÖ"), "ÄÖ"); // bytes of multi-byte characters are left alone
    EXPECT_EQ(to_lower(""), "");
}

TEST(Text, ContainsIgnoringCase) {
    EXPECT_TRUE(contains_ignoring_case("Pneumothorax segmentation", "THORAX"));
    EXPECT_TRUE(contains_ignoring_case("abc", ""));
    EXPECT_FALSE(contains_ignoring_case("abc", "abcd"));
    EXPECT_FALSE(contains_ignoring_case("nodule", "nodes"));
}

TEST(Text, EditDistance) {
    EXPECT_EQ(edit_distance("kitten", "sitting"), 3U);
    EXPECT_EQ(edit_distance("sitting", "kitten"), 3U);
    EXPECT_EQ(edit_distance("", ""), 0U);
    EXPECT_EQ(edit_distance("", "abc"), 3U);
    EXPECT_EQ(edit_distance("abc", ""), 3U);
    EXPECT_EQ(edit_distance("jsr", "jsrt"), 1U);
    EXPECT_EQ(edit_distance("luna61", "luna16"), 2U);
    EXPECT_EQ(edit_distance("flaw", "lawn"), 2U);
    // Case does not count: ids are matched case-insensitively.
    EXPECT_EQ(edit_distance("JSRT", "jsrt"), 0U);
}

TEST(Text, HumanSizeUsesDecimalUnits) {
    EXPECT_EQ(human_size(0), "0 B");
    EXPECT_EQ(human_size(12), "12 B");
    EXPECT_EQ(human_size(999), "999 B");
    EXPECT_EQ(human_size(1000), "1.0 KB");
    EXPECT_EQ(human_size(1234), "1.2 KB");
    EXPECT_EQ(human_size(617'000'000), "617 MB");
    EXPECT_EQ(human_size(45'079'862'784), "45 GB"); // NIH ChestX-ray14, as its page quotes it
    EXPECT_EQ(human_size(2'500'000'000'000), "2.5 TB");
    EXPECT_EQ(human_size(3'000'000'000'000'000), "3.0 PB");
}

TEST(Text, HumanSizeRoundsIntoTheNextUnit) {
    // Rounding must never print a four-digit number of a unit: 999,999 bytes is 1.0 MB, not "1000 KB".
    EXPECT_EQ(human_size(999'999), "1.0 MB");
    EXPECT_EQ(human_size(999'500), "1.0 MB");
    EXPECT_EQ(human_size(999'499), "999 KB");
    EXPECT_EQ(human_size(999'999'999'999), "1.0 TB");
    // And never "10.0": from ten upwards there is no decimal.
    EXPECT_EQ(human_size(9'960), "10 KB");
    EXPECT_EQ(human_size(9'940), "9.9 KB");
}

TEST(Text, HumanSizeOfTheLargestValue) {
    std::string text = human_size(std::numeric_limits<std::uint64_t>::max());
    EXPECT_EQ(text, "18447 PB");
}

TEST(Text, GroupThousands) {
    EXPECT_EQ(group_thousands(0), "0");
    EXPECT_EQ(group_thousands(7), "7");
    EXPECT_EQ(group_thousands(999), "999");
    EXPECT_EQ(group_thousands(1000), "1,000");
    EXPECT_EQ(group_thousands(112'120), "112,120");
    EXPECT_EQ(group_thousands(1'234'567), "1,234,567");
    EXPECT_EQ(group_thousands(std::numeric_limits<std::uint64_t>::max()), "18,446,744,073,709,551,615");
}

TEST(Text, Join) {
    EXPECT_EQ(join({}, ", "), "");
    EXPECT_EQ(join({"a"}, ", "), "a");
    EXPECT_EQ(join({"a", "b", "c"}, ", "), "a, b, c");
    EXPECT_EQ(join({"", ""}, "|"), "|");
}

TEST(Text, DisplayWidthCountsCodePoints) {
    EXPECT_EQ(display_width(""), 0U);
    EXPECT_EQ(display_width("abc"), 3U);
    EXPECT_EQ(display_width("é"), 1U); // 2 bytes
    EXPECT_EQ(display_width("—"), 1U); // 3 bytes
    EXPECT_EQ(display_width("…"), 1U); // 3 bytes
    EXPECT_EQ(display_width("Straße — ok"), 11U);
}

TEST(Text, TruncateDisplayLeavesShortTextAlone) {
    EXPECT_EQ(truncate_display("abc", 3), "abc");
    EXPECT_EQ(truncate_display("abc", 10), "abc");
    EXPECT_EQ(truncate_display("", 0), "");
    EXPECT_EQ(truncate_display("héé", 3), "héé");
}

TEST(Text, TruncateDisplayCutsWithEllipsis) {
    EXPECT_EQ(truncate_display("abcdef", 4), "abc…");
    EXPECT_EQ(display_width(truncate_display("abcdef", 4)), 4U);
    EXPECT_EQ(truncate_display("abcdef", 1), "…");
    EXPECT_EQ(truncate_display("abcdef", 0), "");
}

TEST(Text, TruncateDisplayNeverSplitsAMultiByteCharacter) {
    EXPECT_EQ(truncate_display("ééééé", 3), "éé…");
    EXPECT_EQ(truncate_display("a—b—c—d", 4), "a—b…");
    EXPECT_EQ(truncate_display("日本語テキスト", 5), "日本語テ…");
    // Every cut of a mixed string is valid UTF-8 of exactly the asked width.
    const std::string text = "Zürich — Ærø — 北京";
    for (std::size_t width = 1; width < display_width(text); ++width) {
        std::string cut = truncate_display(text, width);
        EXPECT_EQ(display_width(cut), width) << cut;
        EXPECT_EQ(cut.substr(cut.size() - 3), "…") << cut;
        std::string kept = cut.substr(0, cut.size() - 3);
        EXPECT_EQ(text.compare(0, kept.size(), kept), 0) << cut;
        // The kept part ends on a character boundary: the next byte of text starts a character.
        EXPECT_NE(static_cast<unsigned char>(text[kept.size()]) & 0xC0U, 0x80U) << cut;
    }
}

TEST(Text, ParseRateReadsUnitsAsCurlDoes) {
    EXPECT_EQ(parse_rate("100000"), 100000U);
    EXPECT_EQ(parse_rate("512k"), 512U * 1024);
    EXPECT_EQ(parse_rate("50M"), 50U * 1024 * 1024);
    EXPECT_EQ(parse_rate("1.5G"), 3ULL * 512 * 1024 * 1024);
    for (const char* bad : {"", "M", ".", "0", "0.5", "10X", "-5M", "1.2.3", "5 M", "5MB", "99999999999999999999"}) {
        EXPECT_FALSE(parse_rate(bad).has_value()) << bad;
    }
}

} // namespace
} // namespace cxrcat
