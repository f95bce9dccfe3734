// SPDX-License-Identifier: Apache-2.0
// `cxrcat check --live [PROVIDER…]` against the provider stubs: every provider answering as the
// real one does gives `ok` and exit 0; a field the routes read renamed in one answer gives exit 5
// naming it; a base URL nothing answers gives exit 6 (which wins over 5); --format json; an
// unknown provider is a usage error before any request.
#include "tcia_route_test.hpp"

#include <chrono>
#include <system_error>

namespace cxrcat::test {
namespace {

using nlohmann::json;

// What the probes ask for here, named with CXRCAT_LIVE_* (src/lib/providers/live_probes_records.cpp):
// not the built-in catalog's records, which the route tests publish their own files into at the same
// time in the shared stub world.
constexpr const char* k_zenodo_record = "99000001";
constexpr const char* k_physionet_project = "cxrcat-live-probe";
constexpr const char* k_kaggle_competition = "cxrcat-live-probe";
constexpr const char* k_hub_owner = "cxrcat-live";
constexpr const char* k_hub_repo = "probe-repo";

class CheckLive : public TciaRoute {
  protected:
    void set_up_route() override {
        TciaRoute::set_up_route();
        // The records, project and repository every live test reads are shared by all of them (their
        // names are fixed): each is built once, complete, then renamed into place.
        publish_once(world("zenodo"), k_zenodo_record, [](const std::filesystem::path& dir) {
            write_text_file(dir / "subset0.zip", "PK stub subset0");
            write_text_file(dir / "annotations.csv", "seriesuid,coordX\n");
        });
        publish_once(world("physionet"), k_physionet_project, [](const std::filesystem::path& dir) {
            write_text_file(dir / "2.1.0" / "LICENSE.txt", "PhysioNet Credentialed Health Data License 1.5.0\n");
            write_text_file(dir / "2.1.0" / "IMAGE_FILENAMES", "files/p10/p10000032/s50414267/a.jpg\n");
        });
        std::filesystem::create_directories(world("huggingface") / k_hub_owner);
        publish_once(world("huggingface") / k_hub_owner, k_hub_repo, [](const std::filesystem::path& dir) {
            write_text_file(dir / "README.md", "# M3D-Cap (stub)\n");
            write_text_file(dir / "M3D_Cap.json", R"({"train": []})");
        });
        m_env["CXRCAT_LIVE_ZENODO_RECORD"] = k_zenodo_record;
        m_env["CXRCAT_LIVE_PHYSIONET_PROJECT"] = std::string(k_physionet_project) + "/2.1.0";
        m_env["CXRCAT_LIVE_KAGGLE_COMPETITION"] = k_kaggle_competition;
        m_env["CXRCAT_LIVE_HF_REPO"] = std::string(k_hub_owner) + "/" + k_hub_repo;
        // This test's own IDC API unit: one lidc_idri row, the default /version (3.0.0b2).
        m_idc_unit = unique("live");
        write_text_file(world("idc_api") / m_idc_unit / "series.json",
                        json::array({idc_row("lidc_idri", "LIDC-IDRI-0001")}).dump());
        m_env["CXRCAT_IDC_API_URL"] = base("idc_api") + "/" + m_idc_unit + "/v3";
        // This test's own NBIA unit on v4 (the default version): LIDC-IDRI-0001's series.
        json rows = json::array();
        add_series(rows, "LIDC-IDRI", "LIDC-IDRI-0001", series_uid(), {dicom(10)}, "DX");
        write_rows(rows);
        m_env["CXRCAT_TCIA_URL"] = api_base("v4");
    }

    // Creates parent/name with fill unless it exists; concurrent tests race benignly (one rename wins).
    template <typename Fill>
    static void publish_once(const std::filesystem::path& parent, const std::string& name, Fill fill) {
        if (std::filesystem::exists(parent / name)) {
            return;
        }
        std::filesystem::path staging = parent / unique("_staging-live");
        fill(staging);
        std::error_code ec;
        std::filesystem::rename(staging, parent / name, ec);
        if (ec) {
            std::filesystem::remove_all(staging, ec); // another test published it first
        }
    }

