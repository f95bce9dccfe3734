// SPDX-License-Identifier: Apache-2.0
#include "base/chunk_pool.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <vector>

namespace cxrcat {
namespace {

using namespace std::chrono_literals;

TEST(ChunkPool, HandsOutBuffersOfTheChunkSizeAndReusesThem) {
    ChunkPool pool(4096, 4 * 4096);
    std::atomic<std::size_t> held{0};
    std::vector<char> chunk = pool.acquire(held);
    EXPECT_TRUE(chunk.empty());
    EXPECT_GE(chunk.capacity(), 4096U);
    const char* storage = chunk.data();
    EXPECT_EQ(pool.in_use(), 1U);
    pool.release(std::move(chunk));
    EXPECT_EQ(pool.in_use(), 0U);
    std::vector<char> again = pool.acquire(held);
    EXPECT_EQ(again.data(), storage); // the same buffer, not a new allocation
    pool.release(std::move(again));
}

TEST(ChunkPool, AHolderWaitsWhenTheBudgetIsUsedUpUntilABufferComesBack) {
    ChunkPool pool(4096, 2 * 4096);
    std::atomic<std::size_t> held{2};
    std::vector<char> first = pool.acquire(held);
    std::vector<char> second = pool.acquire(held);
    auto third = std::async(std::launch::async, [&] { return pool.acquire(held); });
    EXPECT_EQ(third.wait_for(100ms), std::future_status::timeout); // over budget: it waits
    pool.release(std::move(first));
    ASSERT_EQ(third.wait_for(5s), std::future_status::ready);
    EXPECT_EQ(pool.in_use(), 2U);
    pool.release(third.get());
    pool.release(std::move(second));
    EXPECT_EQ(pool.in_use(), 0U);
}

TEST(ChunkPool, AHolderWithNoBufferGetsOneEvenOverBudget) {
    // Otherwise a new writer could wait forever on buffers that idle writers hold.
    ChunkPool pool(4096, 4096);
    std::atomic<std::size_t> busy{1};
    std::atomic<std::size_t> none{0};
    std::vector<char> taken = pool.acquire(busy);
    auto over = std::async(std::launch::async, [&] { return pool.acquire(none); });
    ASSERT_EQ(over.wait_for(5s), std::future_status::ready);
    EXPECT_EQ(pool.in_use(), 2U);
    pool.release(over.get());
    pool.release(std::move(taken));
    EXPECT_EQ(pool.in_use(), 0U);
}

} // namespace
} // namespace cxrcat
