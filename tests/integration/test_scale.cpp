// SPDX-License-Identifier: Apache-2.0
// Issue 10: choosing what to fetch (--files-from, --sample, --where, dry-run JSON), sharding over
// workers (--shard K/N and auto, shards running at once into one CXRCAT_HOME) and `status`.
#include "cxrcat/base/digest.hpp"
#include "integration_test.hpp"

#include <set>

namespace cxrcat::test {
namespace {

class Scale : public IntegrationTest {
  protected:
    // Serves `count` files of different sizes (img/NN.bin) and writes the catalog listing them.
    void serve_files(std::size_t count) {
        std::vector<CatalogFile> files;
        for (std::size_t i = 0; i < count; ++i) {
            std::string name = "img/" + std::string(i < 10 ? "0" : "") + std::to_string(i) + ".bin";
            std::string bytes = random_bytes(1000 + 7919 * i);
            serve(name, bytes);
            m_names.push_back(name);
            files.push_back({name, nginx_url("files", name), bytes.size(), sha256_hex(bytes)});
        }
        write_catalog(files);
    }
    // How many times nginx served name.
    [[nodiscard]] std::size_t requests_for(const std::string& name) const {
        return access_log("/files/" + served_path(name)).size();
    }
    // The paths of a dry-run JSON plan.
    [[nodiscard]] static std::vector<std::string> planned_paths(const ProcessResult& result) {
        std::vector<std::string> out;
        auto json = stdout_json(result);
        for (const auto& file : json["plans"][0]["files"]) {
            out.push_back(file["path"].get<std::string>());
        }
        return out;
    }
    std::vector<std::string> m_names;
};

TEST_F(Scale, FilesFromWithAnUnknownPathStopsBeforeAnyDownload) {
    serve_files(3);
    write_text_file(m_dir / "list.txt", "img/00.bin\n# a comment\n./img/02.bin\nimg/nope.bin\n");
    auto refused = cxrcat({"fetch", "t1", "--accept-terms", "--files-from", (m_dir / "list.txt").string()});
    EXPECT_EQ(refused.exit_code, 3) << refused.describe();
    EXPECT_THAT(refused.err, HasSubstr("img/nope.bin")) << refused.describe();
    for (const auto& name : m_names) {
        EXPECT_EQ(requests_for(name), 0U) << name;
    }
    EXPECT_FALSE(fs::exists(installed("img/00.bin")));

    write_text_file(m_dir / "list.txt", "img/00.bin\n./img/02.bin\r\n");
    auto fetched = cxrcat({"fetch", "t1", "--files-from", (m_dir / "list.txt").string()});
    ASSERT_EQ(fetched.exit_code, 0) << fetched.describe();
    EXPECT_TRUE(fs::exists(installed("img/00.bin")));
    EXPECT_FALSE(fs::exists(installed("img/01.bin")));
    EXPECT_TRUE(fs::exists(installed("img/02.bin")));
}

TEST_F(Scale, FilesFromStandardInput) {
    serve_files(3);
    auto argv = cxrcat_argv({"fetch", "t1", "--dry-run", "--format", "json", "--files-from", "-"});
    std::vector<std::string> shell{"/bin/sh", "-c", "printf 'img/01.bin\\n' | exec \"$@\"", "sh"};
    shell.insert(shell.end(), argv.begin(), argv.end());
    auto result = run_process(shell, child_env({}), unset_vars());
    ASSERT_EQ(result.exit_code, 0) << result.describe();
    EXPECT_EQ(planned_paths(result), std::vector<std::string>{"img/01.bin"});
}

TEST_F(Scale, SampleIsStableAcrossRunsAndLocales) {
    serve_files(12);
    auto first = cxrcat({"fetch", "t1", "--dry-run", "--format", "json", "--sample", "5", "--seed", "7"});
    ASSERT_EQ(first.exit_code, 0) << first.describe();
    auto chosen = planned_paths(first);
    EXPECT_EQ(chosen.size(), 5U);
    for (const char* locale : {"C", "C.UTF-8", "tr_TR.UTF-8"}) {
        auto again = cxrcat({"fetch", "t1", "--dry-run", "--format", "json", "--sample", "5", "--seed", "7"},
                            {{"LC_ALL", locale}, {"LANG", locale}});
        ASSERT_EQ(again.exit_code, 0) << again.describe();
        EXPECT_EQ(planned_paths(again), chosen) << locale;
    }
    auto other_seed = cxrcat({"fetch", "t1", "--dry-run", "--format", "json", "--sample", "5", "--seed", "8"});
    EXPECT_NE(planned_paths(other_seed), chosen);
    auto too_many = cxrcat({"fetch", "t1", "--dry-run", "--format", "json", "--sample", "50"});
    EXPECT_EQ(planned_paths(too_many).size(), 12U);
}

TEST_F(Scale, WhereWithAnUnknownFieldIsAUsageError) {
    serve_files(2);
    auto result = cxrcat({"fetch", "t1", "--dry-run", "--where", "Modality=CT"});
    EXPECT_EQ(result.exit_code, 2) << result.describe();
    EXPECT_THAT(result.err, HasSubstr("unknown --where field 'Modality'")) << result.describe();
    EXPECT_THAT(result.err, HasSubstr("carry no metadata")) << result.describe();
    auto malformed = cxrcat({"fetch", "t1", "--dry-run", "--where", "Modality"});
    EXPECT_EQ(malformed.exit_code, 2) << malformed.describe();
}

TEST_F(Scale, DryRunJsonShowsPathSizeDigestsAndUrl) {
    serve_files(2);
    auto result = cxrcat({"fetch", "t1", "--dry-run", "--format", "json"});
    ASSERT_EQ(result.exit_code, 0) << result.describe();
    auto file = stdout_json(result)["plans"][0]["files"][0];
    EXPECT_EQ(file["path"], "img/00.bin");
    EXPECT_EQ(file["size"], 1000);
    EXPECT_EQ(file["digests"]["sha256"].get<std::string>().size(), 64U);
    EXPECT_EQ(file["url"], nginx_url("files", "img/00.bin"));
}

TEST_F(Scale, ShardsAreDisjointBalancedAndCoverTheSelection) {
    serve_files(9);
    std::set<std::string> seen;
    std::vector<std::uint64_t> bytes;
    for (int k = 1; k <= 3; ++k) {
        auto result = cxrcat({"fetch", "t1", "--dry-run", "--format", "json", "--shard", std::to_string(k) + "/3"});
        ASSERT_EQ(result.exit_code, 0) << result.describe();
        auto plan = stdout_json(result)["plans"][0];
        EXPECT_EQ(plan["selected_files"], 9);
        std::uint64_t total = 0;
        for (const auto& file : plan["files"]) {
            EXPECT_TRUE(seen.insert(file["path"].get<std::string>()).second) << "in two shards: " << file["path"];
            total += file["size"].get<std::uint64_t>();
        }
        bytes.push_back(total);
    }
    EXPECT_EQ(seen.size(), 9U);
    auto [low, high] = std::minmax_element(bytes.begin(), bytes.end());
    // Sizes 1000 + 7919 i: the largest file is 64 352 bytes, so greedy balancing keeps shards within it.
    EXPECT_LE(*high - *low, 64'352U);
    auto bad = cxrcat({"fetch", "t1", "--dry-run", "--shard", "4/3"});
    EXPECT_EQ(bad.exit_code, 2) << bad.describe();
}

TEST_F(Scale, FourShardsAtOnceIntoOneHomeFetchEachFileOnceAndMerge) {
    serve_files(16);
    std::vector<SpawnedProcess> running;
    for (int k = 1; k <= 4; ++k) {
        running.push_back(start_cxrcat({"fetch", "t1", "--accept-terms", "--shard", std::to_string(k) + "/4"}));
    }
    for (auto& process : running) {
        auto result = process.wait();
        ASSERT_EQ(result.exit_code, 0) << result.describe();
    }
    for (const auto& name : m_names) {
        EXPECT_TRUE(fs::exists(installed(name))) << name;
        EXPECT_EQ(requests_for(name), 1U) << name;
    }
    auto status = cxrcat({"status", "t1", "--format", "json"});
    ASSERT_EQ(status.exit_code, 0) << status.describe();
    auto entry = stdout_json(status)["datasets"][0];
    EXPECT_EQ(entry["files_installed"], 16);
    EXPECT_EQ(entry["files_selected"], 16);
    EXPECT_EQ(entry["bytes_installed"], entry["bytes_selected"]);

    auto rerun = cxrcat({"fetch", "t1", "--format", "json"});
    ASSERT_EQ(rerun.exit_code, 0) << rerun.describe();
    EXPECT_EQ(stdout_json(rerun)["summary"]["skipped"], 16) << rerun.out;
    for (const auto& name : m_names) {
        EXPECT_EQ(requests_for(name), 1U) << name;
    }
    auto verify = cxrcat({"verify", "t1"});
    EXPECT_EQ(verify.exit_code, 0) << verify.describe();
}

TEST_F(Scale, ShardAutoUnderSlurmAndKubernetes) {
    serve_files(4);
    std::vector<std::string> clear{"SLURM_ARRAY_TASK_ID",   "SLURM_ARRAY_TASK_MIN", "SLURM_ARRAY_TASK_COUNT",
                                   "SLURM_ARRAY_TASK_STEP", "JOB_COMPLETION_INDEX", "CXRCAT_SHARD_COUNT"};
    auto explicit_plan = cxrcat({"fetch", "t1", "--dry-run", "--format", "json", "--shard", "2/2"}, {}, clear);
    auto slurm = cxrcat({"fetch", "t1", "--dry-run", "--format", "json", "--shard", "auto"},
                        {{"SLURM_ARRAY_TASK_ID", "6"}, {"SLURM_ARRAY_TASK_MIN", "5"}, {"SLURM_ARRAY_TASK_COUNT", "2"}},
                        {"JOB_COMPLETION_INDEX", "CXRCAT_SHARD_COUNT", "SLURM_ARRAY_TASK_STEP"});
    ASSERT_EQ(slurm.exit_code, 0) << slurm.describe();
    EXPECT_THAT(slurm.err, HasSubstr("Slurm")) << slurm.describe();
    EXPECT_EQ(planned_paths(slurm), planned_paths(explicit_plan));

    auto kubernetes = cxrcat({"fetch", "t1", "--dry-run", "--format", "json", "--shard", "auto"},
                             {{"JOB_COMPLETION_INDEX", "1"}, {"CXRCAT_SHARD_COUNT", "2"}},
                             {"SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_MIN", "SLURM_ARRAY_TASK_COUNT"});
    ASSERT_EQ(kubernetes.exit_code, 0) << kubernetes.describe();
    EXPECT_THAT(kubernetes.err, HasSubstr("Kubernetes")) << kubernetes.describe();
    EXPECT_EQ(planned_paths(kubernetes), planned_paths(explicit_plan));

    auto missing = cxrcat({"fetch", "t1", "--dry-run", "--shard", "auto"}, {}, clear);
    EXPECT_EQ(missing.exit_code, 2) << missing.describe();
    auto no_count = cxrcat({"fetch", "t1", "--dry-run", "--shard", "auto"}, {{"JOB_COMPLETION_INDEX", "0"}},
                           {"SLURM_ARRAY_TASK_ID", "CXRCAT_SHARD_COUNT"});
    EXPECT_EQ(no_count.exit_code, 2) << no_count.describe();
    EXPECT_THAT(no_count.err, HasSubstr("CXRCAT_SHARD_COUNT")) << no_count.describe();
}

} // namespace
} // namespace cxrcat::test
