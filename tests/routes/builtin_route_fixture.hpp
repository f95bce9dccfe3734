// SPDX-License-Identifier: Apache-2.0
// The fixture of the built-in route test: publishes stand-ins for one catalog entry on nginx and the
// provider stubs, adds the stubs' accounts, and runs check and fetch with the credentials the entry needs.
#pragma once

#include "builtin_catalog.hpp"
#include "providers/stub_route_test.hpp"
#include "stand_ins.hpp"
#include "support/fixture_servers.hpp"

#include <algorithm>
#include <array>
#include <fstream>
#include <map>
#include <set>

namespace cxrcat::test::routes {

namespace fs = std::filesystem;
using nlohmann::json;

class BuiltinRoute : public StubRouteTest, public ::testing::WithParamInterface<std::string> {
  protected:
    void SetUp() override {
        StubRouteTest::SetUp();
        if (IsSkipped() || HasFatalFailure()) {
            return;
        }
        FixtureServers servers = find_fixture_servers("CXRCAT_TEST_SERVERS");
        if (!servers.missing.empty()) {
            if (servers.required) {
                FAIL() << servers.missing;
            }
            GTEST_SKIP() << servers.missing;
        }
        json nginx = json::parse(read_text_file(servers.json_path));
        m_www = nginx.at("www").get<std::string>();
        m_http = nginx.at("http").get<std::string>();
        m_salt = unique("routes");
        for (const auto& entry : builtin_entries()) {
            if (entry.at("id") == GetParam()) {
                m_entry = entry;
            }
        }
        ASSERT_FALSE(m_entry.is_null());
        m_id = GetParam();
        m_env["CXRCAT_URL_REWRITE"] = url_rewrites();
    }

    // One rule per catalog host: "scheme://host/" -> nginx /files/<salt>/<host>/.
    [[nodiscard]] std::string url_rewrites() const {
        std::set<std::string> origins;
        for (const auto& entry : builtin_entries()) {
            for (const auto& source : entry.value("sources", json::array())) {
                for (const auto& file : source.value("files", json::array())) {
                    if (source.value("provider", "") == "http" && file.contains("url")) {
                        origins.insert(origin_of(file["url"].get<std::string>()));
                    }
                }
            }
        }
        std::string rules;
        for (const auto& origin : origins) {
            rules += origin + "/=" + m_http + "/files/" + m_salt + "/" + host_of(origin) + "/ ";
        }
        return rules;
    }
    static std::string origin_of(const std::string& url) {
        std::size_t host = url.find("://") + 3;
        return url.substr(0, url.find('/', host));
    }
    static std::string host_of(const std::string& origin) { return origin.substr(origin.find("://") + 3); }

    // Where nginx serves the stand-in for a catalog URL.
    [[nodiscard]] fs::path served_path(const std::string& url) const {
        std::string origin = origin_of(url);
        std::string path = url.substr(origin.size() + 1);
        return m_www / m_salt / host_of(origin) / path;
    }

    static void write(const fs::path& file, const std::string& content) {
        fs::create_directories(file.parent_path());
        write_text_file(file, content);
    }

