// SPDX-License-Identifier: Apache-2.0
// S3 addressing and the AWS conventions for credentials, region and endpoint (the AWS CLI's
// "Configuration and credential file settings" and "Environment variables" pages).
#include "cxrcat/net/s3_settings.hpp"

#include "cxrcat/base/text.hpp"

#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <sys/stat.h>

namespace cxrcat {

namespace {

using IniSections = std::map<std::string, std::map<std::string, std::string>>;

std::string s3_env(const char* name) {
    const char* value = std::getenv(name); // NOLINT(concurrency-mt-unsafe): read before threads start
    return value ? value : "";
}

std::string s3_trim(std::string_view text) {
    std::size_t start = text.find_first_not_of(" \t\r\n");
    std::size_t end = text.find_last_not_of(" \t\r\n");
    return start == std::string_view::npos ? std::string{} : std::string(text.substr(start, end - start + 1));
}

std::filesystem::path aws_file(const char* variable, const char* name) {
    if (std::string value = s3_env(variable); !value.empty()) {
        return value;
    }
    std::string home = s3_env("HOME");
    return std::filesystem::path(home.empty() ? "/" : home) / ".aws" / name;
}

// The sections of an AWS ini file ("" when absent); `key = value` lines, '#' and ';' comments.
std::optional<IniSections> read_aws_ini(const std::filesystem::path& path, std::vector<std::string>& warnings) {
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0 || !S_ISREG(info.st_mode)) {
        return std::nullopt;
    }
    std::ifstream stream(path);
    if (!stream) {
        warnings.push_back(path.string() + " exists but cannot be read");
        return std::nullopt;
    }
    IniSections sections;
    std::string section;
    std::string line;
    bool has_secret = false;
    while (std::getline(stream, line)) {
        std::string text = s3_trim(line);
        if (text.empty() || text[0] == '#' || text[0] == ';') {
            continue;
        }
        if (text.front() == '[' && text.back() == ']') {
            section = s3_trim(std::string_view(text).substr(1, text.size() - 2));
            sections[section];
            continue;
        }
        std::size_t equals = text.find('=');
        if (equals != std::string::npos && !section.empty()) {
            std::string key = s3_trim(std::string_view(text).substr(0, equals));
            sections[section][key] = s3_trim(std::string_view(text).substr(equals + 1));
            has_secret = has_secret || key == "aws_secret_access_key";
        }
    }
    if (has_secret && (info.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
        warnings.push_back(path.string() + " is readable by group or others; run: chmod 600 " + path.string());
    }
    return sections;
}

const std::map<std::string, std::string>* find_section(const std::optional<IniSections>& ini, const std::string& name) {
    if (!ini) {
        return nullptr;
    }
    auto it = ini->find(name);
    return it == ini->end() ? nullptr : &it->second;
}

std::string value_of(const std::map<std::string, std::string>* section, const std::string& key) {
    if (section == nullptr) {
        return {};
    }
    auto it = section->find(key);
    return it == section->end() ? std::string{} : it->second;
}

// Credentials of a profile section, when it holds a key pair.
bool take_profile_keys(S3Settings& settings, const std::map<std::string, std::string>* section,
                       const std::string& source) {
    std::string id = value_of(section, "aws_access_key_id");
    std::string secret = value_of(section, "aws_secret_access_key");
    if (id.empty() || secret.empty()) {
        return false;
    }
    settings.access_key_id = id;
    settings.secret_access_key = Secret(secret);
    settings.session_token = Secret(value_of(section, "aws_session_token"));
    settings.credentials_source = source;
    return true;
}

bool valid_bucket_name(std::string_view name) {
    if (name.size() < 3 || name.size() > 63) {
        return false;
    }
    for (char c : name) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
                  (c >= 'A' && c <= 'Z');
        if (!ok) {
            return false;
        }
    }
    return true;
}

} // namespace

std::string S3Location::key(std::string_view relative) const {
    return prefix.empty() ? std::string(relative) : prefix + "/" + std::string(relative);
}

std::string S3Location::str() const {
    return "s3://" + bucket + (prefix.empty() ? "" : "/" + prefix);
}

bool is_s3_url(std::string_view text) {
    return text.rfind("s3://", 0) == 0;
}

bool has_url_scheme(std::string_view text) {
    std::size_t colon = text.find("://");
    if (colon == std::string_view::npos || colon == 0) {
        return false;
    }
    for (char c : text.substr(0, colon)) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' || c == '-' ||
                  c == '.';
        if (!ok) {
            return false;
        }
    }
    return true;
}

Result<S3Location> parse_s3_url(std::string_view text) {
    if (!is_s3_url(text)) {
        return Error(ErrorCode::usage, "not an s3:// URL: " + std::string(text));
    }
    std::string_view rest = text.substr(5);
    std::size_t slash = rest.find('/');
    S3Location location;
    location.bucket = std::string(rest.substr(0, slash));
    if (!valid_bucket_name(location.bucket)) {
        return Error(ErrorCode::usage, "invalid bucket name in " + std::string(text),
                     {"a bucket name has 3 to 63 letters, digits, '.', '-' or '_'", "write s3://BUCKET/PREFIX"});
    }
    std::string_view prefix = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash + 1);
    while (!prefix.empty() && prefix.back() == '/') {
        prefix.remove_suffix(1);
    }
    while (!prefix.empty() && prefix.front() == '/') {
        prefix.remove_prefix(1);
    }
    location.prefix = std::string(prefix);
    return location;
}

