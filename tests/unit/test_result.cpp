// SPDX-License-Identifier: Apache-2.0
#include "cxrcat/base/result.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace cxrcat {
namespace {

Result<int> parse_positive(int value) {
    if (value <= 0) {
        return Error(ErrorCode::usage, "expected a positive number, got " + std::to_string(value));
    }
    return value;
}

Result<void> check_even(int value) {
    if (value % 2 != 0) {
        return Error(ErrorCode::integrity, "odd", {"first note"});
    }
    return {};
}

TEST(Result, HoldsValue) {
    Result<int> result = parse_positive(7);
    ASSERT_TRUE(result.has_value());
    EXPECT_TRUE(static_cast<bool>(result));
    EXPECT_EQ(result.value(), 7);
    EXPECT_EQ(*result, 7);
    EXPECT_EQ(result.value_or(-1), 7);
}

TEST(Result, HoldsError) {
    Result<int> result = parse_positive(-3);
    ASSERT_FALSE(result.has_value());
    EXPECT_FALSE(static_cast<bool>(result));
    EXPECT_EQ(result.error().code(), ErrorCode::usage);
    EXPECT_EQ(result.error().message(), "expected a positive number, got -3");
    EXPECT_TRUE(result.error().notes().empty());
    EXPECT_EQ(result.value_or(-1), -1);
}

TEST(Result, ValueIsMutableThroughReferenceAndArrow) {
    Result<std::string> result = std::string("abc");
    result.value() += "d";
    EXPECT_EQ(*result, "abcd");
    EXPECT_EQ(result->size(), 4U);
    const Result<std::string>& view = result;
    EXPECT_EQ(view->front(), 'a');
    EXPECT_EQ(view.value(), "abcd");
}

TEST(Result, MovesOutMoveOnlyValues) {
    Result<std::unique_ptr<int>> result = std::make_unique<int>(42);
    ASSERT_TRUE(result.has_value());
    std::unique_ptr<int> owned = std::move(result).value();
    ASSERT_NE(owned, nullptr);
    EXPECT_EQ(*owned, 42);
}

TEST(Result, ErrorOfStringResultIsNotConfusedWithValue) {
    // Result<std::string> has both constructors; an Error must land in the error state.
    Result<std::string> result = Error(ErrorCode::not_found, "unknown dataset 'x'");
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().code(), ErrorCode::not_found);
    EXPECT_EQ(result.value_or("fallback"), "fallback");
}

TEST(ResultVoid, DefaultIsSuccess) {
    Result<void> result = check_even(4);
    EXPECT_TRUE(result.has_value());
    EXPECT_TRUE(static_cast<bool>(result));
}

TEST(ResultVoid, CarriesErrorWithNotes) {
    Result<void> result = check_even(3);
    ASSERT_FALSE(result.has_value());
    EXPECT_FALSE(static_cast<bool>(result));
    EXPECT_EQ(result.error().code(), ErrorCode::integrity);
    EXPECT_EQ(result.error().message(), "odd");
    EXPECT_EQ(result.error().notes(), std::vector<std::string>{"first note"});
}

TEST(ResultVoid, CopiesKeepTheirState) {
    Result<void> failed = check_even(1);
    Result<void> copy = failed;
    ASSERT_FALSE(copy.has_value());
    EXPECT_EQ(copy.error().message(), "odd");
    Result<void> ok = check_even(2);
    copy = ok;
    EXPECT_TRUE(copy.has_value());
}

} // namespace
} // namespace cxrcat
