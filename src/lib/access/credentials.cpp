// SPDX-License-Identifier: Apache-2.0
#include "cxrcat/access/credentials.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <sys/stat.h>

namespace cxrcat {

namespace {

std::string env(const char* name) {
    const char* value = std::getenv(name); // NOLINT(concurrency-mt-unsafe): read before threads start
    return value ? value : "";
}

std::filesystem::path home() {
    std::string value = env("HOME");
    return value.empty() ? std::filesystem::path("/") : std::filesystem::path(value);
}

std::string trim(const std::string& text) {
    std::size_t start = text.find_first_not_of(" \t\r\n");
    std::size_t end = text.find_last_not_of(" \t\r\n");
    return start == std::string::npos ? std::string{} : text.substr(start, end - start + 1);
}

class Finder {
  public:
    explicit Finder(std::vector<std::string>& warnings) : m_warnings(warnings) {}

    // The file's content, or nullopt when it does not exist. Warns when others can read it.
    std::optional<std::string> read_secret_file(const std::filesystem::path& path) {
        struct stat info {};
        if (::stat(path.c_str(), &info) != 0 || !S_ISREG(info.st_mode)) {
            return std::nullopt;
        }
        if ((info.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
            m_warnings.push_back(path.string() + " is readable by group or others; run: chmod 600 " + path.string());
        }
        std::ifstream stream(path);
        if (!stream) {
            m_warnings.push_back(path.string() + " exists but cannot be read");
            return std::nullopt;
        }
        std::stringstream content;
        content << stream.rdbuf();
        return content.str();
    }

    // kaggle-cli's order (kaggle_api_extended.py authenticate(), api-drift-2026.md §6.2): an access
    // token (KAGGLE_API_TOKEN, then access_token files) as Bearer, then the legacy key pair as Basic.
    std::optional<Credential> kaggle() {
        auto directories = kaggle_directories();
        if (auto token = kaggle_token(directories)) {
            return token;
        }
        if (std::string user = env("KAGGLE_USERNAME"), key = env("KAGGLE_KEY"); !user.empty() && !key.empty()) {
            return Credential{CredentialKind::kaggle_key, user, Secret(key), "environment KAGGLE_USERNAME/KAGGLE_KEY"};
        }
        for (const auto& directory : directories) {
            if (auto content = read_secret_file(directory / "kaggle.json")) {
                auto parsed = nlohmann::json::parse(*content, nullptr, false);
                // Checked by type first: value() would throw on a username that is not a string.
                auto is_text = [&parsed](const char* name) {
                    auto it = parsed.find(name);
                    return it != parsed.end() && it->is_string() && !it->get_ref<const std::string&>().empty();
                };
                if (parsed.is_object() && is_text("username") && is_text("key")) {
                    return Credential{CredentialKind::kaggle_key, parsed["username"].get<std::string>(),
                                      Secret(parsed["key"].get<std::string>()),
                                      "file " + (directory / "kaggle.json").string()};
                }
                m_warnings.push_back((directory / "kaggle.json").string() +
                                     R"( is not {"username": ..., "key": ...}; ignored)");
            }
        }
        return std::nullopt;
    }

    static std::vector<std::filesystem::path> kaggle_directories() {
        std::vector<std::filesystem::path> directories;
        if (std::string dir = env("KAGGLE_CONFIG_DIR"); !dir.empty()) {
            directories.emplace_back(dir);
        }
        directories.push_back(home() / ".kaggle");
        std::string xdg = env("XDG_CONFIG_HOME");
        directories.push_back((xdg.empty() ? home() / ".config" : std::filesystem::path(xdg)) / "kaggle");
        return directories;
    }

    std::optional<Credential> kaggle_token(const std::vector<std::filesystem::path>& directories) {
        if (std::string token = env("KAGGLE_API_TOKEN"); !token.empty()) {
            // The variable holds the token itself, or the path of a file holding it.
            if (token.find('/') != std::string::npos) {
                if (auto content = read_secret_file(token)) {
                    return Credential{CredentialKind::kaggle_token, "", Secret(trim(*content)),
                                      "file " + token + " (KAGGLE_API_TOKEN)"};
                }
            }
            return Credential{CredentialKind::kaggle_token, "", Secret(trim(token)), "environment KAGGLE_API_TOKEN"};
        }
        for (const auto& directory : directories) {
            for (const char* name : {"access_token", "access_token.txt"}) {
                if (auto token = read_secret_file(directory / name); token && !trim(*token).empty()) {
                    return Credential{CredentialKind::kaggle_token, "", Secret(trim(*token)),
                                      "file " + (directory / name).string()};
                }
            }
        }
        return std::nullopt;
    }

    std::optional<Credential> huggingface() {
        for (const char* name : {"HF_TOKEN", "HUGGING_FACE_HUB_TOKEN"}) {
            if (std::string token = trim(env(name)); !token.empty()) {
                return Credential{CredentialKind::huggingface, "", Secret(token), std::string("environment ") + name};
            }
        }
        std::filesystem::path path = env("HF_TOKEN_PATH");
        if (path.empty()) {
            std::filesystem::path hf_home = env("HF_HOME");
            if (hf_home.empty()) {
                std::string cache = env("XDG_CACHE_HOME");
                hf_home = (cache.empty() ? home() / ".cache" : std::filesystem::path(cache)) / "huggingface";
            }
            path = hf_home / "token";
        }
        if (auto token = read_secret_file(path); token && !trim(*token).empty()) {
            return Credential{CredentialKind::huggingface, "", Secret(trim(*token)), "file " + path.string()};
        }
        return std::nullopt;
    }

    std::optional<Credential> physionet(const std::string& host) {
        if (std::string user = env("CXRCAT_PHYSIONET_USER"), password = env("CXRCAT_PHYSIONET_PASSWORD");
            !user.empty() && !password.empty()) {
            return Credential{CredentialKind::physionet, user, Secret(password),
                              "environment CXRCAT_PHYSIONET_USER/CXRCAT_PHYSIONET_PASSWORD"};
        }
        std::filesystem::path netrc = env("NETRC");
        if (netrc.empty()) {
            netrc = home() / ".netrc";
        }
        if (auto content = read_secret_file(netrc)) {
            if (auto entry = find_netrc_entry(*content, host)) {
                return Credential{CredentialKind::physionet, entry->login, entry->password,
                                  "file " + netrc.string() + " (machine " + host + ")"};
            }
        }
        return std::nullopt;
    }

  private:
    std::vector<std::string>& m_warnings;
};

} // namespace

std::string_view to_string(CredentialKind kind) {
    switch (kind) {
    case CredentialKind::kaggle_key: return "Kaggle API key";
    case CredentialKind::kaggle_token: return "Kaggle API token";
    case CredentialKind::huggingface: return "Hugging Face token";
    case CredentialKind::physionet: return "PhysioNet account";
    }
    return "credential";
}

CredentialStore CredentialStore::from_environment(const std::string& physionet_host) {
    CredentialStore store;
    store.m_physionet_host = physionet_host;
    Finder finder(store.m_warnings);
    store.m_kaggle = finder.kaggle();
    store.m_huggingface = finder.huggingface();
    store.m_physionet = finder.physionet(physionet_host);
    return store;
}

std::string CredentialStore::lookup_places(Provider provider) const {
    switch (provider) {
    case Provider::kaggle:
        return "KAGGLE_API_TOKEN (a token or a file path), access_token in $KAGGLE_CONFIG_DIR, ~/.kaggle or "
               "${XDG_CONFIG_HOME:-~/.config}/kaggle, then KAGGLE_USERNAME + KAGGLE_KEY, then kaggle.json in "
               "those directories";
    case Provider::huggingface:
        return "HF_TOKEN, HUGGING_FACE_HUB_TOKEN, $HF_TOKEN_PATH, $HF_HOME/token (HF_HOME defaults to "
               "${XDG_CACHE_HOME:-~/.cache}/huggingface)";
    case Provider::physionet:
        return "CXRCAT_PHYSIONET_USER + CXRCAT_PHYSIONET_PASSWORD, then the 'machine " + m_physionet_host +
               "' entry of $NETRC or ~/.netrc";
    default: return "";
    }
}

std::vector<std::string> CredentialStore::missing_for(const Dataset& dataset) const {
    std::vector<std::string> out;
    std::vector<Provider> said; // one sentence per ecosystem, however many sources use it
    auto add = [&](Provider provider, const std::optional<Credential>& found, std::string_view what) {
        if (!found && std::find(said.begin(), said.end(), provider) == said.end()) {
            said.push_back(provider);
            out.push_back(dataset.id + ": no " + std::string(what) + " found (looked in " + lookup_places(provider) +
                          ")");
        }
    };
    for (const auto& source : dataset.sources) {
        if (source.status == SourceStatus::withdrawn) {
            continue;
        }
        if (source.provider == Provider::kaggle) {
            add(Provider::kaggle, m_kaggle, "Kaggle credentials");
        } else if (source.provider == Provider::physionet && dataset.access.access_class == AccessClass::credentialed) {
            add(Provider::physionet, m_physionet, "PhysioNet credentials");
        } else if (source.provider == Provider::huggingface && dataset.access.access_class == AccessClass::gated) {
            add(Provider::huggingface, m_huggingface, "Hugging Face token");
        }
    }
    return out;
}

std::optional<NetrcEntry> find_netrc_entry(std::string_view text, std::string_view host) {
    // Tokens separated by whitespace: machine NAME | default, then login X, password Y (any order).
    std::vector<std::string> tokens;
    std::istringstream stream{std::string(text)};
    for (std::string token; stream >> token;) {
        tokens.push_back(token);
    }
    std::optional<NetrcEntry> fallback;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        bool is_machine = tokens[i] == "machine" && i + 1 < tokens.size();
        bool is_default = tokens[i] == "default";
        if (!is_machine && !is_default) {
            continue;
        }
        bool matches = is_machine && tokens[i + 1] == host;
        std::size_t j = i + (is_machine ? 2 : 1);
        NetrcEntry entry;
        for (; j + 1 < tokens.size() && tokens[j] != "machine" && tokens[j] != "default"; j += 2) {
            if (tokens[j] == "login") {
                entry.login = tokens[j + 1];
            } else if (tokens[j] == "password") {
                entry.password = Secret(tokens[j + 1]);
            }
        }
        if (matches && !entry.login.empty()) {
            return entry;
        }
        if (is_default && !entry.login.empty()) {
            fallback = std::move(entry);
        }
    }
    return fallback;
}

} // namespace cxrcat
