// SPDX-License-Identifier: Apache-2.0
// Private: the live probe of each provider (`check --live`) and the session they report through.
#pragma once

#include "cxrcat/net/http_get.hpp"
#include "cxrcat/providers/live_probe.hpp"
#include "providers/provider_common.hpp"

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>

namespace cxrcat::providers {

// Each probe request gives up after this long: `check --live` must never hang.
constexpr std::chrono::seconds k_live_timeout{8};
// A probe reads one small answer (a record, a page of a listing); anything larger is cut off.
constexpr std::size_t k_live_max_body = std::size_t{8} << 20;

// One provider's probe in progress: sends its requests (anonymous, once, with a short timeout),
// records them, and keeps the first difference found.
class LiveSession {
  public:
    LiveSession(const ProviderContext& context, std::string provider);

    [[nodiscard]] const ProviderContext& context() const { return m_context; }
    // A GET of url (Accept: application/json when json) with the probe's timeout and body limit.
    [[nodiscard]] HttpRequest request(std::string url, bool json = true) const;
    // Sends request; nullopt (the probe marked unreachable) when no answer came, or a 429/5xx.
    [[nodiscard]] std::optional<HttpResponse> send(const HttpRequest& request);
    // Adds what a matching answer showed to the detail (while nothing differs).
    void ok(std::string detail);
    // Marks the probe drifted (the first difference wins): what differs, and the field when one does.
    void drift(std::string detail, std::string field = "");
    // Marks the probe unreachable (unless something was already found).
    void unreachable(std::string detail);
    // send(), then unexpected_status() with expected for anything but a 200: the answer only when it is a 200.
    [[nodiscard]] std::optional<HttpResponse> send_expecting_ok(const HttpRequest& request,
                                                                const std::string& expected);
    // drift(): "<METHOD> <url> answered HTTP <status>, expected <expected> (it said: …)".
    void unexpected_status(const HttpRequest& request, const HttpResponse& response, const std::string& expected);
    [[nodiscard]] bool failed() const { return m_result.status != LiveStatus::ok; }
    [[nodiscard]] LiveProbe result() const { return m_result; }

  private:
    const ProviderContext& m_context;
    LiveProbe m_result;
};

// One public Zenodo record's API answer: files with a name, size, md5 and download link.
void probe_zenodo_live(LiveSession& session);
// A credentialed project's SHA256SUMS.txt asked anonymously as Wget: the Basic challenge.
void probe_physionet_live(LiveSession& session);
// A competition's file list, anonymously, on the RPC API and the legacy REST path: refused (401/403).
void probe_kaggle_live(LiveSession& session);
// One page of a public dataset repository's tree: entries with a path and a size.
void probe_huggingface_live(LiveSession& session);
// The IDC API's version (3.x) and one row of a /cohort/manifest page.
void probe_idc_live(LiveSession& session);
// NBIA getSeries of one patient: series with their UIDs, ImageCount and FileSize.
void probe_tcia_live(LiveSession& session);

} // namespace cxrcat::providers
