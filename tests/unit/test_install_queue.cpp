// SPDX-License-Identifier: Apache-2.0
#include "net/install_queue.hpp"
#include "support/files.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <map>
#include <mutex>
#include <unistd.h>

namespace cxrcat {
namespace {

namespace fs = std::filesystem;

// Opens destination's part, writes content and a resume record beside it.
PartFile part_with(const fs::path& destination, const std::string& content) {
    auto part = PartFile::open(destination);
    EXPECT_TRUE(part.has_value());
    EXPECT_EQ(::write(part->fd(), content.data(), content.size()), static_cast<ssize_t>(content.size()));
    test::write_text_file(part->meta_path(), "{}\n");
    return std::move(*part);
}

// Waits (bounded) until the queue has reported `count` results, collecting them by ticket.
std::map<std::size_t, Result<void>> wait_for_results(net::InstallQueue& queue, std::size_t count, std::mutex& mutex,
                                                     std::condition_variable& woken) {
    std::map<std::size_t, Result<void>> results;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (results.size() < count && std::chrono::steady_clock::now() < deadline) {
        for (auto& [ticket, result] : queue.take_finished()) {
            results.emplace(ticket, std::move(result));
        }
        std::unique_lock lock(mutex);
        woken.wait_for(lock, std::chrono::milliseconds(20));
    }
    return results;
}

TEST(InstallQueue, InstallsEveryPartAndReportsItOnlyOnceInPlace) {
    test::TempDir dir;
    std::mutex mutex;
    std::condition_variable woken;
    net::InstallQueue queue([&] { woken.notify_all(); });
    for (std::size_t i = 0; i < 20; ++i) {
        queue.submit(i, part_with(dir / "data" / ("f" + std::to_string(i) + ".bin"), "bytes " + std::to_string(i)));
    }
    auto results = wait_for_results(queue, 20, mutex, woken);
    ASSERT_EQ(results.size(), 20U);
    EXPECT_EQ(queue.pending(), 0U);
    for (std::size_t i = 0; i < 20; ++i) {
        fs::path destination = dir / "data" / ("f" + std::to_string(i) + ".bin");
        EXPECT_TRUE(results.at(i).has_value()) << i;
        EXPECT_EQ(test::read_text_file(destination), "bytes " + std::to_string(i));
        EXPECT_FALSE(fs::exists(destination.string() + ".part"));
        EXPECT_FALSE(fs::exists(destination.string() + ".part.json")); // the resume record goes last
    }
}

TEST(InstallQueue, AFailedInstallIsReportedAndKeepsItsPart) {
    test::TempDir dir;
    std::mutex mutex;
    std::condition_variable woken;
    net::InstallQueue queue([&] { woken.notify_all(); });
    fs::path destination = dir / "d" / "x.bin";
    PartFile part = part_with(destination, "abc");
    fs::create_directories(destination); // a directory where the file should go: rename fails
    test::write_text_file(destination / "keep", "in the way");
    queue.submit(7, std::move(part));
    auto results = wait_for_results(queue, 1, mutex, woken);
    ASSERT_EQ(results.count(7), 1U);
    ASSERT_FALSE(results.at(7).has_value());
    EXPECT_EQ(results.at(7).error().code(), ErrorCode::local_io);
    EXPECT_TRUE(fs::exists(destination.string() + ".part")); // kept for a rerun
    EXPECT_TRUE(fs::exists(destination.string() + ".part.json"));
}

} // namespace
} // namespace cxrcat
