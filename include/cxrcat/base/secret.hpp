// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <utility>

namespace cxrcat {

// A credential that cannot be printed: no stream operator, no implicit conversion. Reading it
// takes an explicit reveal(), which is only called where the secret is handed to libcurl.
class Secret {
  public:
    Secret() = default;
    explicit Secret(std::string value) : m_value(std::move(value)) {}

    [[nodiscard]] const std::string& reveal() const { return m_value; }
    [[nodiscard]] bool empty() const { return m_value.empty(); }
    // "****cdef"-style hint for doctor/check output: the last four characters at most.
    [[nodiscard]] std::string masked() const {
        return m_value.size() <= 8 ? std::string("****") : "****" + m_value.substr(m_value.size() - 4);
    }

  private:
    std::string m_value;
};

} // namespace cxrcat
