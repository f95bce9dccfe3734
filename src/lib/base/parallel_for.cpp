// SPDX-License-Identifier: Apache-2.0
#include "base/parallel_for.hpp"

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

namespace cxrcat {

void parallel_for(std::size_t count, unsigned threads, const std::function<void(std::size_t)>& each) {
    unsigned workers = threads != 0 ? threads : std::max(1U, std::thread::hardware_concurrency());
    workers = static_cast<unsigned>(std::min<std::size_t>(workers, count));
    std::atomic<std::size_t> next{0};
    std::vector<std::thread> pool;
    for (unsigned t = 0; t < workers; ++t) {
        pool.emplace_back([&] {
            for (std::size_t i = next++; i < count; i = next++) {
                each(i);
            }
        });
    }
    for (auto& thread : pool) {
        thread.join();
    }
}

} // namespace cxrcat
