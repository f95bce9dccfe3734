// SPDX-License-Identifier: Apache-2.0
// Private: one piece of work per index, shared out over threads that each take the next index.
#pragma once

#include <cstddef>
#include <functional>

namespace cxrcat {

// Calls each(i) for every i below count on `threads` threads (0 = every core; never more threads
// than items); returns when all are done. each must be safe to call from several threads at once.
void parallel_for(std::size_t count, unsigned threads, const std::function<void(std::size_t)>& each);

} // namespace cxrcat