    // Publishes stand-ins for every live source; returns {installed path: bytes} fetch must produce.
    std::map<std::string, std::string> publish() {
        std::map<std::string, std::string> all;
        std::set<std::string> alternatives; // groups whose first source is already published
        for (const auto& source : m_entry.value("sources", json::array())) {
            if (!live(source)) {
                continue;
            }
            // A later source of an alternative group serves the same data: fetch uses the first one,
            // so this one's files are expected only with --source (m_alternates).
            std::string group = source.value("alternative", "");
            bool alternate = !group.empty() && !alternatives.insert(group).second;
            std::string directory = source.value("directory", "");
            std::map<std::string, std::string> expected;
            std::string provider = source.at("provider");
            if (provider == "http") {
                for (const auto& file : source.at("files")) {
                    std::string bytes = stand_in_for(file.at("path"), m_salt);
                    write(served_path(file.at("url")), bytes);
                    expected[file.at("path")] = bytes;
                }
            } else if (provider == "zenodo") {
                std::string record_id = source.at("record");
                fs::path record = world("zenodo") / record_id;
                auto upstream = zenodo_upstream_names().find(record_id);
                std::map<std::string, std::string> split_parts = publish_split_parts(source, directory);
                for (const auto& file : source.value("files", json::array({json{{"path", "data.csv"}}}))) {
                    std::string path = file.at("path");
                    auto part = split_parts.find(path);
                    if (upstream != zenodo_upstream_names().end() && upstream->second.count(path) != 0) {
                        // Listed in the catalog, absent upstream: fetch fails it alone and installs the
                        // file upstream has in its place, since the record lists it.
                        m_missing_upstream.push_back(path);
                        path = upstream->second.at(path);
                    }
                    std::string bytes = part != split_parts.end() ? part->second : stand_in_for(path, m_salt);
                    write(record / path, bytes);
                    expected[path] = bytes;
                }
            } else if (provider == "physionet") {
                fs::path version = world("physionet") / source.at("project").get<std::string>() /
                                   source.at("version").get<std::string>();
                for (std::string name : {"README.md", "files/p10/p10000032/s50414267.txt"}) {
                    std::string bytes = stand_in_for(name, m_salt);
                    write(version / name, bytes);
                    expected[name] = bytes;
                }
            } else if (provider == "kaggle") {
                fs::path competition = world("kaggle") / source.at("competition").get<std::string>();
                for (const auto& file : source.value("files", json::array({json{{"path", "train.csv"}}}))) {
                    std::string bytes = stand_in_for(file.at("path"), m_salt);
                    write(competition / file.at("path").get<std::string>(), bytes);
                    expected[file.at("path")] = bytes;
                }
            } else if (provider == "huggingface") {
                fs::path repo = world("huggingface") / source.at("repo").get<std::string>();
                // README.md is a regular file; the .nii.gz an LFS file behind the CDN redirect.
                for (const std::string& name :
                     std::vector<std::string>{"README.md", "data/" + repo.filename().string() + "/case0.nii.gz"}) {
                    std::string bytes = stand_in_for(source.at("repo").get<std::string>() + "/" + name, m_salt);
                    write(repo / name, bytes);
                    expected[name] = bytes;
                }
                if (m_entry.at("access").at("class") == "gated") {
                    write(repo / "_repo.json", json{{"gated", "manual"}, {"approved_tokens", {m_hf_token}}}.dump());
                }
            } else if (provider == "idc") {
                // The IDC REST API v3 stub lists one series of the catalog's collection (a unit of
                // its own for this test), and the bucket stub holds its one instance.
                std::string series = m_salt + "-" + std::to_string(::getpid());
                std::string bytes = stand_in_for("i0.dcm", m_salt);
                write(world("idc") / "idc-open-data" / series / "i0.dcm", bytes);
                expected[series + "/i0.dcm"] = bytes;
                json row = {{"collection_id", source.at("collection")},
                            {"PatientID", "P-" + m_salt},
                            {"StudyInstanceUID", "1.2.826.0.1." + std::to_string(::getpid())},
                            {"SeriesInstanceUID", "1.2.826.0.1." + std::to_string(::getpid()) + ".1"},
                            {"Modality", source.value("modality", "CT")},
                            {"instanceCount", 1},
                            {"series_size_MB", static_cast<double>(bytes.size()) / 1e6},
                            {"aws_bucket", "idc-open-data"},
                            {"crdc_series_uuid", series},
                            {"series_aws_url", "s3://idc-open-data/" + series + "/*"}};
                write(world("idc_api") / m_salt / "series.json", json::array({row}).dump());
                m_env["CXRCAT_IDC_API_URL"] = base("idc_api") + "/" + m_salt + "/v3";
            } else if (provider == "tcia") {
                // The NBIA API stub lists one series of the catalog's collection; it serves the series
                // as a zip of its one image (00000001.dcm) and md5hashes.csv.
                std::string uid = "1.2.826.0.1.3680043." + std::to_string(::getpid()) + ".7";
                std::string bytes = stand_in_for("tcia.dcm", m_salt);
                write(world("tcia") / m_salt / uid / "i0.dcm", bytes);
                expected[uid + "/00000001.dcm"] = bytes;
                json row = {{"SeriesInstanceUID", uid},
                            {"StudyInstanceUID", uid + ".1"},
                            {"Modality", source.value("modality", "CT")},
                            {"Collection", source.at("collection")},
                            {"PatientID", "P-" + m_salt},
                            {"ImageCount", 1},
                            {"FileSize", bytes.size()}};
                write(world("tcia") / m_salt / "series.json", json::array({row}).dump());
                // NLST's series sit on its own NBIA host (catalog "host": "nlst"): the same stub unit.
                m_env[source.value("host", "") == "nlst" ? "CXRCAT_TCIA_NLST_URL" : "CXRCAT_TCIA_URL"] =
                    base("tcia") + "/" + m_salt + "/nbia-api/services/v1";
            }
            if (alternate) {
                if (provider != "manual") {
                    m_alternates[provider] = std::move(expected);
                }
                continue;
            }
            for (auto& [path, bytes] : expected) {
                all[directory.empty() ? path : directory + "/" + path] = std::move(bytes);
            }
        }
        return all;
    }

