// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "cxrcat/base/secret.hpp"
#include "cxrcat/catalog/dataset.hpp"

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace cxrcat {

enum class CredentialKind {
    kaggle_key,   // KAGGLE_USERNAME + KAGGLE_KEY or kaggle.json: HTTP Basic
    kaggle_token, // KAGGLE_API_TOKEN or ~/.kaggle/access_token: Bearer
    huggingface,  // HF_TOKEN, HUGGING_FACE_HUB_TOKEN or $HF_HOME/token: Bearer
    physionet,    // CXRCAT_PHYSIONET_USER/PASSWORD or netrc: HTTP Basic
};

[[nodiscard]] std::string_view to_string(CredentialKind kind);

// One credential and where it was found. The secret cannot be printed; `source` names the
// environment variable or file, never the value.
struct Credential {
    CredentialKind kind;
    std::string user; // empty for tokens
    Secret secret;
    std::string source;
};

// Where each ecosystem keeps its credentials, looked up in a documented order (first match wins):
//   Kaggle:       tokens first (Bearer): KAGGLE_API_TOKEN (value or path to a file), then
//                 access_token[.txt] in $KAGGLE_CONFIG_DIR, ~/.kaggle, ${XDG_CONFIG_HOME:-~/.config}/kaggle;
//                 then the legacy key (Basic): KAGGLE_USERNAME + KAGGLE_KEY, then kaggle.json there
//   Hugging Face: HF_TOKEN, HUGGING_FACE_HUB_TOKEN, $HF_TOKEN_PATH, $HF_HOME/token
//                 (HF_HOME defaults to ${XDG_CACHE_HOME:-~/.cache}/huggingface)
//   PhysioNet:    CXRCAT_PHYSIONET_USER + CXRCAT_PHYSIONET_PASSWORD, then the `machine` entry for
//                 the PhysioNet host in $NETRC or ~/.netrc
// Secret files readable by group or others produce a warning.
class CredentialStore {
  public:
    // Reads the environment and files now; physionet_host is the host netrc is searched for.
    [[nodiscard]] static CredentialStore from_environment(const std::string& physionet_host);

    [[nodiscard]] const std::optional<Credential>& kaggle() const { return m_kaggle; }
    [[nodiscard]] const std::optional<Credential>& huggingface() const { return m_huggingface; }
    [[nodiscard]] const std::optional<Credential>& physionet() const { return m_physionet; }
    // Problems met while looking (unsafe permissions, unreadable files), to show the user.
    [[nodiscard]] const std::vector<std::string>& warnings() const { return m_warnings; }
    // Where a credential of provider's ecosystem is looked up, in order ("" for providers without any).
    [[nodiscard]] std::string lookup_places(Provider provider) const;
    // One sentence per source of dataset that needs a credential none was found for (PhysioNet for a
    // credentialed dataset, Hugging Face for a gated one, Kaggle always), naming where cxrcat looked:
    // said before any request, so that an offline or misconfigured run names the real problem first.
    [[nodiscard]] std::vector<std::string> missing_for(const Dataset& dataset) const;

  private:
    std::string m_physionet_host;
    std::optional<Credential> m_kaggle;
    std::optional<Credential> m_huggingface;
    std::optional<Credential> m_physionet;
    std::vector<std::string> m_warnings;
};

// One `machine` entry of a netrc file.
struct NetrcEntry {
    std::string login;
    Secret password;
};

// Finds the entry for host in netrc text (or the `default` entry); nullopt when absent.
[[nodiscard]] std::optional<NetrcEntry> find_netrc_entry(std::string_view text, std::string_view host);

} // namespace cxrcat
