// SPDX-License-Identifier: Apache-2.0
#include "cxrcat/access/terms_ledger.hpp"

#include "cxrcat/files/atomic_file.hpp"
#include "cxrcat/base/digest.hpp"

#include <array>
#include <chrono>
#include <ctime>
#include <fstream>
#include <sstream>

namespace cxrcat {

namespace {

using nlohmann::json;

constexpr int k_ledger_format = 1;

std::optional<Acceptance> parse_entry(const std::string& id, const json& value) {
    if (!value.is_object()) {
        return std::nullopt;
    }
    auto text = [&](const char* key) -> std::optional<std::string> {
        auto it = value.find(key);
        if (it == value.end() || !it->is_string()) {
            return std::nullopt;
        }
        return it->get<std::string>();
    };
    auto digest = text("terms_sha256");
    auto when = text("accepted_at");
    if (!digest || !when || !is_valid_hex_digest(DigestAlgorithm::sha256, *digest)) {
        return std::nullopt;
    }
    return Acceptance{id, *digest, *when, text("license").value_or(""), text("terms_url").value_or("")};
}

std::string stamp_for_file_name(const std::string& iso) {
    std::string out;
    for (char c : iso) {
        if (c != ':' && c != '-') {
            out.push_back(c);
        }
    }
    return out;
}

} // namespace

std::string terms_digest(const Dataset& dataset) {
    // A JSON array keeps the three parts unambiguous (no separator can be forged inside a part).
    json parts = json::array({dataset.license.name, dataset.access.terms, dataset.access.terms_url});
    return sha256_hex(parts.dump());
}

std::string utc_now_iso8601() {
    std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm parts{};
    gmtime_r(&now, &parts);
    std::array<char, 32> buffer{};
    (void)std::strftime(buffer.data(), buffer.size(), "%Y-%m-%dT%H:%M:%SZ", &parts);
    return buffer.data();
}

TermsLedger TermsLedger::open(std::filesystem::path path) {
    TermsLedger ledger;
    ledger.m_path = std::move(path);
    std::ifstream stream(ledger.m_path, std::ios::binary);
    if (!stream) {
        return ledger; // nothing accepted yet
    }
    std::ostringstream content;
    content << stream.rdbuf();
    json document = json::parse(content.str(), nullptr, false);
    if (document.is_discarded() || !document.is_object() || !document.contains("accepted") ||
        !document["accepted"].is_object()) {
        ledger.m_file_damaged = true;
        ledger.m_warnings.push_back(ledger.m_path.string() +
                                    ": the accepted-terms ledger is damaged; treating every dataset's terms as "
                                    "not accepted (the file will be kept aside on the next 'accept')");
        return ledger;
    }
    for (const auto& [id, value] : document["accepted"].items()) {
        if (auto entry = parse_entry(id, value)) {
            ledger.m_entries.emplace(id, std::move(*entry));
        } else {
            ledger.m_unreadable.emplace(id, value);
            ledger.m_warnings.push_back(ledger.m_path.string() + ": entry '" + id +
                                        "' is damaged; treating its terms as not accepted");
        }
    }
    return ledger;
}

TermsStatus TermsLedger::status(const Dataset& dataset) const {
    const Acceptance* entry = find(dataset.id);
    if (entry == nullptr) {
        return TermsStatus::not_accepted;
    }
    return entry->terms_sha256 == terms_digest(dataset) ? TermsStatus::accepted : TermsStatus::lapsed;
}

const Acceptance* TermsLedger::find(std::string_view dataset_id) const {
    auto it = m_entries.find(dataset_id);
    return it == m_entries.end() ? nullptr : &it->second;
}

std::vector<Acceptance> TermsLedger::entries() const {
    std::vector<Acceptance> out;
    for (const auto& [id, entry] : m_entries) {
        out.push_back(entry);
    }
    return out;
}

Result<void> TermsLedger::accept(const Dataset& dataset, const std::string& now_utc) {
    if (m_file_damaged) {
        std::filesystem::path aside = m_path;
        aside += ".damaged-" + stamp_for_file_name(now_utc);
        std::error_code error;
        std::filesystem::copy_file(m_path, aside, std::filesystem::copy_options::overwrite_existing, error);
        if (error) {
            return Error(ErrorCode::local_io, "cannot keep the damaged ledger aside as " + aside.string(),
                         {error.message()});
        }
        m_warnings.push_back("the damaged ledger was kept as " + aside.string());
        m_file_damaged = false;
    }
    m_unreadable.erase(dataset.id);
    m_entries[dataset.id] =
        Acceptance{dataset.id, terms_digest(dataset), now_utc, dataset.license.name, dataset.access.terms_url};
    return save();
}

Result<void> TermsLedger::save() {
    json accepted = json::object();
    for (const auto& [id, value] : m_unreadable) {
        accepted[id] = value;
    }
    for (const auto& [id, entry] : m_entries) {
        accepted[id] = {{"terms_sha256", entry.terms_sha256},
                        {"accepted_at", entry.accepted_at},
                        {"license", entry.license},
                        {"terms_url", entry.terms_url}};
    }
    json document = {{"format", k_ledger_format}, {"accepted", accepted}};
    return write_file_atomically(m_path, document.dump(2) + "\n");
}

} // namespace cxrcat
