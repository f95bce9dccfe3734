// SPDX-License-Identifier: Apache-2.0
// Private: what the download loop keeps as CURLOPT_PRIVATE for each running easy handle.
#pragma once

namespace cxrcat::net {

enum class AttemptVerdict {
    done,       // finished (and, for a whole file, verified and installed)
    retry,      // a transient failure: try again after a backoff
    failed,     // a final failure
    waiting,    // the first segment of a split file is done; the other segments are still running
    installing, // verified: the part waits for InstallQueue to make it durable and put it in place
};

class CurlTask {
  public:
    CurlTask() = default;
    virtual ~CurlTask() = default;
    CurlTask(const CurlTask&) = delete;
    CurlTask& operator=(const CurlTask&) = delete;
    CurlTask(CurlTask&&) = delete;
    CurlTask& operator=(CurlTask&&) = delete;
};

} // namespace cxrcat::net
