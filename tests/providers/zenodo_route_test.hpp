// SPDX-License-Identifier: Apache-2.0
// Shared fixture of the zenodo route tests: publishes records into the Zenodo stub's world.
#pragma once

#include "cxrcat/base/digest.hpp"
#include "stub_route_test.hpp"

namespace cxrcat::test {

class ZenodoRoute : public StubRouteTest {
  protected:
    // Creates record <id> with files (key → content) and controls (name → content), all at once.
    void publish_record(const std::string& record, const std::map<std::string, std::string>& files,
                        const std::map<std::string, std::string>& controls = {}) {
        std::filesystem::path staging = world("zenodo") / ("_staging-" + record);
        for (const auto& [key, content] : files) {
            write_text_file(staging / key, content);
        }
        for (const auto& [name, content] : controls) {
            write_text_file(staging / name, content);
        }
        std::filesystem::rename(staging, world("zenodo") / record);
    }

    // A dataset whose single source is Zenodo record `record`, with the catalog's files.
    std::string add_zenodo_dataset(const std::string& record, const nlohmann::json& files = nlohmann::json::array()) {
        std::string id = unique("zen");
        nlohmann::json source = {{"provider", "zenodo"}, {"record", record}};
        if (!files.empty()) {
            source["files"] = files;
        }
        add_dataset(dataset_entry(id, "open", source));
        return id;
    }

    static void make_zip(const std::filesystem::path& path, const std::string& member, const std::string& content) {
        std::filesystem::create_directories(path.parent_path());
        auto made = run_process({"/usr/bin/python3", "-c",
                                 "import sys, zipfile\n"
                                 "with zipfile.ZipFile(sys.argv[1], 'w') as z:\n"
                                 "    z.writestr(sys.argv[2], sys.argv[3])\n",
                                 path.string(), member, content},
                                {});
        ASSERT_EQ(made.exit_code, 0) << made.describe();
    }

    static std::string md5_of(const std::string& bytes) {
        Hasher hasher(DigestAlgorithm::md5);
        hasher.update(bytes);
        return hasher.finish_hex();
    }
};

} // namespace cxrcat::test
