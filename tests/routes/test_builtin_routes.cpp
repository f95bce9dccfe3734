// SPDX-License-Identifier: Apache-2.0
// Every dataset of the built-in catalog takes the route its access class and sources say, proven
// with the real binary and the real catalog ids against loopback servers: the provider stubs
// (CXRCAT_*_URL, HF_ENDPOINT) for Zenodo, PhysioNet, Kaggle, Hugging Face, the IDC API and bucket, and nginx for
// plain URLs (CXRCAT_URL_REWRITE maps each catalog host to a directory of its own).
//
// The expected outcome is derived from the catalog entry, never listed per id, so a new dataset is
// covered as soon as it is added (and fails here if its route is one this test does not know).
// Served bytes are stand-ins: where the catalog pins a size or digest they cannot match, so the
// route is proven by the integrity error naming the pinned value, and the rest of the dataset by
// fetching with those files excluded.
#include "providers/stub_route_test.hpp"
#include "support/fixture_servers.hpp"

#include <algorithm>
#include <array>
#include <fstream>
#include <set>

namespace cxrcat::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::vector<json> builtin_entries() {
    std::vector<json> entries;
    for (const auto& file : fs::directory_iterator(fs::path(CXRCAT_SOURCE_DIR) / "catalog" / "datasets")) {
        if (file.path().extension() == ".json") {
            entries.push_back(json::parse(read_text_file(file.path())));
        }
    }
    std::sort(entries.begin(), entries.end(), [](const json& a, const json& b) {
        return a.at("id").get<std::string>() < b.at("id").get<std::string>();
    });
    return entries;
}

std::vector<std::string> builtin_ids() {
    std::vector<std::string> ids;
    for (const auto& entry : builtin_entries()) {
        ids.push_back(entry.at("id").get<std::string>());
    }
    return ids;
}

bool is_pinned(const json& file) {
    return (file.contains("size") && !file["size"].is_null()) || file.contains("md5") || file.contains("sha1") ||
           file.contains("sha256") || file.contains("sha512");
}

bool live(const json& source) {
    return source.value("status", "") != "withdrawn";
}

std::uint32_t crc32(std::string_view data) {
    std::uint32_t crc = 0xFFFFFFFFU;
    for (char c : data) {
        crc ^= static_cast<unsigned char>(c);
        for (int bit = 0; bit < 8; ++bit) {
            crc = (crc >> 1U) ^ (0xEDB88320U & (0U - (crc & 1U)));
        }
    }
    return ~crc;
}

void put_le(std::string& out, std::uint32_t value, int bytes) {
    for (int i = 0; i < bytes; ++i) {
        out.push_back(static_cast<char>((value >> (8U * static_cast<unsigned>(i))) & 0xFFU));
    }
}

// A zip archive holding one stored (uncompressed) member.
std::string stored_zip(const std::string& member, const std::string& data) {
    auto size = static_cast<std::uint32_t>(data.size());
    auto name_size = static_cast<std::uint32_t>(member.size());
    std::string out;
    put_le(out, 0x04034b50U, 4); // local file header
    put_le(out, 20, 2);
    put_le(out, 0, 2);
    put_le(out, 0, 2); // stored
    put_le(out, 0, 4); // time, date
    put_le(out, crc32(data), 4);
    put_le(out, size, 4);
    put_le(out, size, 4);
    put_le(out, name_size, 2);
    put_le(out, 0, 2);
    out += member + data;
    auto central_at = static_cast<std::uint32_t>(out.size());
    put_le(out, 0x02014b50U, 4); // central directory
    put_le(out, 20, 2);
    put_le(out, 20, 2);
    put_le(out, 0, 2);
    put_le(out, 0, 2);
    put_le(out, 0, 4);
    put_le(out, crc32(data), 4);
    put_le(out, size, 4);
    put_le(out, size, 4);
    put_le(out, name_size, 2);
    put_le(out, 0, 2);
    put_le(out, 0, 2);
    put_le(out, 0, 2);
    put_le(out, 0, 2);
    put_le(out, 0, 4);
    put_le(out, 0, 4); // local header offset
    out += member;
    auto central_size = static_cast<std::uint32_t>(out.size()) - central_at;
    put_le(out, 0x06054b50U, 4); // end of central directory
    put_le(out, 0, 4);
    put_le(out, 1, 2);
    put_le(out, 1, 2);
    put_le(out, central_size, 4);
    put_le(out, central_at, 4);
    put_le(out, 0, 2);
    return out;
}

