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
#include "builtin_route_fixture.hpp"

#include <algorithm>
#include <cctype>
#include <set>

namespace cxrcat::test {
namespace {

// The fixture, the catalog and the stand-ins, with their fs and json (builtin_route_fixture.hpp).
using namespace routes;

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
