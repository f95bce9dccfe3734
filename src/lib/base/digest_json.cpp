// SPDX-License-Identifier: Apache-2.0
#include "cxrcat/base/digest_json.hpp"

namespace cxrcat {

nlohmann::json digests_to_json(const std::map<DigestAlgorithm, std::string>& digests) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [algorithm, hex] : digests) {
        out[std::string(to_string(algorithm))] = hex;
    }
    return out;
}

std::map<DigestAlgorithm, std::string> digests_from_json(const nlohmann::json& value) {
    std::map<DigestAlgorithm, std::string> out;
    if (!value.is_object()) {
        return out;
    }
    for (const auto& [name, hex] : value.items()) {
        auto algorithm = parse_digest_algorithm(name);
        if (algorithm && hex.is_string() && is_valid_hex_digest(*algorithm, hex.get<std::string>())) {
            out.emplace(*algorithm, hex.get<std::string>());
        }
    }
    return out;
}

} // namespace cxrcat