std::string S3Settings::object_url(const std::string& bucket, std::string_view key) const {
    if (endpoint.empty()) {
        return "https://" + bucket + ".s3." + region + ".amazonaws.com/" + url_encode(key, true);
    }
    std::string base = endpoint;
    while (!base.empty() && base.back() == '/') {
        base.pop_back();
    }
    return base + "/" + bucket + "/" + url_encode(key, true);
}

std::string S3Settings::describe_credentials() const {
    if (!has_credentials()) {
        return "no credentials: requests are unsigned (set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or "
               "AWS_PROFILE)";
    }
    return "credentials: " + credentials_source + " (access key " + mask_access_key(access_key_id) + ")";
}

AwsSigV4 aws_signing(const S3Settings& settings) {
    AwsSigV4 signing;
    signing.region = settings.region;
    signing.access_key_id = settings.access_key_id;
    signing.secret_access_key = settings.secret_access_key;
    signing.session_token = settings.session_token;
    signing.request_payer = settings.request_payer;
    return signing;
}

std::string mask_access_key(std::string_view access_key_id) {
    return Secret(std::string(access_key_id)).masked();
}

Result<S3Settings> s3_settings_from_environment() {
    S3Settings settings;
    std::string profile = s3_env("AWS_PROFILE");
    bool profile_chosen = !profile.empty();
    if (!profile_chosen) {
        profile = "default";
    }
    std::filesystem::path credentials_path = aws_file("AWS_SHARED_CREDENTIALS_FILE", "credentials");
    std::filesystem::path config_path = aws_file("AWS_CONFIG_FILE", "config");
    auto credentials_ini = read_aws_ini(credentials_path, settings.warnings);
    auto config_ini = read_aws_ini(config_path, settings.warnings);
    const auto* credentials_section = find_section(credentials_ini, profile);
    const auto* config_section =
        find_section(config_ini, profile == "default" ? std::string("default") : "profile " + profile);
    if (config_section == nullptr && profile == "default") {
        config_section = find_section(config_ini, "profile default");
    }

    std::string id = s3_env("AWS_ACCESS_KEY_ID");
    std::string secret = s3_env("AWS_SECRET_ACCESS_KEY");
    if (!id.empty() && !secret.empty()) {
        settings.access_key_id = id;
        settings.secret_access_key = Secret(secret);
        settings.session_token = Secret(s3_env("AWS_SESSION_TOKEN"));
        settings.credentials_source = "environment AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY";
    } else if (!id.empty() || !secret.empty()) {
        std::string missing = id.empty() ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY";
        std::string present = id.empty() ? "AWS_SECRET_ACCESS_KEY" : "AWS_ACCESS_KEY_ID";
        return Error(ErrorCode::access_denied, present + " is set but " + missing + " is not",
                     {"set both, or unset both to use AWS_PROFILE and ~/.aws/credentials"});
    } else if (!take_profile_keys(settings, credentials_section,
                                  "profile " + profile + " in " + credentials_path.string()) &&
               !take_profile_keys(settings, config_section, "profile " + profile + " in " + config_path.string())) {
        if (profile_chosen && credentials_section == nullptr && config_section == nullptr) {
            return Error(ErrorCode::access_denied, "AWS_PROFILE=" + profile + " names a profile that is not defined",
                         {"looked in " + credentials_path.string() + " and " + config_path.string(),
                          "unset AWS_PROFILE, or add [" + profile +
                              "] with aws_access_key_id and "
                              "aws_secret_access_key"});
        }
        if (profile_chosen) {
            return Error(ErrorCode::access_denied,
                         "profile " + profile +
                             " has no aws_access_key_id and "
                             "aws_secret_access_key",
                         {"looked in " + credentials_path.string() + " and " + config_path.string()});
        }
    }

    if (std::string region = s3_env("AWS_REGION"); !region.empty()) {
        settings.region = region;
    } else if (region = s3_env("AWS_DEFAULT_REGION"); !region.empty()) {
        settings.region = region;
    } else if (region = value_of(config_section, "region"); !region.empty()) {
        settings.region = region;
    }
    if (std::string endpoint = s3_env("AWS_ENDPOINT_URL_S3"); !endpoint.empty()) {
        settings.endpoint = endpoint;
    } else if (endpoint = s3_env("AWS_ENDPOINT_URL"); !endpoint.empty()) {
        settings.endpoint = endpoint;
    } else {
        settings.endpoint = value_of(config_section, "endpoint_url");
    }
    if (!settings.endpoint.empty() && !has_url_scheme(settings.endpoint)) {
        return Error(ErrorCode::usage, "the S3 endpoint is not a URL: " + settings.endpoint,
                     {"AWS_ENDPOINT_URL (or AWS_ENDPOINT_URL_S3) must look like https://host[:port]"});
    }
    return settings;
}

} // namespace cxrcat
