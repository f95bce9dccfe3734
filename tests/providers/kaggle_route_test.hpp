// SPDX-License-Identifier: Apache-2.0
// The Kaggle stub's competitions, accounts and datasets, for the kaggle route tests.
#pragma once

#include "stub_route_test.hpp"

namespace cxrcat::test {

class KaggleRoute : public StubRouteTest {
  protected:
    // Creates competition `slug` with files (path → content) and controls (name → content), at once.
    void publish_competition(const std::string& slug, const std::map<std::string, std::string>& files,
                             const std::map<std::string, std::string>& controls = {}) {
        std::filesystem::path staging = world("kaggle") / ("_staging-" + slug);
        for (const auto& [path, content] : files) {
            write_text_file(staging / path, content);
        }
        for (const auto& [name, content] : controls) {
            write_text_file(staging / name, content);
        }
        std::filesystem::rename(staging, world("kaggle") / slug);
    }

    // Creates Kaggle dataset "<owner>/<slug>" with files and controls, at once (the stub's
    // <world>/kaggle/_datasets/<owner>/<slug>).
    void publish_kaggle_dataset(const std::string& owner, const std::string& slug,
                                const std::map<std::string, std::string>& files,
                                const std::map<std::string, std::string>& controls = {}) {
        std::filesystem::path staging = world("kaggle") / "_datasets" / owner / ("_staging-" + slug);
        for (const auto& [path, content] : files) {
            write_text_file(staging / path, content);
        }
        for (const auto& [name, content] : controls) {
            write_text_file(staging / name, content);
        }
        std::filesystem::rename(staging, world("kaggle") / "_datasets" / owner / slug);
    }

    // An open-class catalog dataset (a public Kaggle dataset) whose single source is Kaggle dataset `ref`
    // ("<owner>/<slug>"), at `version` when not "".
    std::string add_kaggle_dataset_source(const std::string& ref, const std::string& version = "") {
        std::string id = unique("kds");
        nlohmann::json source = {{"provider", "kaggle"}, {"label", "Kaggle dataset"}, {"dataset", ref}};
        if (!version.empty()) {
            source["version"] = version;
        }
        add_dataset(dataset_entry(id, "open", source));
        return id;
    }

    // Registers a user with key and/or tokens at the stub; `accepted` lists the competitions whose
    // rules they accepted (for the user and every token).
    void register_account(const std::string& user, const std::string& key, const std::vector<std::string>& tokens,
                          const std::vector<std::string>& accepted) {
        nlohmann::json document = {
            {"keys", nlohmann::json::object()}, {"tokens", tokens}, {"accepted", nlohmann::json::object()}};
        if (!user.empty()) {
            document["keys"][user] = key;
        }
        for (const auto& slug : accepted) {
            nlohmann::json who = nlohmann::json::array();
            if (!user.empty()) {
                who.push_back(user);
            }
            for (const auto& token : tokens) {
                who.push_back(token);
            }
            document["accepted"][slug] = who;
        }
        std::filesystem::path file = world("kaggle") / "_auth.d" / (unique("auth") + ".json");
        std::filesystem::path staging = file;
        staging += ".tmp";
        write_text_file(staging, document.dump());
        std::filesystem::rename(staging, file);
    }

    // A competition-class dataset whose single source is the Kaggle competition `slug`.
    std::string add_kaggle_dataset(const std::string& slug, const nlohmann::json& files = nlohmann::json::array()) {
        std::string id = unique("kag");
        nlohmann::json source = {{"provider", "kaggle"}, {"label", "Kaggle competition"}, {"competition", slug}};
        if (!files.empty()) {
            source["files"] = files;
        }
        add_dataset(dataset_entry(id, "competition", source));
        return id;
    }

    // Replaces a served file by new bytes (a new inode, so the stub recomputes everything).
    void replace_remote(const std::string& slug, const std::string& path, const std::string& content) {
        std::filesystem::path staging = world("kaggle") / slug / "_replacement";
        write_text_file(staging, content);
        std::filesystem::rename(staging, world("kaggle") / slug / path);
    }

    // A fresh account with a key, its environment, and the competition's rules accepted (or not).
    std::map<std::string, std::string> key_account(const std::string& slug, bool accept_rules) {
        std::string user = unique("user");
        std::string key = random_hex(16);
        register_account(user, key, {}, accept_rules ? std::vector<std::string>{slug} : std::vector<std::string>{});
        return {{"KAGGLE_USERNAME", user}, {"KAGGLE_KEY", key}};
    }

    // Where the stub counts the RPC calls of method for competition slug (one path serves every
    // competition, so the stub keys them by the body's competitionName).
    static std::string rpc_path(const std::string& method, const std::string& slug) {
        return "/v1/competitions.CompetitionApiService/" + method + "/" + slug;
    }

    // Where the stub counts the datasets-service calls of method for dataset "<owner>/<slug>".
    static std::string dataset_rpc_path(const std::string& method, const std::string& ref) {
        return "/v1/datasets.DatasetApiService/" + method + "/" + ref;
    }

    // Zeroes the stub's counters of the two RPC paths, fetches every file of id one by one (--include:
    // a whole source would be one archive call) and checks each installed file's content.
    void fetch_each_file(const std::string& id, const std::map<std::string, std::string>& env,
                         const std::map<std::string, std::string>& files, const std::string& list_path,
                         const std::string& download_path) {
        reset_stats("kaggle", list_path);
        reset_stats("kaggle", download_path);
        auto fetch = cxrcat({"fetch", id, "--accept-terms", "--include", "*"}, env);
        ASSERT_EQ(fetch.exit_code, 0) << fetch.describe();
        for (const auto& [path, content] : files) {
            EXPECT_EQ(read_text_file(dataset_dir(id) / path), content) << path;
        }
    }

    static std::string rules_url(const std::string& slug) {
        return "https://www.kaggle.com/competitions/" + slug + "/rules";
    }
};

} // namespace cxrcat::test
