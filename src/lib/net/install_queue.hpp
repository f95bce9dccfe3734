// SPDX-License-Identifier: Apache-2.0
// Private: makes verified parts durable and installs them off the download thread, so that one
// file's fsync overlaps the next files' transfers instead of stalling them. Each part is fsynced
// and renamed over its destination; the renames of a batch then share one fsync per directory.
// A file is reported installed only after its bytes and its directory entry are durable, so the
// caller (and the state file after it) never counts a file whose install a crash could undo.
#pragma once

#include "cxrcat/base/result.hpp"
#include "files/part_file.hpp"

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace cxrcat::net {

class InstallQueue {
  public:
    // on_finished runs on the install thread after each batch (e.g. to wake the download loop).
    explicit InstallQueue(std::function<void()> on_finished);
    // Installs what is queued, then stops.
    ~InstallQueue();
    InstallQueue(const InstallQueue&) = delete;
    InstallQueue& operator=(const InstallQueue&) = delete;
    InstallQueue(InstallQueue&&) = delete;
    InstallQueue& operator=(InstallQueue&&) = delete;

    // Queues a verified part; its result comes back from take_finished() under ticket.
    void submit(std::size_t ticket, PartFile part);
    // The installs finished (durable, or failed) since the last call.
    std::vector<std::pair<std::size_t, Result<void>>> take_finished();
    // Parts queued or being installed.
    [[nodiscard]] std::size_t pending() const;

  private:
    struct Item {
        std::size_t ticket;
        PartFile part;
    };
    void run();
    // fsync + rename each part, then one fsync per directory, then the results.
    std::vector<std::pair<std::size_t, Result<void>>> install_batch(std::vector<Item> batch);

    std::function<void()> m_on_finished;
    mutable std::mutex m_mutex;
    std::condition_variable m_changed;
    std::deque<Item> m_queue;
    std::vector<std::pair<std::size_t, Result<void>>> m_finished;
    std::size_t m_pending = 0;
    bool m_stopping = false;
    std::thread m_thread;
};

} // namespace cxrcat::net
