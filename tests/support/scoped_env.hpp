// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <map>
#include <optional>
#include <string>

namespace cxrcat::test {

// Changes this process's environment for one test and restores every touched variable on
// destruction. Not thread-safe (setenv never is): use it only where no other thread runs.
class ScopedEnv {
  public:
    ScopedEnv() = default;
    ~ScopedEnv();
    ScopedEnv(const ScopedEnv&) = delete;
    ScopedEnv& operator=(const ScopedEnv&) = delete;
    ScopedEnv(ScopedEnv&&) = delete;
    ScopedEnv& operator=(ScopedEnv&&) = delete;

    // Sets name=value until destruction.
    void set(const std::string& name, const std::string& value);
    // Removes name until destruction.
    void unset(const std::string& name);

  private:
    void remember(const std::string& name);

    std::map<std::string, std::optional<std::string>> m_saved; // name -> value before the first change
};

} // namespace cxrcat::test