    // The source's split archives (catalog split_archives): a zip stand-in cut by bytes into as many
    // parts as declared, as 7-Zip volumes are; returns {part path: its bytes} and remembers which
    // member each part's archive unpacks to.
    std::map<std::string, std::string> publish_split_parts(const json& source, const std::string& directory) {
        std::map<std::string, std::string> parts;
        for (const auto& split : source.value("split_archives", json::array())) {
            std::string archive = split.at("archive");
            std::string whole = stand_in_for(archive, m_salt);
            const json& names = split.at("parts");
            std::size_t piece = (whole.size() + names.size() - 1) / names.size();
            fs::path member =
                fs::path(archive).parent_path() / ("member-of-" + fs::path(archive).stem().string() + ".txt");
            for (std::size_t i = 0; i < names.size(); ++i) {
                std::string name = names[i];
                parts[name] = whole.substr(std::min(whole.size(), i * piece), piece);
                m_part_member[directory.empty() ? name : directory + "/" + name] =
                    directory.empty() ? member.string() : directory + "/" + member.string();
            }
        }
        return parts;
    }

    // Accounts the stubs accept: one allowed (rules, DUA, gate), one that is not.
    void add_accounts() {
        write(world("kaggle") / "_auth.d" / (m_salt + ".json"),
              json{{"keys", {{m_salt + "-ok", "key-ok"}, {m_salt + "-no", "key-no"}}},
                   {"accepted", {{competition(), {m_salt + "-ok"}}}}}
                  .dump());
        write(world("physionet") / "_users.d" / (m_salt + ".json"),
              json{{m_salt + "-ok", {{"password", "pw-ok"}, {"credentialed", true}, {"dua", physionet_duas()}}},
                   {m_salt + "-no", {{"password", "pw-no"}, {"credentialed", true}, {"dua", json::array()}}}}
                  .dump());
        write(world("huggingface") / "_tokens.d" / (m_salt + ".json"), json{m_hf_token, m_hf_other}.dump());
    }
    [[nodiscard]] std::string competition() const {
        for (const auto& source : m_entry.value("sources", json::array())) {
            if (source.value("provider", "") == "kaggle") {
                return source.at("competition");
            }
        }
        return "none";
    }
    [[nodiscard]] json physionet_duas() const {
        json duas = json::array();
        for (const auto& source : m_entry.value("sources", json::array())) {
            if (source.value("provider", "") == "physionet") {
                duas.push_back(source.at("project").get<std::string>() + "/" + source.at("version").get<std::string>());
            }
        }
        return duas;
    }

    // Credentials for the dataset's providers: the allowed account, or the refused one.
    [[nodiscard]] std::map<std::string, std::string> credentials(bool allowed) const {
        std::string tag = allowed ? "-ok" : "-no";
        return {{"KAGGLE_USERNAME", m_salt + tag},
                {"KAGGLE_KEY", "key" + tag},
                {"CXRCAT_PHYSIONET_USER", m_salt + tag},
                {"CXRCAT_PHYSIONET_PASSWORD", "pw" + tag},
                {"HF_TOKEN", allowed ? m_hf_token : m_hf_other}};
    }

