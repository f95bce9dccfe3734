// SPDX-License-Identifier: Apache-2.0
// Selection flags, shard assignment and per-shard state journals (issue 10).
#include "cxrcat/base/digest.hpp"
#include "cxrcat/plan/selection.hpp"
#include "cxrcat/state/dataset_state.hpp"
#include "plan/plan_selection.hpp"
#include "support/files.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <map>
#include <numeric>
#include <sstream>

namespace cxrcat {
namespace {

std::function<std::optional<std::string>(const char*)> fake_env(std::map<std::string, std::string> values) {
    return [values = std::move(values)](const char* name) -> std::optional<std::string> {
        auto it = values.find(name);
        return it == values.end() ? std::nullopt : std::optional<std::string>(it->second);
    };
}

TEST(Shard, ParsesKOfN) {
    auto shard = parse_shard("2/4", fake_env({}));
    ASSERT_TRUE(shard);
    EXPECT_EQ(shard->index, 2U);
    EXPECT_EQ(shard->count, 4U);
    EXPECT_EQ(shard->tag(), "shard-2-of-4");
    EXPECT_TRUE(shard->active());
    EXPECT_FALSE(parse_shard("1/1", fake_env({}))->active());
    for (const char* bad : {"0/4", "5/4", "2", "a/b", "2/0", "/4", "2/"}) {
        auto refused = parse_shard(bad, fake_env({}));
        ASSERT_FALSE(refused) << bad;
        EXPECT_EQ(refused.error().code(), ErrorCode::usage) << bad;
    }
}

TEST(Shard, AutoReadsASlurmArrayIncludingAStep) {
    auto shard = parse_shard(
        "auto",
        fake_env({{"SLURM_ARRAY_TASK_ID", "12"}, {"SLURM_ARRAY_TASK_MIN", "10"}, {"SLURM_ARRAY_TASK_COUNT", "4"}}));
    ASSERT_TRUE(shard);
    EXPECT_EQ(shard->index, 3U);
    EXPECT_EQ(shard->count, 4U);
    EXPECT_NE(shard->origin.find("Slurm"), std::string::npos);
    auto stepped = parse_shard("auto", fake_env({{"SLURM_ARRAY_TASK_ID", "8"},
                                                 {"SLURM_ARRAY_TASK_MIN", "0"},
                                                 {"SLURM_ARRAY_TASK_COUNT", "4"},
                                                 {"SLURM_ARRAY_TASK_STEP", "4"}}));
    ASSERT_TRUE(stepped);
    EXPECT_EQ(stepped->index, 3U);
}

TEST(Shard, AutoReadsAKubernetesIndexedJob) {
    auto shard = parse_shard("auto", fake_env({{"JOB_COMPLETION_INDEX", "0"}, {"CXRCAT_SHARD_COUNT", "3"}}));
    ASSERT_TRUE(shard);
    EXPECT_EQ(shard->index, 1U);
    EXPECT_EQ(shard->count, 3U);
    EXPECT_NE(shard->origin.find("Kubernetes"), std::string::npos);
    EXPECT_FALSE(parse_shard("auto", fake_env({{"JOB_COMPLETION_INDEX", "0"}})));
    EXPECT_FALSE(parse_shard("auto", fake_env({{"JOB_COMPLETION_INDEX", "3"}, {"CXRCAT_SHARD_COUNT", "3"}})));
    EXPECT_FALSE(parse_shard("auto", fake_env({})));
}

TEST(Shard, AssignmentIsDisjointBalancedAndDeterministic) {
    std::vector<std::string> paths;
    std::vector<std::optional<std::uint64_t>> sizes;
    for (std::uint64_t i = 0; i < 200; ++i) {
        paths.push_back("f" + std::to_string(i));
        sizes.emplace_back(i % 7 == 0 ? std::nullopt : std::optional<std::uint64_t>(1000U + (i * 7919U) % 100'000U));
    }
    auto shards = assign_shards(paths, sizes, 4);
    EXPECT_EQ(shards, assign_shards(paths, sizes, 4));
    std::vector<std::uint64_t> bytes(4);
    std::vector<std::size_t> files(4);
    std::uint64_t largest = 0;
    for (std::size_t i = 0; i < paths.size(); ++i) {
        ASSERT_LT(shards[i], 4U);
        bytes[shards[i]] += sizes[i].value_or(0);
        files[shards[i]] += 1;
        largest = std::max(largest, sizes[i].value_or(0));
    }
    auto [low, high] = std::minmax_element(bytes.begin(), bytes.end());
    EXPECT_LE(*high - *low, largest);
    EXPECT_EQ(std::accumulate(files.begin(), files.end(), std::size_t{0}), paths.size());
    // The input order does not matter, only the inputs.
    std::vector<std::string> reversed_paths(paths.rbegin(), paths.rend());
    std::vector<std::optional<std::uint64_t>> reversed_sizes(sizes.rbegin(), sizes.rend());
    auto reversed = assign_shards(reversed_paths, reversed_sizes, 4);
    for (std::size_t i = 0; i < paths.size(); ++i) {
        EXPECT_EQ(reversed[paths.size() - 1 - i], shards[i]);
    }
}

TEST(FilesFrom, SkipsCommentsAndNormalisesLines) {
    std::istringstream input("# list\n./a/b.dcm\r\n\nc.txt  \n");
    auto paths = parse_files_from(input, "list");
    ASSERT_TRUE(paths);
    EXPECT_EQ(*paths, (std::vector<std::string>{"a/b.dcm", "c.txt"}));
    std::istringstream unsafe("a\n../etc/passwd\n");
    auto refused = parse_files_from(unsafe, "list");
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code(), ErrorCode::usage);
    EXPECT_NE(refused.error().message().find("line 2"), std::string::npos);
}

TEST(Where, GroupsAlternativesByField) {
    auto where = parse_where({"Modality=CT", "PatientID=a", "Modality=MR", "Note=a=b"});
    ASSERT_TRUE(where);
    EXPECT_EQ((*where)["Modality"], (std::vector<std::string>{"CT", "MR"}));
    EXPECT_EQ((*where)["Note"], std::vector<std::string>{"a=b"});
    EXPECT_FALSE(parse_where({"Modality"}));
    EXPECT_FALSE(parse_where({"=CT"}));
}

TEST(Digest, HexToBase64AsStorageTransferServiceWantsIt) {
    EXPECT_EQ(hex_digest_to_base64("d41d8cd98f00b204e9800998ecf8427e"), "1B2M2Y8AsgTpgAmY7PhCfg==");
    EXPECT_EQ(hex_digest_to_base64("zz"), "");
    EXPECT_EQ(hex_digest_to_base64("abc"), "");
}

TEST(StateJournal, ShardsWriteOwnJournalsMergedOnReadAndFoldedBySave) {
    test::TempDir dir;
    test::write_text_file(dir.path() / "a.bin", "a");
    test::write_text_file(dir.path() / "b.bin", "b");
    DatasetState first = DatasetState::load(dir.path());
    DatasetState second = DatasetState::load(dir.path()); // loaded at the same time: no lost update
    ASSERT_TRUE(first.record_file("a.bin", {{DigestAlgorithm::sha256, sha256_hex("a")}}, "", "t"));
    ASSERT_TRUE(second.record_file("b.bin", {{DigestAlgorithm::sha256, sha256_hex("b")}}, "", "t"));
    ASSERT_TRUE(first.save_journal("shard-1-of-2"));
    ASSERT_TRUE(second.save_journal("shard-2-of-2"));

    DatasetState merged = DatasetState::load(dir.path());
    EXPECT_TRUE(merged.is_intact("a.bin"));
    EXPECT_TRUE(merged.is_intact("b.bin"));

    // A later run of shard 1 removes its file: the journal records the removal.
    DatasetState again = DatasetState::load(dir.path());
    again.files.erase("a.bin");
    ASSERT_TRUE(again.save_journal("shard-1-of-2"));
    EXPECT_EQ(DatasetState::load(dir.path()).files.count("a.bin"), 0U);

    ASSERT_TRUE(DatasetState::load(dir.path()).save());
    EXPECT_FALSE(std::filesystem::exists(state_dir(dir.path()) / "journal" / "shard-2-of-2.json"));
    DatasetState folded = DatasetState::load(dir.path());
    EXPECT_TRUE(folded.is_intact("b.bin"));
    EXPECT_EQ(folded.files.count("a.bin"), 0U);
}

} // namespace
} // namespace cxrcat
