// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <string_view>

namespace cxrcat {

// A URL safe to print: user info and the values of secret-looking query parameters (token, key,
// signature, X-Amz-*, ...) are replaced by "***". The only URL form that reaches logs and errors.
class RedactedUrl {
  public:
    explicit RedactedUrl(std::string_view url);
    [[nodiscard]] const std::string& str() const { return m_text; }

  private:
    std::string m_text;
};

// The "scheme://host:port" part of url, lowercased ("" when url has no authority).
[[nodiscard]] std::string url_origin(std::string_view url);

} // namespace cxrcat