// Whole-file stand-ins of the kind the name implies, so payload sniffing accepts them.
std::string stand_in_for(const std::string& path, const std::string& salt) {
    auto ends = [&](std::string_view suffix) { return path.ends_with(suffix); };
    std::string noise = salt + "-" + path;
    if (ends(".zip")) {
        return stored_zip("member-of-" + fs::path(path).stem().string() + ".txt", "inside " + noise + "\n");
    }
    if (ends(".gz") || ends(".tgz")) {
        // A complete gzip member of no bytes.
        std::string gzip("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03\x03\x00\x00\x00\x00\x00\x00\x00\x00\x00", 20);
        return gzip;
    }
    if (ends(".dcm")) {
        return std::string(128, '\0') + "DICM" + noise;
    }
    if (ends(".png")) {
        return std::string("\x89PNG\r\n\x1a\n", 8) + noise;
    }
    if (ends(".pdf")) {
        return "%PDF-1.4\n% " + noise + "\n";
    }
    return "stand-in," + noise + "\nrow,1\n"; // text: .csv, .txt, .md, split parts
}

// Where an upstream listing is known to differ from the catalog, the stub serves what upstream
// really holds: record → {name in the catalog, name upstream}. Zenodo record 3723295 holds
// candidates_V2.zip, not the candidates_V2.csv the catalog lists (shared/reference/catalog-audit.md,
// luna16: six independent scripts download .../records/3723295/files/candidates_V2.zip). Once the
// catalog is corrected the catalog name is no longer listed and the entry has no effect.
const std::map<std::string, std::map<std::string, std::string>>& zenodo_upstream_names() {
    static const std::map<std::string, std::map<std::string, std::string>> k_names{
        {"3723295", {{"candidates_V2.csv", "candidates_V2.zip"}}}};
    return k_names;
}

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

