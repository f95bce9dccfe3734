// SPDX-License-Identifier: Apache-2.0
#include "base/shared_library.hpp"
#include "cxrcat/base/error.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <string>

namespace cxrcat {
namespace {

// The message of what `call` throws, or "" when it throws nothing.
template <typename Call> std::string thrown_message(Call call) {
    try {
        call();
    } catch (const LibraryUnavailable& error) {
        return error.what() + std::string(" [") + error.package() + "]";
    }
    return "";
}

TEST(SharedLibrary, FindsAFunctionOfALibraryByItsSoname) {
    SharedLibrary libm("libm.so.6", "libc6");
    auto* real_cos = library_function<double(double)>(libm, "cos");
    ASSERT_NE(real_cos, nullptr);
    EXPECT_DOUBLE_EQ(real_cos(0.5), std::cos(0.5));
}

TEST(SharedLibrary, AMissingLibraryNamesItsSonameAndPackage) {
    SharedLibrary missing("libcxrcat-no-such-library.so.7", "libcxrcat-nothing7");
    std::string message = thrown_message([&] { (void)missing.function("anything"); });
    EXPECT_EQ(message.rfind("cannot load libcxrcat-no-such-library.so.7: ", 0), 0U) << message;
    EXPECT_TRUE(message.ends_with(" [libcxrcat-nothing7]")) << message;
}

TEST(SharedLibrary, AMissingFunctionNamesTheFunctionAndLibrary) {
    SharedLibrary libm("libm.so.6", "libc6");
    std::string message = thrown_message([&] { (void)libm.function("cxrcat_no_such_function"); });
    EXPECT_EQ(message.rfind("cannot find cxrcat_no_such_function in libm.so.6", 0), 0U) << message;
}

} // namespace
} // namespace cxrcat
