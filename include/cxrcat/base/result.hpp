// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "cxrcat/base/error.hpp"

#include <cassert>
#include <utility>
#include <variant>

namespace cxrcat {

// A value or an Error, shaped like std::expected (which GCC 12 / clang-tidy 14 lack).
template <typename T> class [[nodiscard]] Result {
  public:
    Result(T value) : m_state(std::in_place_index<0>, std::move(value)) {}     // NOLINT(google-explicit-constructor)
    Result(Error error) : m_state(std::in_place_index<1>, std::move(error)) {} // NOLINT(google-explicit-constructor)

    [[nodiscard]] bool has_value() const { return m_state.index() == 0; }
    explicit operator bool() const { return has_value(); }

    // Precondition: has_value().
    [[nodiscard]] T& value() & {
        assert(has_value());
        return std::get<0>(m_state);
    }
    [[nodiscard]] const T& value() const& {
        assert(has_value());
        return std::get<0>(m_state);
    }
    [[nodiscard]] T&& value() && {
        assert(has_value());
        return std::get<0>(std::move(m_state));
    }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

    // Precondition: !has_value().
    [[nodiscard]] const Error& error() const {
        assert(!has_value());
        return std::get<1>(m_state);
    }

    // Returns the value, or fallback when this holds an error.
    [[nodiscard]] T value_or(T fallback) const& { return has_value() ? value() : std::move(fallback); }

  private:
    std::variant<T, Error> m_state;
};

// Result<void>: success or an Error.
template <> class [[nodiscard]] Result<void> {
  public:
    Result() = default;
    Result(Error error) : m_error(std::move(error)), m_failed(true) {} // NOLINT(google-explicit-constructor)

    [[nodiscard]] bool has_value() const { return !m_failed; }
    explicit operator bool() const { return has_value(); }

    // Precondition: !has_value().
    [[nodiscard]] const Error& error() const {
        assert(m_failed);
        return m_error;
    }

  private:
    Error m_error{ErrorCode::ok, {}};
    bool m_failed = false;
};

} // namespace cxrcat
