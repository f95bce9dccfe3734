// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "cxrcat/base/result.hpp"

#include <filesystem>
#include <functional>
#include <string>

namespace cxrcat {

// A lock on one dataset directory (flock on `<dir>/.cxrcat/lock`), so two processes never write the
// same files. The kernel drops it when the holder dies: a stale lock never blocks. Shards of one
// dataset run side by side (on one machine or several sharing the directory over NFS or Lustre):
// each holds the dataset lock shared and its own shard lock (`lock.shard-K-of-N`) exclusively, so
// shards never wait for each other, while an unsharded fetch or a verify waits for all of them.
class DatasetLock {
  public:
    // Takes the lock, waiting if another process holds it; on_wait is called once, with a
    // description of the holder ("pid 1234: cxrcat fetch jsrt"), before waiting. A non-empty
    // shard_tag takes the shared dataset lock plus that shard's exclusive lock.
    [[nodiscard]] static Result<DatasetLock> acquire(const std::filesystem::path& dataset_dir,
                                                     const std::string& holder_description,
                                                     const std::function<void(const std::string&)>& on_wait,
                                                     const std::string& shard_tag = "");
    DatasetLock(DatasetLock&& other) noexcept;
    DatasetLock& operator=(DatasetLock&& other) noexcept;
    DatasetLock(const DatasetLock&) = delete;
    DatasetLock& operator=(const DatasetLock&) = delete;
    ~DatasetLock();

  private:
    explicit DatasetLock(int fd) : m_fd(fd) {}
    int m_fd = -1;
    int m_shard_fd = -1;
};

} // namespace cxrcat