TEST_P(BuiltinRoute, CheckAndFetchTakeTheRouteOfTheAccessClass) {
    const std::string access_class = m_entry.at("access").at("class");
    const bool manual = has_provider("manual");
    std::map<std::string, std::string> expected = publish();
    add_accounts();
    SCOPED_TRACE(m_id + " (" + access_class + ")");

    if (access_class == "restricted") {
        ASSERT_TRUE(std::none_of(m_entry["sources"].begin(), m_entry["sources"].end(), live))
            << "a restricted dataset with a download source: teach this test its route";
        ASSERT_EQ(cxrcat({"accept", m_id}).exit_code, 0);
        json report = check_json({});
        EXPECT_EQ(report.value("exit_code", -1), 4);
        EXPECT_EQ(statuses(report), (std::map<std::string, std::set<std::string>>{{"none", {"restricted"}}}));
        ProcessResult result = fetch({}, {});
        EXPECT_EQ(result.exit_code, 4) << result.describe();
        EXPECT_TRUE(has_text(result.err, m_id + " is restricted"));
        EXPECT_TRUE(has_text(result.err, "cxrcat cannot download it"));
        EXPECT_FALSE(fs::exists(dataset_dir(m_id) / ".cxrcat" / "state.json"));
        return;
    }

    // Terms first: check says which command accepts them, and nothing else passes without them.
    json unaccepted = check_json(credentials(true));
    EXPECT_EQ(unaccepted.value("terms", ""), "not-accepted") << unaccepted.dump(1);
    EXPECT_FALSE(unaccepted.value("fetch_allowed", true));
    ASSERT_EQ(cxrcat({"accept", m_id}).exit_code, 0);

    // Credentials: missing, then refused for this dataset (rules, DUA, gate), each naming the fix.
    if (needs_credentials()) {
        json none = check_json({});
        EXPECT_EQ(none.value("exit_code", -1), 4) << none.dump(1);
        json refused = check_json(credentials(false));
        EXPECT_EQ(refused.value("exit_code", -1), 4) << refused.dump(1);
        std::string text = refused.dump();
        if (has_provider("kaggle")) {
            EXPECT_EQ(statuses(refused)["kaggle"], std::set<std::string>{"not-accepted"}) << text;
            EXPECT_TRUE(has_text(text, "https://www.kaggle.com/competitions/" + competition() + "/rules"));
        }
        if (has_provider("physionet")) {
            EXPECT_EQ(statuses(refused)["physionet"], std::set<std::string>{"not-accepted"}) << text;
            EXPECT_TRUE(has_text(text, "/content/" + physionet_duas()[0].get<std::string>()));
        }
        if (has_provider("huggingface")) {
            EXPECT_EQ(statuses(refused)["huggingface"], std::set<std::string>{"not-accepted"}) << text;
            EXPECT_TRUE(has_text(text, "https://huggingface.co/datasets/"));
        }
        ProcessResult denied = fetch({}, credentials(false));
        EXPECT_EQ(denied.exit_code, 4) << denied.describe();
        EXPECT_FALSE(fs::exists(dataset_dir(m_id) / (expected.empty() ? "-" : expected.begin()->first)));
    }

    // The allowed account: every automatic source probes ok (a record that lacks a catalog file says
    // so); manual parts still need the person.
    json report = check_json(credentials(true));
    const bool gap = !m_missing_upstream.empty();
    for (const auto& [provider, found] : statuses(report)) {
        if (gap && provider == "zenodo") {
            EXPECT_TRUE(found.count("not-found") != 0) << report.dump(1);
            continue;
        }
        EXPECT_EQ(found, std::set<std::string>{provider == "manual" ? "manual" : "ok"})
            << provider << ": " << report.dump(1);
    }
    if (!gap) {
        EXPECT_EQ(report.value("exit_code", -1), manual ? 7 : 0) << report.dump(1);
    }

    // fetch: pinned files get the stand-in and are refused with the pinned value named; without them
    // the automatic part installs exactly the served bytes, and a manual part stops at its steps.
    std::vector<std::string> pinned = pinned_paths(false);
    std::set<std::string> pinned_set(pinned.begin(), pinned.end());
    if (!pinned.empty()) {
        // One pinned file is enough (all of them may not fit on the disk: the free-space check).
        ProcessResult refused = fetch({"--include", pinned.front()}, credentials(true));
        EXPECT_EQ(refused.exit_code, 5) << refused.describe();
        EXPECT_TRUE(has_text(refused.err, pinned.front() + ": ")) << refused.err;
        EXPECT_TRUE(has_text(refused.err, "mismatch"));
        for (const auto& path : pinned) {
            EXPECT_FALSE(fs::exists(dataset_dir(m_id) / path)) << path << " was installed";
        }
    }
    std::vector<std::string> exclusions;
    for (const auto& path : pinned) {
        exclusions.insert(exclusions.end(), {"--exclude", path});
    }
    ProcessResult fetched = fetch(exclusions, credentials(true));
    // A catalog file upstream lacks fails alone (exit 3, named, the catalog to update); the rest installs.
    EXPECT_EQ(fetched.exit_code, gap ? 3 : manual ? 7 : 0) << fetched.describe();
    for (const auto& path : m_missing_upstream) {
        EXPECT_TRUE(has_text(fetched.err, "lacks files the catalog lists: " + path)) << fetched.err;
        EXPECT_TRUE(has_text(fetched.err, "the catalog entry needs updating")) << fetched.err;
        EXPECT_FALSE(fs::exists(dataset_dir(m_id) / path)) << path;
    }
    if (manual) {
        EXPECT_TRUE(has_text(fetched.err, "cxrcat fetch " + m_id + " --from PATH"));
    }
    expect_installed(expected, pinned_set);
    for (const auto& source : m_entry.value("sources", json::array())) {
        if (!live(source) && source.value("provider", "") == "huggingface") {
            // A withdrawn repository is never asked for.
            std::string repo = source.at("repo");
            EXPECT_EQ(stats("huggingface", "/api/datasets/" + repo).value("requests", 0), 0) << repo;
            EXPECT_EQ(stats("huggingface", "/api/datasets/" + repo + "/tree/main").value("requests", 0), 0) << repo;
        }
    }

    // The manual part: the person's downloads under --from complete the install, untouched.
    if (manual) {
        fs::path downloads = m_dir / "downloads";
        std::vector<std::string> manual_pinned = pinned_paths(true);
        std::map<std::string, std::string> given;
        std::set<std::string> alternatives_given; // of alternatives, --from adopts the first one complete
        for (const auto& source : m_entry.value("sources", json::array())) {
            if (source.value("provider", "") != "manual" || !live(source)) {
                continue;
            }
            if (std::string alternative = source.value("alternative", "");
                !alternative.empty() && !alternatives_given.insert(alternative).second) {
                continue;
            }
            json files = source.value("files", json::array());
            if (files.empty()) {
                files.push_back(json{{"path", "by-hand/" + m_id + "-0001.txt"}});
            }
            for (const auto& file : files) {
                std::string path = file.at("path");
                if (std::find(manual_pinned.begin(), manual_pinned.end(), path) == manual_pinned.end()) {
                    given[path] = stand_in_for(path, m_salt + "-manual");
                    write(downloads / path, given[path]);
                }
            }
        }
        std::vector<std::string> args = exclusions;
        for (const auto& path : manual_pinned) {
            args.insert(args.end(), {"--exclude", path});
        }
        args.insert(args.end(), {"--from", downloads.string()});
        ProcessResult completed = fetch(args, credentials(true));
        EXPECT_EQ(completed.exit_code, 0) << completed.describe();
        for (const auto& [path, bytes] : given) {
            EXPECT_EQ(read_text_file(downloads / path), bytes) << "the user's file was changed: " << path;
        }
        for (const auto& [path, bytes] : given) {
            EXPECT_TRUE(installed_or_extracted(path)) << path << " was not installed";
        }
    }

    // Each later alternative source is a route of its own: --source picks it, and it installs.
    for (const auto& [provider, files] : m_alternates) {
        ProcessResult chosen = fetch({"--source", provider}, credentials(true));
        EXPECT_EQ(chosen.exit_code, manual ? 7 : 0) << provider << ": " << chosen.describe();
        EXPECT_FALSE(has_text(chosen.err, "instead")) << provider;
        expect_installed(files, {});
    }

    // An installed dataset verifies clean (unless every file is pinned, so none could be installed).
    bool any_installed = manual || std::any_of(expected.begin(), expected.end(),
                                               [&](const auto& file) { return pinned_set.count(file.first) == 0; });
    if (any_installed) {
        ProcessResult verified = cxrcat({"verify", m_id});
        EXPECT_EQ(verified.exit_code, 0) << verified.describe();
    }
}

INSTANTIATE_TEST_SUITE_P(Catalog, BuiltinRoute, ::testing::ValuesIn(builtin_ids()),
                         [](const ::testing::TestParamInfo<std::string>& param_info) {
                             std::string name;
                             for (char c : param_info.param) {
                                 name.push_back(std::isalnum(static_cast<unsigned char>(c)) != 0 ? c : '_');
                             }
                             return name;
                         });

// The parameter list is the catalog: an empty one would prove nothing.
TEST(BuiltinCatalog, HasDatasetsToRoute) {
    EXPECT_GE(builtin_ids().size(), 20U);
}

} // namespace
} // namespace cxrcat::test
