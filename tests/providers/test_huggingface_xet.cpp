// SPDX-License-Identifier: Apache-2.0
// The huggingface route following resolve's redirects itself (api-drift-2026.md §5.2, "A plain HTTP
// client must"): a relative 307 on the Hub keeps the token, the 302 to the CDN is read for
// X-Linked-Size and X-Repo-Commit and its signed URL is asked without the token; an expired link is
// resolved again from the origin; a file over the Range-only limit is asked for with Range; a file split
// over connections is resolved once, its segments asking the signed URL itself.
#include "huggingface_route_test.hpp"

namespace cxrcat::test {
namespace {

class HuggingFaceXet : public HuggingFaceRoute {
  protected:
    // A gated repository holding files, approved for a fresh token, and its old name: a repository
    // renamed to it (the old name answers resolve with a relative 307). Returns {old, new} names.
    std::pair<std::string, std::string> renamed_repo(const std::map<std::string, std::string>& files,
                                                     const std::map<std::string, std::string>& controls = {}) {
        m_token = new_token();
        register_token(m_token);
        std::string target = publish_repo(
            files, {{"gated", "manual"}, {"approved_tokens", nlohmann::json::array({m_token})}, {"sha", m_commit}},
            controls);
        std::string old = publish_repo({}, {{"moved_to", target}});
        return {old, target};
    }

    static std::string resolve_path(const std::string& repo, const std::string& file) {
        return "/datasets/" + repo + "/resolve/main/" + file;
    }

    // Fetches dataset id slowly enough to be split: after the one-second warm-up at 1 MB/s, the
    // rest of a k_split_size file is over the threshold and goes to four connections.
    ProcessResult split_fetch(const std::string& id) {
        return cxrcat({"fetch", id, "--segments", "4", "--limit-rate", "1M"},
                      {{"HF_TOKEN", m_token}, {"CXRCAT_SEGMENT_THRESHOLD", "200000"}});
    }

    static constexpr std::size_t k_split_size = 2'500'000;