    [[nodiscard]] bool has_provider(const std::string& provider) const {
        const auto& sources = m_entry.value("sources", json::array());
        return std::any_of(sources.begin(), sources.end(), [&](const json& source) {
            return live(source) && source.value("provider", "") == provider;
        });
    }
    [[nodiscard]] bool needs_credentials() const {
        return has_provider("kaggle") || has_provider("physionet") ||
               (has_provider("huggingface") && m_entry.at("access").at("class") == "gated");
    }
    // Files fetch serves but whose catalog size or digest no stand-in can match.
    [[nodiscard]] std::vector<std::string> pinned_paths(bool manual) const {
        std::vector<std::string> paths;
        for (const auto& source : m_entry.value("sources", json::array())) {
            if (live(source) && (source.value("provider", "") == "manual") == manual) {
                for (const auto& file : source.value("files", json::array())) {
                    if (is_pinned(file)) {
                        paths.push_back(file.at("path"));
                    }
                }
            }
        }
        return paths;
    }

    [[nodiscard]] json check_json(const std::map<std::string, std::string>& env) const {
        std::vector<std::string> args{"check", m_id, "--format", "json"};
        ProcessResult result = cxrcat(args, env);
        json parsed = json::parse(result.out, nullptr, false);
        EXPECT_TRUE(parsed.is_array() && parsed.size() == 1) << result.describe();
        if (!parsed.is_array() || parsed.empty()) {
            return json::object();
        }
        EXPECT_EQ(parsed[0].value("exit_code", -1), result.exit_code) << result.describe();
        parsed[0]["_stderr"] = result.err;
        return parsed[0];
    }

    // The statuses check gives per provider, e.g. {"http": {"ok"}, "manual": {"manual"}}.
    static std::map<std::string, std::set<std::string>> statuses(const json& report) {
        std::map<std::string, std::set<std::string>> out;
        for (const auto& source : report.value("sources", json::array())) {
            out[source.value("provider", "")].insert(source.value("status", ""));
        }
        return out;
    }

    [[nodiscard]] ProcessResult fetch(std::vector<std::string> extra,
                                      const std::map<std::string, std::string>& env) const {
        std::vector<std::string> args{"fetch", m_id, "--accept-terms"};
        args.insert(args.end(), extra.begin(), extra.end());
        return cxrcat(args, env);
    }

    // A zip stand-in may be unpacked (and removed): then its one member is there instead; so may
    // the parts of a split archive.
    [[nodiscard]] bool installed_or_extracted(const std::string& path) const {
        fs::path file = dataset_dir(m_id) / path;
        if (auto part = m_part_member.find(path); part != m_part_member.end()) {
            return fs::exists(file) || fs::exists(dataset_dir(m_id) / part->second);
        }
        fs::path member = file.parent_path() / ("member-of-" + file.stem().string() + ".txt");
        return fs::exists(file) || (path.ends_with(".zip") && fs::exists(member));
    }

    void expect_installed(const std::map<std::string, std::string>& expected, const std::set<std::string>& skip) const {
        for (const auto& [path, bytes] : expected) {
            if (skip.count(path) != 0) {
                continue;
            }
            ASSERT_TRUE(installed_or_extracted(path)) << path << " was not installed";
            if (fs::exists(dataset_dir(m_id) / path)) {
                EXPECT_EQ(read_text_file(dataset_dir(m_id) / path), bytes) << path;
            }
        }
    }

    json m_entry;
    std::string m_id;
    fs::path m_www;
    std::string m_http;
    std::string m_salt;
    std::string m_hf_token = "hf_" + random_hex(16);
    std::string m_hf_other = "hf_" + random_hex(16);
    std::map<std::string, std::string> m_part_member; // split-archive part -> the member its archive holds
    std::vector<std::string> m_missing_upstream;      // catalog files the stub leaves out, as upstream does
    // Provider of a later alternative source -> the files `fetch --source PROVIDER` installs.
    std::map<std::string, std::map<std::string, std::string>> m_alternates;
};

} // namespace cxrcat::test::routes
