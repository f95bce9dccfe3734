// SPDX-License-Identifier: Apache-2.0
// Temporary: replaced by the real client in this change set.
#include "providers/provider_common.hpp"

namespace cxrcat::providers {

namespace {

class PendingClient final : public ProviderClient {
public:
    Result<std::vector<ResolvedFile>> resolve(const Dataset& dataset, const Source& /*source*/) override {
        return Error(ErrorCode::internal, dataset.id + ": the physionet route is not implemented yet");
    }
    ProbeResult probe(const Dataset& /*dataset*/, const Source& /*source*/) override {
        return {ProbeStatus::unsupported, "the physionet route is not implemented yet", "", ""};
    }
};

} // namespace

std::unique_ptr<ProviderClient> make_physionet_client(const ProviderContext& /*context*/) {
    return std::make_unique<PendingClient>();
}

} // namespace cxrcat::providers
