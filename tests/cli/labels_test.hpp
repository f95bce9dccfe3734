// SPDX-License-Identifier: Apache-2.0
// The fixture of the `cxrcat labels` tests: a dataset's label fixture (tests/fixtures/labels/<id>)
// copied to where fetch installs it, empty image files, and the output's lines.
#pragma once

#include "cli_test.hpp"

#include <sstream>

namespace cxrcat::test {

class LabelsTest : public CliTest {
  protected:
    // Copies the fixture folder of id to where fetch installs the dataset.
    std::filesystem::path install(const std::string& id) {
        std::filesystem::path dir = dataset_dir(id);
        std::filesystem::create_directories(dir);
        std::filesystem::copy(fixture("labels/" + id), dir, std::filesystem::copy_options::recursive);
        return dir;
    }
    std::filesystem::path dataset_dir(const std::string& id) const { return m_dir / "cxrcat-home" / "datasets" / id; }
    // Empty image files, so that rows name images that are on disk.
    void touch(const std::string& id, const std::vector<std::string>& images) const {
        for (const std::string& image : images) {
            write_text_file(dataset_dir(id) / image, "");
        }
    }
    // MIMIC's tables as PhysioNet serves them: .csv.gz, made with gzip itself.
    void install_mimic() {
        std::filesystem::path dir = install("mimic-cxr-jpg");
        for (const char* name :
             {"mimic-cxr-2.0.0-metadata.csv", "mimic-cxr-2.0.0-split.csv", "mimic-cxr-2.0.0-chexpert.csv"}) {
            ProcessResult gzip = run_process({"gzip", (dir / name).string()}, {}, {});
            ASSERT_EQ(gzip.exit_code, 0) << gzip.describe();
        }
    }
    static std::vector<std::string> lines(const std::string& text) {
        std::vector<std::string> out;
        std::istringstream in(text);
        for (std::string line; std::getline(in, line);) {
            out.push_back(line);
        }
        return out;
    }
};

inline const std::string k_fixed = "dataset,image,patient,study,view,sex,age,split,source_image,";

} // namespace cxrcat::test
