// SPDX-License-Identifier: Apache-2.0
// `cxrcat check --live`: names checked, probes run (library), results printed, exit code chosen.
#include "check_live.hpp"

#include "cxrcat/base/text.hpp"
#include "cxrcat/providers/live_probe.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <iostream>

namespace cxrcat::cli {

namespace {

// The names asked for, in order and once each (every provider when none is named); an unknown
// name is a usage error.
Result<std::vector<std::string>> live_names(const std::vector<std::string>& names) {
    if (names.empty()) {
        return live_providers();
    }
    std::vector<std::string> out;
    for (const auto& name : names) {
        const auto& known = live_providers();
        if (std::find(known.begin(), known.end(), name) == known.end()) {
            return Error(ErrorCode::usage, "check --live: unknown provider '" + name + "'",
                         {"the providers are: " + join(known, ", ")});
        }
        if (std::find(out.begin(), out.end(), name) == out.end()) {
            out.push_back(name);
        }
    }
    return out;
}

// A provider that cannot be reached leaves the run incomplete, so it outranks a drift: fix the
// network (or proxy) first, then the answers can be judged.
ErrorCode live_code(const std::vector<LiveProbe>& probes) {
    auto has = [&](LiveStatus status) {
        return std::any_of(probes.begin(), probes.end(), [&](const LiveProbe& p) { return p.status == status; });
    };
    return has(LiveStatus::unreachable) ? ErrorCode::network
           : has(LiveStatus::drift)     ? ErrorCode::integrity
                                        : ErrorCode::ok;
}

nlohmann::json live_json(const std::vector<LiveProbe>& probes, ErrorCode code) {
    nlohmann::json rows = nlohmann::json::array();
    for (const auto& probe : probes) {
        nlohmann::json requests = nlohmann::json::array();
        for (const auto& request : probe.requests) {
            requests.push_back({{"method", request.method}, {"url", request.url}, {"status", request.status}});
        }
        rows.push_back({{"provider", probe.provider},
                        {"status", to_string(probe.status)},
                        {"detail", probe.detail},
                        {"field", probe.field},
                        {"requests", requests}});
    }
    return {{"providers", rows}, {"exit_code", exit_code(code)}};
}

void print_live(const std::vector<LiveProbe>& probes, ErrorCode code) {
    for (const auto& probe : probes) {
        std::cout << probe.provider << ": " << to_string(probe.status) << " — " << probe.detail;
        if (!probe.field.empty()) {
            std::cout << " (field: " << probe.field << ")";
        }
        std::cout << '\n';
    }
    auto differing =
        std::count_if(probes.begin(), probes.end(), [](const LiveProbe& p) { return p.status != LiveStatus::ok; });
    if (code == ErrorCode::ok) {
        std::cout << "every provider answers in the shape cxrcat expects\n";
    } else {
        std::cout << differing << " of " << probes.size() << " providers "
                  << (code == ErrorCode::network ? "could not be checked or differ" : "answer in another shape")
                  << '\n';
    }
}

} // namespace

int run_check_live(AppContext& context, const ProviderContext& providers, const std::vector<std::string>& names,
                   const std::string& format) {
    auto chosen = live_names(names);
    if (!chosen) {
        return context.fail(chosen.error());
    }
    std::vector<LiveProbe> probes = probe_live_all(providers, *chosen);
    ErrorCode code = live_code(probes);
    if (format == "json") {
        std::cout << live_json(probes, code).dump(2) << '\n';
    } else {
        print_live(probes, code);
    }
    return exit_code(code);
}

} // namespace cxrcat::cli
