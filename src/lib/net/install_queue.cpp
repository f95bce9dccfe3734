// SPDX-License-Identifier: Apache-2.0
#include "net/install_queue.hpp"

#include <map>

namespace cxrcat::net {

namespace {

// A batch is what queued up while the previous batch was being made durable; bounded so that the
// first files of a long burst are reported without waiting for the whole burst.
constexpr std::size_t k_max_install_batch = 32;

} // namespace

InstallQueue::InstallQueue(std::function<void()> on_finished) : m_on_finished(std::move(on_finished)) {
    m_thread = std::thread([this] { run(); });
}

InstallQueue::~InstallQueue() {
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_changed.notify_all();
    if (m_thread.joinable()) {
        m_thread.join();
    }
}

void InstallQueue::submit(std::size_t ticket, PartFile part) {
    {
        std::lock_guard lock(m_mutex);
        m_queue.push_back(Item{ticket, std::move(part)});
        ++m_pending;
    }
    m_changed.notify_all();
}

std::vector<std::pair<std::size_t, Result<void>>> InstallQueue::take_finished() {
    std::lock_guard lock(m_mutex);
    return std::exchange(m_finished, {});
}

std::size_t InstallQueue::pending() const {
    std::lock_guard lock(m_mutex);
    return m_pending;
}

std::vector<std::pair<std::size_t, Result<void>>> InstallQueue::install_batch(std::vector<Item> batch) {
    std::vector<std::pair<std::size_t, Result<void>>> results;
    std::map<std::filesystem::path, std::vector<std::size_t>> renamed_into; // directory -> indexes in results
    for (auto& item : batch) {
        Result<void> renamed = item.part.rename_into_place();
        if (renamed) {
            renamed_into[item.part.destination().parent_path()].push_back(results.size());
        }
        results.emplace_back(item.ticket, std::move(renamed));
    }
    // Only now are the renames durable; until then no file of the batch counts as installed.
    for (const auto& [directory, indexes] : renamed_into) {
        Result<void> synced = sync_directory(directory);
        for (std::size_t index : indexes) {
            results[index].second = synced;
        }
    }
    for (std::size_t i = 0; i < batch.size(); ++i) {
        if (results[i].second) {
            batch[i].part.remove_meta();
        }
    }
    return results;
}

void InstallQueue::run() {
    std::unique_lock lock(m_mutex);
    while (true) {
        m_changed.wait(lock, [this] { return !m_queue.empty() || m_stopping; });
        if (m_queue.empty()) {
            return; // stopping and drained
        }
        std::vector<Item> batch;
        while (!m_queue.empty() && batch.size() < k_max_install_batch) {
            batch.push_back(std::move(m_queue.front()));
            m_queue.pop_front();
        }
        lock.unlock();
        auto results = install_batch(std::move(batch));
        lock.lock();
        m_pending -= results.size();
        for (auto& result : results) {
            m_finished.push_back(std::move(result));
        }
        lock.unlock();
        if (m_on_finished) {
            m_on_finished();
        }
        lock.lock();
    }
}

} // namespace cxrcat::net