    // A row of the IDC API's index, in the shape of the live capture (provider-facts.md §1.2).
    static json idc_row(const std::string& collection, const std::string& patient) {
        return {{"collection_id", collection},
                {"PatientID", patient},
                {"StudyInstanceUID", "1.2.3.4"},
                {"SeriesInstanceUID", "1.2.3.4.5"},
                {"Modality", "CT"},
                {"instanceCount", 2},
                {"series_size_MB", 0.5},
                {"aws_bucket", "idc-open-data"},
                {"crdc_series_uuid", "5f2b9a1c-0000-4000-8000-000000000001"}};
    }

    // The line check --live printed for provider.
    static std::string line_of(const std::string& out, const std::string& provider) {
        std::size_t at = out.find(provider + ": ");
        while (at != std::string::npos && at != 0 && out[at - 1] != '\n') {
            at = out.find(provider + ": ", at + 1);
        }
        return at == std::string::npos ? std::string() : out.substr(at, out.find('\n', at) - at);
    }

    std::string m_idc_unit;
};

TEST_F(CheckLive, EveryProviderAnsweringAsExpectedIsOkAndExitsZero) {
    // Credentials in the environment are not used: the probes are anonymous.
    std::string secret = "KGAT_" + random_hex(16);
    auto run = cxrcat({"check", "--live"}, {{"KAGGLE_API_TOKEN", secret}, {"HF_TOKEN", "hf_" + random_hex(16)}});
    ASSERT_EQ(run.exit_code, 0) << run.describe();
    EXPECT_EQ(run.out.find(secret), std::string::npos);
    EXPECT_EQ(run.err.find(secret), std::string::npos);
    for (const char* provider : {"zenodo", "physionet", "kaggle", "huggingface", "idc", "tcia"}) {
        EXPECT_EQ(line_of(run.out, provider).rfind(std::string(provider) + ": ok", 0), 0U) << provider << " in:\n"
                                                                                           << run.out;
    }
    // PhysioNet was asked as the route asks it: anonymously, as a Wget-compatible client.
    auto physionet = stats("physionet", "/files/" + std::string(k_physionet_project) + "/2.1.0/SHA256SUMS.txt")["log"];
    ASSERT_FALSE(physionet.empty());
    EXPECT_EQ(physionet.back()["user_agent"].get<std::string>().rfind("Wget/", 0), 0U) << physionet.dump();
    EXPECT_EQ(physionet.back()["status"], 401);
    // Kaggle: both list routes, anonymously (no Authorization header), both refused.
    // The stub counts RPC calls under "<path>/<competitionName>" (tests/servers/stubs/kaggle.py KaggleHandler).
    auto rpc =
        stats("kaggle", "/v1/competitions.CompetitionApiService/ListDataFiles/" + std::string(k_kaggle_competition));
    auto legacy = stats("kaggle", "/api/v1/competitions/data/list/" + std::string(k_kaggle_competition));
    EXPECT_GE(rpc.value("requests", 0), 1) << rpc.dump();
    EXPECT_GE(legacy.value("requests", 0), 1) << legacy.dump();
    EXPECT_EQ(rpc.value("authorization", -1), 0);
    EXPECT_EQ(legacy.value("authorization", -1), 0);
    // NBIA was asked at v4 with parameters v4 allows (any other would be a 400).
    auto nbia = stats("tcia", endpoint("getSeries", "v4"))["log"];
    ASSERT_EQ(nbia.size(), 1U) << nbia.dump();
    EXPECT_EQ(nbia[0]["status"], 200);
}

TEST_F(CheckLive, ARenamedFieldInOneAnswerExitsFiveNamingIt) {
    // IDC's /version with its api_version renamed: the shape the route pins its API version by.
    write_text_file(world("idc_api") / m_idc_unit / "_version.json",
                    R"({"idc_version": "v24", "idc_index_data_version": "24.0.1", "apiVersion": "3.0.0b3"})");
    auto run = cxrcat({"check", "--live", "zenodo", "idc"});
    EXPECT_EQ(run.exit_code, 5) << run.describe();
    EXPECT_EQ(line_of(run.out, "zenodo").rfind("zenodo: ok", 0), 0U) << run.out;
    std::string idc = line_of(run.out, "idc");
    EXPECT_EQ(idc.rfind("idc: drift", 0), 0U) << run.out;
    EXPECT_TRUE(has_text(idc, "api_version"));
    // Only the providers named were asked.
    EXPECT_EQ(line_of(run.out, "tcia"), "");
}

TEST_F(CheckLive, NbiaSeriesWithoutFileSizeIsADriftNamingTheField) {
    json rows = json::array();
    add_series(rows, "LIDC-IDRI", "LIDC-IDRI-0001", series_uid(), {dicom(10)}, "CT");
    rows[0]["SeriesSize"] = rows[0]["FileSize"]; // a rename the route would not read
    rows[0].erase("FileSize");
    write_rows(rows);
    auto run = cxrcat({"check", "--live", "tcia", "--format", "json"});
    EXPECT_EQ(run.exit_code, 5) << run.describe();
    auto document = json::parse(run.out);
    ASSERT_EQ(document["providers"].size(), 1U) << run.out;
    EXPECT_EQ(document["providers"][0]["status"], "drift");
    EXPECT_EQ(document["providers"][0]["field"], "series[0].FileSize");
    EXPECT_EQ(document["exit_code"], 5);
}

TEST_F(CheckLive, AnUnreachableBaseUrlExitsSixAndWinsOverADrift) {
    // A port nothing listens on (connection refused), and a name that never resolves (RFC 6761).
    write_text_file(world("idc_api") / m_idc_unit / "_version.json",
                    R"({"idc_version": "v24", "api_version": "4.0.0"})");
    auto start = std::chrono::steady_clock::now();
    auto run =
        cxrcat({"check", "--live", "zenodo", "physionet", "idc"},
               {{"CXRCAT_ZENODO_URL", "http://127.0.0.1:1"}, {"CXRCAT_PHYSIONET_URL", "http://nonexistent.invalid"}});
    auto seconds = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - start).count();
    EXPECT_EQ(run.exit_code, 6) << run.describe();
    EXPECT_LT(seconds, 20) << "check --live must never hang";
    EXPECT_EQ(line_of(run.out, "zenodo").rfind("zenodo: unreachable", 0), 0U) << run.out;
    EXPECT_EQ(line_of(run.out, "physionet").rfind("physionet: unreachable", 0), 0U) << run.out;
    EXPECT_TRUE(has_text(line_of(run.out, "idc"), "api_version"));

