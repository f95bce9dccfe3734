// SPDX-License-Identifier: Apache-2.0
// Shared fixture of the huggingface route tests: repositories of the Hub stub of the test's own,
// tokens, and the CDN path an LFS file is redirected to.
#pragma once

#include "cxrcat/base/digest.hpp"
#include "stub_route_test.hpp"

namespace cxrcat::test {

class HuggingFaceRoute : public StubRouteTest {
  protected:
    // Creates repository owner/name with files (path → content), _repo.json when config is an
    // object, and controls (name → content), all at once. Returns "owner/name".
    std::string publish_repo(const std::map<std::string, std::string>& files, const nlohmann::json& config = nullptr,
                             const std::map<std::string, std::string>& controls = {}) {
        std::string owner = unique("own");
        std::string name = unique("ds");
        std::filesystem::path staging = world("huggingface") / ("_staging-" + name);
        for (const auto& [path, content] : files) {
            write_text_file(staging / path, content);
        }
        if (config.is_object()) {
            write_text_file(staging / "_repo.json", config.dump());
        }
        for (const auto& [control, content] : controls) {
            write_text_file(staging / control, content);
        }
        std::filesystem::create_directories(world("huggingface") / owner);
        std::filesystem::rename(staging, world("huggingface") / owner / name);
        return owner + "/" + name;
    }

    // Makes token valid at the Hub stub (a drop-in file of this test's own).
    void register_token(const std::string& token) {
        std::filesystem::path file = world("huggingface") / "_tokens.d" / (unique("tokens") + ".json");
        std::filesystem::path staging = file;
        staging += ".tmp";
        write_text_file(staging, nlohmann::json::array({token}).dump());
        std::filesystem::rename(staging, file);
    }

    // A dataset whose single source is the Hugging Face dataset repo (at revision, when given).
    std::string add_hub_dataset(const std::string& repo, const std::string& access_class = "gated",
                                const std::string& revision = "") {
        std::string id = unique("hf");
        nlohmann::json source = {{"provider", "huggingface"}, {"label", "Hub"}, {"repo", repo}};
        if (!revision.empty()) {
            source["revision"] = revision;
        }
        add_dataset(dataset_entry(id, access_class, source));
        EXPECT_EQ(cxrcat({"accept", id}).exit_code, 0);
        return id;
    }

    static std::string new_token() { return "hf_" + random_hex(17); }

    static std::string sha256_of(const std::string& bytes) {
        Hasher hasher(DigestAlgorithm::sha256);
        hasher.update(bytes);
        return hasher.finish_hex();
    }

    // The CDN path an LFS file of repo is redirected to.
    static std::string cdn_path(const std::string& repo, const std::string& content, const std::string& quoted_path) {
        return "/datasets/" + repo + "/" + sha256_of(content) + "/" + quoted_path;
    }

    static std::string page(const std::string& repo) { return "https://huggingface.co/datasets/" + repo; }
};

} // namespace cxrcat::test
