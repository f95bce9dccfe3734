// SPDX-License-Identifier: Apache-2.0
// Private: --limit-rate for transfers that run one blocking request per thread (`--to s3://`): a
// token bucket shared by the threads, where a receive callback that runs ahead of the rate sleeps
// until its bytes are due. libcurl then stops reading the socket and TCP slows the sender, which
// is how curl's own --limit-rate works. (The download loop, one thread for every connection,
// pauses transfers with ReceiveLimiter instead: it must never sleep.)
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <mutex>

namespace cxrcat::net {

class ReceivePacer {
  public:
    // At most bytes_per_second over every thread that calls pace().
    explicit ReceivePacer(std::uint64_t bytes_per_second);
    [[nodiscard]] std::uint64_t rate() const { return m_rate; }
    // Counts bytes received by any thread and sleeps while the total runs ahead of the rate (by
    // more than a tenth of a second's burst).
    void pace(std::size_t bytes);

  private:
    std::uint64_t m_rate;
    std::mutex m_mutex;
    std::chrono::steady_clock::time_point m_due; // when every byte counted so far is due at the rate
};

} // namespace cxrcat::net
