// SPDX-License-Identifier: Apache-2.0
// Shared fixture of the tcia route tests: a unit of the NBIA stub of the test's own, series and rows.
#pragma once

#include "stub_route_test.hpp"

#include <cstdio>

namespace cxrcat::test {

class TciaRoute : public StubRouteTest {
  protected:
    void set_up_route() override {
        m_unit = unique("nbia");
        std::filesystem::create_directories(world("tcia") / m_unit);
        std::filesystem::create_directories(world("tcia_nlst") / m_unit);
        m_env["CXRCAT_TCIA_URL"] = api_base("v1");
    }

    static std::string dicom(std::size_t body) { return std::string(128, '\0') + "DICM" + random_bytes(body); }

    // A series of the stub: its files (served as 00000001.dcm, … in name order) and its getSeries row,
    // in the shape of the live capture (provider-facts.md §4). Returns the installed layout.
    std::map<std::string, std::string> add_series(nlohmann::json& rows, const std::string& collection,
                                                  const std::string& patient, const std::string& uid,
                                                  const std::vector<std::string>& contents,
                                                  const std::string& modality = "CT") {
        std::map<std::string, std::string> installed;
        std::uint64_t size = 0;
        for (std::size_t i = 0; i < contents.size(); ++i) {
            char name[32];
            std::snprintf(name, sizeof name, "%08zu.dcm", i + 1);
            write_text_file(world(m_host) / m_unit / uid / ("stored-" + std::to_string(i + 10) + ".dcm"), contents[i]);
            installed[uid + "/" + name] = contents[i];
            size += contents[i].size();
        }
        rows.push_back({{"SeriesInstanceUID", uid},
                        {"StudyInstanceUID", uid + ".0"},
                        {"Modality", modality},
                        {"SeriesDate", "2000-01-01 00:00:00.0"},
                        {"BodyPartExamined", "CHEST"},
                        {"Collection", collection},
                        {"PatientID", patient},
                        {"ImageCount", contents.size()},
                        {"FileSize", size},
                        {"LicenseName", "Creative Commons Attribution 3.0 Unported License"}});
        return installed;
    }

    void write_rows(const nlohmann::json& rows) {
        write_text_file(world(m_host) / m_unit / "series.json", rows.dump());
    }
    void write_control(const std::string& name, const std::string& text) {
        write_text_file(world(m_host) / m_unit / name, text);
    }
    [[nodiscard]] std::string endpoint(const std::string& name, const std::string& version = "v1") const {
        return "/" + m_unit + "/nbia-api/services/" + version + "/" + name;
    }
    // This test's own NBIA API at version ("v1", "v4").
    [[nodiscard]] std::string api_base(const std::string& version) const {
        return base(m_host) + "/" + m_unit + "/nbia-api/services/" + version;
    }
    [[nodiscard]] std::string series_uid() const {
        return "1.3.6.1.4.1.14519.5.2.1." + std::to_string(++m_next) + "." + random_digits();
    }
    static std::string random_digits() { return std::to_string(std::stoull(random_hex(4), nullptr, 16)); }

    std::string m_unit;
    // The stub server the helpers above write to and address: "tcia", or "tcia_nlst" (NLST's own host).
    std::string m_host = "tcia";
    mutable int m_next = 0;
};

} // namespace cxrcat::test