    auto only = cxrcat({"check", "--live", "zenodo"}, {{"CXRCAT_ZENODO_URL", "http://127.0.0.1:1"}});
    EXPECT_EQ(only.exit_code, 6) << only.describe();
}

TEST_F(CheckLive, JsonNamesEveryProviderWithItsRequests) {
    auto run = cxrcat({"check", "--live", "--format", "json"});
    ASSERT_EQ(run.exit_code, 0) << run.describe();
    auto document = json::parse(run.out);
    EXPECT_EQ(document["exit_code"], 0);
    std::vector<std::string> names;
    for (const auto& probe : document["providers"]) {
        names.push_back(probe["provider"].get<std::string>());
        EXPECT_EQ(probe["status"], "ok") << probe.dump();
        EXPECT_EQ(probe["field"], "");
        ASSERT_FALSE(probe["requests"].empty()) << probe.dump();
        for (const auto& request : probe["requests"]) {
            EXPECT_GT(request["status"].get<long>(), 0) << probe.dump();
            EXPECT_FALSE(request["url"].get<std::string>().empty());
        }
    }
    EXPECT_EQ(names, (std::vector<std::string>{"zenodo", "physionet", "kaggle", "huggingface", "idc", "tcia"}));
}

TEST_F(CheckLive, AnUnknownProviderIsAUsageErrorBeforeAnyRequest) {
    auto run = cxrcat({"check", "--live", "zenodo", "figshare"});
    EXPECT_EQ(run.exit_code, 2) << run.describe();
    EXPECT_TRUE(has_text(run.err, "figshare"));
    EXPECT_EQ(run.out, ""); // nothing was probed: the names are checked first
}

TEST_F(CheckLive, CheckWithoutLiveStillNeedsADatasetId) {
    auto run = cxrcat({"check"});
    EXPECT_EQ(run.exit_code, 2) << run.describe();
}

} // namespace
} // namespace cxrcat::test