    std::string m_token;
    std::string m_commit = random_hex(20);
};

TEST_F(HuggingFaceXet, ARelative307KeepsTheTokenAndThe302ToTheCdnDropsIt) {
    std::string data = random_bytes(20'000);
    auto [old_name, new_name] = renamed_repo({{"scans/a.bin", data}, {"notes.txt", "regular file\n"}});
    std::string id = add_hub_dataset(old_name);

    auto fetch = cxrcat({"fetch", id}, {{"HF_TOKEN", m_token}});
    ASSERT_EQ(fetch.exit_code, 0) << fetch.describe();
    EXPECT_EQ(read_text_file(dataset_dir(id) / "scans" / "a.bin"), data);
    EXPECT_EQ(read_text_file(dataset_dir(id) / "notes.txt"), "regular file\n");

    // The old name answers 307 (relative), the new name 302: both asked with the token (the new name
    // is gated: without it the 302 would have been a 401).
    auto hop = stats("huggingface", resolve_path(old_name, "scans/a.bin"));
    EXPECT_EQ(hop["statuses"], nlohmann::json::array({307})) << hop.dump();
    EXPECT_EQ(hop.value("authorization", 0), 1) << hop.dump();
    auto lfs = stats("huggingface", resolve_path(new_name, "scans/a.bin"));
    EXPECT_EQ(lfs["statuses"], nlohmann::json::array({302})) << lfs.dump();
    EXPECT_EQ(lfs.value("authorization", 0), 1) << lfs.dump();
    // The CDN refuses an Authorization header (400) and its ETag is not the SHA-256: one 200, no token,
    // and the file was still verified against the tree's lfs.oid.
    auto cdn = stats("huggingface_alt", cdn_path(new_name, data, "scans/a.bin"));
    EXPECT_EQ(cdn["statuses"], nlohmann::json::array({200})) << cdn.dump();
    EXPECT_EQ(cdn.value("authorization", -1), 0) << cdn.dump();
    auto regular = stats("huggingface", resolve_path(new_name, "notes.txt"));
    EXPECT_EQ(regular["statuses"], nlohmann::json::array({200})) << regular.dump();
    EXPECT_EQ(regular.value("authorization", 0), 1) << regular.dump();

    // The commit the Hub named (X-Repo-Commit) is recorded for every file it served.
    auto source = nlohmann::json::parse(read_text_file(dataset_dir(id) / "SOURCE.json"));
    std::map<std::string, std::string> revisions;
    for (const auto& file : source["last_fetch"]["files"]) {
        revisions[file["path"].get<std::string>()] = file.value("revision", "");
    }
    EXPECT_EQ(revisions["scans/a.bin"], m_commit) << source["last_fetch"].dump();
    EXPECT_EQ(revisions["notes.txt"], m_commit) << source["last_fetch"].dump();
    EXPECT_FALSE(has_text(fetch.err, "different commits")) << fetch.err;
}

TEST_F(HuggingFaceXet, AnExpiredSignedUrlIsResolvedAgainFromTheOldName) {
    std::string data = random_bytes(20'000);
    auto [old_name, new_name] = renamed_repo({{"a.bin", data}}, {{"_cdn_expired", "1"}});
    std::string id = add_hub_dataset(old_name);

    auto fetch = cxrcat({"fetch", id}, {{"HF_TOKEN", m_token}});
    ASSERT_EQ(fetch.exit_code, 0) << fetch.describe();
    EXPECT_EQ(read_text_file(dataset_dir(id) / "a.bin"), data);
    // The whole chain again, from the URL the catalog names, not from the signed URL that expired.
    EXPECT_EQ(stats("huggingface", resolve_path(old_name, "a.bin"))["statuses"], nlohmann::json::array({307, 307}));
    EXPECT_EQ(stats("huggingface", resolve_path(new_name, "a.bin"))["statuses"], nlohmann::json::array({302, 302}));
    auto cdn = stats("huggingface_alt", cdn_path(new_name, data, "a.bin"));
    EXPECT_EQ(cdn["statuses"], nlohmann::json::array({403, 200})) << cdn.dump();
    EXPECT_EQ(cdn.value("authorization", -1), 0) << cdn.dump();
}

TEST_F(HuggingFaceXet, ALinkedSizeThatContradictsTheTreeIsAVerificationError) {
    std::string data = random_bytes(20'000);
    std::string repo = publish_repo({{"a.bin", data}}, nullptr, {{"_linked_size", R"({"a.bin": 30000})"}});
    std::string id = add_hub_dataset(repo, "open");

    auto fetch = cxrcat({"fetch", id});
    EXPECT_EQ(fetch.exit_code, 5) << fetch.describe();
    EXPECT_TRUE(has_text(fetch.err, "a.bin: size mismatch: the redirect says 30,000 bytes (X-Linked-Size), the "
                                    "listing said 20,000"))
        << fetch.err;
    EXPECT_EQ(stats("huggingface_alt", cdn_path(repo, data, "a.bin")).value("requests", 0), 0)
        << "the CDN was asked for a file the redirect contradicts";
    EXPECT_FALSE(std::filesystem::exists(dataset_dir(id) / "a.bin"));
}

TEST_F(HuggingFaceXet, AFileOverTheRangeOnlyLimitIsAskedForWithRange) {
    std::string large = random_bytes(20'000);
    std::string small = random_bytes(12'000);
    std::string repo = publish_repo({{"large.bin", large}, {"small.bin", small}});
    std::string id = add_hub_dataset(repo, "open");

    // The Hub's limit is 50 GB; a lower one stands in for it here.
    auto fetch = cxrcat({"fetch", id}, {{"CXRCAT_RANGE_ONLY_ABOVE", "15000"}});
    ASSERT_EQ(fetch.exit_code, 0) << fetch.describe();
    EXPECT_EQ(read_text_file(dataset_dir(id) / "large.bin"), large);
    EXPECT_EQ(read_text_file(dataset_dir(id) / "small.bin"), small);
    auto ranged = stats("huggingface_alt", cdn_path(repo, large, "large.bin"));
    ASSERT_EQ(ranged["log"].size(), 1U) << ranged.dump();
    EXPECT_EQ(ranged["log"][0]["range"], "bytes=0-") << ranged.dump();
    EXPECT_EQ(ranged["statuses"], nlohmann::json::array({206})) << ranged.dump();
    auto plain = stats("huggingface_alt", cdn_path(repo, small, "small.bin"));
    ASSERT_EQ(plain["log"].size(), 1U) << plain.dump();
    EXPECT_TRUE(plain["log"][0]["range"].is_null()) << plain.dump();
}

TEST_F(HuggingFaceXet, ASplitFileIsResolvedOnceAndItsSegmentsAskTheSignedUrl) {
    std::string data = random_bytes(k_split_size);
    auto [old_name, new_name] = renamed_repo({{"big.bin", data}});
    std::string id = add_hub_dataset(old_name);

    auto fetch = split_fetch(id);
    ASSERT_EQ(fetch.exit_code, 0) << fetch.describe();
    EXPECT_EQ(sha256_of(read_text_file(dataset_dir(id) / "big.bin")), sha256_of(data));
    // One resolve for the whole file, not one per segment.
    auto hop = stats("huggingface", resolve_path(old_name, "big.bin"));
    EXPECT_EQ(hop["statuses"], nlohmann::json::array({307})) << hop.dump();
    auto lfs = stats("huggingface", resolve_path(new_name, "big.bin"));
    EXPECT_EQ(lfs["statuses"], nlohmann::json::array({302})) << lfs.dump();
    // The CDN saw the main stream's whole-file GET, then every segment's Range request, none with the token.
    auto cdn = stats("huggingface_alt", cdn_path(new_name, data, "big.bin"));
    EXPECT_EQ(cdn.value("authorization", -1), 0) << cdn.dump();
    const auto& log = cdn["log"];
    ASSERT_GE(log.size(), 3U) << "the file was never split: " << cdn.dump();
    EXPECT_TRUE(log[0]["range"].is_null()) << cdn.dump();
    for (std::size_t i = 1; i < log.size(); ++i) {
        EXPECT_TRUE(log[i]["range"].is_string()) << i << ": " << cdn.dump();
        EXPECT_EQ(log[i]["status"], 206) << i << ": " << cdn.dump();
    }
}

TEST_F(HuggingFaceXet, ASignedUrlThatExpiresUnderTheSegmentsIsResolvedAgainOnce) {
    std::string data = random_bytes(k_split_size);
    auto [old_name, new_name] = renamed_repo({{"big.bin", data}}, {{"_cdn_expires_in_use", "1"}});
    std::string id = add_hub_dataset(old_name);

    auto fetch = split_fetch(id);
    ASSERT_EQ(fetch.exit_code, 0) << fetch.describe();
    EXPECT_EQ(sha256_of(read_text_file(dataset_dir(id) / "big.bin")), sha256_of(data));
    // Exactly one more chain from the URL the catalog names.
    EXPECT_EQ(stats("huggingface", resolve_path(old_name, "big.bin"))["statuses"], nlohmann::json::array({307, 307}));
    EXPECT_EQ(stats("huggingface", resolve_path(new_name, "big.bin"))["statuses"], nlohmann::json::array({302, 302}));
    auto cdn = stats("huggingface_alt", cdn_path(new_name, data, "big.bin"));
    EXPECT_EQ(cdn.value("authorization", -1), 0) << cdn.dump();
    const auto& log = cdn["log"];
    std::size_t expired = 0;
    while (expired < log.size() && log[expired]["status"] != 403) {
        ++expired;
    }
    ASSERT_LT(expired, log.size()) << "no segment met the expired link: " << cdn.dump();
    // After the new resolve every request is ranged and none starts again at byte 0: what had
    // arrived (the main stream's share so far, the segments' bytes) stays.
    std::size_t partial = 0;
    for (std::size_t i = expired; i < log.size(); ++i) {
        ASSERT_TRUE(log[i]["range"].is_string()) << i << ": " << cdn.dump();
        EXPECT_NE(log[i]["range"].get<std::string>().rfind("bytes=0-", 0), 0U) << i << ": " << cdn.dump();
        partial += log[i]["status"] == 206 ? 1U : 0U;
    }
    EXPECT_GE(partial, 2U) << cdn.dump();
}

} // namespace
} // namespace cxrcat::test
