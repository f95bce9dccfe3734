// SPDX-License-Identifier: Apache-2.0
// Private: what the download loop keeps as CURLOPT_PRIVATE for each running easy handle.
#pragma once

#include "cxrcat/base/polymorphic_base.hpp"
#include "net/receive_limiter.hpp"

namespace cxrcat::net {

enum class AttemptVerdict {
    done,       // finished (and, for a whole file, verified and installed)
    retry,      // a transient failure: try again after a backoff
    failed,     // a final failure
    waiting,    // the first segment of a split file is done; the other segments are still running
    installing, // verified: the part waits for InstallQueue to make it durable and put it in place
};

class CurlTask : public PolymorphicBase {
  public:
    // Every body this task receives from now on counts against limiter (--limit-rate).
    void limit_receive_with(ReceiveLimiter* limiter) { m_limiter = limiter; }

  protected:
    // For the write callback, before it touches the bytes: false means return
    // CURL_WRITEFUNC_PAUSE (libcurl hands the same bytes over again when resumed).
    [[nodiscard]] bool admit_body(CURL* easy, std::size_t bytes) {
        return m_limiter == nullptr || m_limiter->admit(easy, bytes);
    }

  private:
    ReceiveLimiter* m_limiter = nullptr;
};

} // namespace cxrcat::net
