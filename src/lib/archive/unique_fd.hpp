// SPDX-License-Identifier: Apache-2.0
// An owned file descriptor for the extract units.
#pragma once

#include <unistd.h>
#include <utility>

namespace cxrcat::extraction {

// An owned file descriptor. Move-only; never converts to int implicitly.
class Fd {
  public:
    Fd() = default;
    explicit Fd(int fd) : m_fd(fd) {}
    ~Fd() { reset(); }
    Fd(Fd&& other) noexcept : m_fd(std::exchange(other.m_fd, -1)) {}
    Fd& operator=(Fd&& other) noexcept {
        if (this != &other) {
            reset();
            m_fd = std::exchange(other.m_fd, -1);
        }
        return *this;
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;

    // The descriptor, or -1 when none is held.
    [[nodiscard]] int get() const { return m_fd; }
    // True when a descriptor is held.
    [[nodiscard]] bool valid() const { return m_fd >= 0; }
    // Closes now and returns close()'s result, which can report a write lost on the way to disk.
    int close_now() { return ::close(std::exchange(m_fd, -1)); }

  private:
    void reset() {
        if (m_fd >= 0) {
            ::close(std::exchange(m_fd, -1));
        }
    }
    int m_fd = -1;
};

} // namespace cxrcat::extraction
