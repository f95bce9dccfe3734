// SPDX-License-Identifier: Apache-2.0
// Digest maps in JSON form ({"sha256": "<hex>", ...}), as the state, lock and command outputs write them.
#pragma once

#include "cxrcat/base/digest.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <string>

namespace cxrcat {

// An object keyed by algorithm name ("sha256", "md5", ...) with lowercase hex values.
[[nodiscard]] nlohmann::json digests_to_json(const std::map<DigestAlgorithm, std::string>& digests);

// The digests of such an object; unknown algorithms and malformed hex are dropped.
[[nodiscard]] std::map<DigestAlgorithm, std::string> digests_from_json(const nlohmann::json& value);

} // namespace cxrcat
