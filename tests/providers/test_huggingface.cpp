// SPDX-License-Identifier: Apache-2.0
// The huggingface route against the Hub stub and its CDN: paged tree API, LFS SHA-256 checked,
// first-download digests for regular files, the token kept off the CDN, and every gated, refused,
// missing and rate-limited answer with the fix it needs.
#include "huggingface_route_test.hpp"

namespace cxrcat::test {
namespace {

TEST_F(HuggingFaceRoute, FetchesAPublicRepoThroughThePagedTreeVerifyingLfsAndRecordingTheRest) {
    std::map<std::string, std::string> files = {{"README.md", "# Card\nsome words\n"},
                                                {"data/train.bin", random_bytes(20'000)},
                                                {"data/val.bin", random_bytes(12'000)},
                                                {"data/sub dir/notes.txt", "notes about the split\n"}};
    std::string repo = publish_repo(files); // LFS: the files over 10 KiB; tree pages of 2 entries
    std::string id = add_hub_dataset(repo, "open");

    auto check = cxrcat({"check", id});
    EXPECT_EQ(check.exit_code, 0) << check.describe();
    EXPECT_TRUE(has_text(check.out, "huggingface (Hub): ok — no token needed: " + repo + " is public (revision main)"));

    auto plan = cxrcat({"fetch", id, "--dry-run", "--format", "json"});
    ASSERT_EQ(plan.exit_code, 0) << plan.describe();
    auto plans = nlohmann::json::parse(plan.out);
    std::map<std::string, nlohmann::json> planned;
    for (const auto& file : plans["plans"][0]["files"]) {
        planned[file["path"].get<std::string>()] = file;
    }
    ASSERT_EQ(planned.size(), 4U) << plan.out;
    for (const std::string lfs : {"data/train.bin", "data/val.bin"}) {
        EXPECT_EQ(planned[lfs]["digest_origin"], "from the Hugging Face tree API (LFS sha256)") << lfs;
        EXPECT_EQ(planned[lfs]["digests"]["sha256"], sha256_of(files[lfs])) << lfs;
        EXPECT_EQ(planned[lfs]["size"], files[lfs].size()) << lfs;
    }
    for (const std::string regular : {"README.md", "data/sub dir/notes.txt"}) {
        EXPECT_EQ(planned[regular]["digests"], nlohmann::json::object()) << "a git blob sha1 is not a content digest";
        EXPECT_EQ(planned[regular]["digest_origin"], "") << regular;
    }

    std::string tree_path = "/api/datasets/" + repo + "/tree/main";
    reset_stats("huggingface", tree_path);
    auto fetch = cxrcat({"fetch", id});
    ASSERT_EQ(fetch.exit_code, 0) << fetch.describe();
    for (const auto& [path, content] : files) {
        EXPECT_EQ(read_text_file(dataset_dir(id) / path), content) << path;
    }
    EXPECT_TRUE(has_text(fetch.out, "no published checksum: recorded SHA-256"));
    // 6 entries (2 directories) at 2 a page, following Link: rel="next".
    auto tree = stats("huggingface", tree_path);
    EXPECT_EQ(tree.value("requests", 0), 3) << tree.dump();
    ASSERT_EQ(tree["log"].size(), 3U);
    EXPECT_TRUE(has_text(tree["log"][0]["target"].get<std::string>(), "recursive=true&expand=false"));
    EXPECT_TRUE(has_text(tree["log"][2]["target"].get<std::string>(), "cursor="));
    // LFS files came from the CDN; regular files from the Hub itself (a space encoded as %20).
    auto cdn = stats("huggingface_alt", cdn_path(repo, files["data/train.bin"], "data/train.bin"));
    EXPECT_EQ(cdn.value("requests", 0), 1) << cdn.dump();
    auto regular = stats("huggingface", "/datasets/" + repo + "/resolve/main/data/sub%20dir/notes.txt");
    EXPECT_EQ(regular["statuses"], nlohmann::json::array({200})) << regular.dump();

    // The CDN now serves other bytes under the same LFS oid, and a regular file changed: both refused.
    corrupt_keeping_metadata(world("huggingface") / repo / "data" / "train.bin");
    std::filesystem::path staging = world("huggingface") / repo / "_replacement";
    write_text_file(staging, "# Card\nother words\n");
    std::filesystem::rename(staging, world("huggingface") / repo / "README.md");
    std::filesystem::remove(dataset_dir(id) / "data" / "train.bin");
    std::filesystem::remove(dataset_dir(id) / "README.md");
    auto changed = cxrcat({"fetch", id, "--retries", "0"});
    EXPECT_EQ(changed.exit_code, 5) << changed.describe();
    EXPECT_TRUE(has_text(changed.err, "data/train.bin: sha256 mismatch"));
    EXPECT_TRUE(has_text(changed.err, "(from the Hugging Face tree API (LFS sha256))"));
    EXPECT_TRUE(has_text(changed.err, "README.md: sha256 mismatch"));
    EXPECT_TRUE(has_text(changed.err, "recorded at first download"));
    EXPECT_FALSE(std::filesystem::exists(dataset_dir(id) / "data" / "train.bin"));
    EXPECT_FALSE(std::filesystem::exists(dataset_dir(id) / "README.md"));
}

TEST_F(HuggingFaceRoute, AnApprovedTokenGetsTheGatedFilesAndNeverReachesTheCdn) {
    std::string token = new_token();
    register_token(token);
    std::map<std::string, std::string> files = {{"scans/a.bin", random_bytes(3'000)},
                                                {"labels.csv", "id,label\n1,0\n"}};
    std::string repo = publish_repo(files, {{"gated", "manual"},
                                            {"approved_tokens", nlohmann::json::array({token})},
                                            {"lfs", nlohmann::json::array({"*.bin"})}});
    std::string id = add_hub_dataset(repo);
    std::map<std::string, std::string> env = {{"HF_TOKEN", token}};

    auto check = cxrcat({"check", id}, env);
    EXPECT_EQ(check.exit_code, 0) << check.describe();
    EXPECT_TRUE(has_text(check.out, "ok — the token is accepted and has access to " + repo));
    EXPECT_TRUE(has_text(check.out, "credential: Hugging Face token from environment HF_TOKEN (****" +
                                        token.substr(token.size() - 4) + ")"));
    auto auth_check = stats("huggingface", "/api/datasets/" + repo + "/auth-check");
    ASSERT_FALSE(auth_check["log"].empty());
    EXPECT_EQ(auth_check["log"][0]["auth_scheme"], "Bearer");

    auto fetch = cxrcat({"fetch", id}, env);
    ASSERT_EQ(fetch.exit_code, 0) << fetch.describe();
    for (const auto& [path, content] : files) {
        EXPECT_EQ(read_text_file(dataset_dir(id) / path), content) << path;
    }
    auto hub = stats("huggingface", "/datasets/" + repo + "/resolve/main/scans/a.bin");
    EXPECT_EQ(hub.value("authorization", 0), 1) << hub.dump();
    EXPECT_EQ(hub["statuses"], nlohmann::json::array({302})) << hub.dump();
    auto cdn = stats("huggingface_alt", cdn_path(repo, files["scans/a.bin"], "scans/a.bin"));
    EXPECT_EQ(cdn.value("requests", 0), 1) << cdn.dump();
    EXPECT_EQ(cdn.value("authorization", -1), 0) << "the token followed the redirect to the CDN: " << cdn.dump();
}

TEST_F(HuggingFaceRoute, ReadsTheTokenFileUnderHfHome) {
    std::string token = new_token();
    register_token(token);
    std::string repo = publish_repo({{"a.bin", random_bytes(100)}},
                                    {{"gated", "auto"}, {"approved_tokens", nlohmann::json::array({token})}});
    std::string id = add_hub_dataset(repo);
    std::filesystem::path hf_home = m_dir / "hf-home";
    write_text_file(hf_home / "token", token + "\n");
    ASSERT_EQ(::chmod((hf_home / "token").c_str(), 0600), 0);

    auto check = cxrcat({"check", id}, {{"HF_HOME", hf_home.string()}});
    EXPECT_EQ(check.exit_code, 0) << check.describe();
    EXPECT_TRUE(has_text(check.out, "Hugging Face token from file " + (hf_home / "token").string()));
    EXPECT_EQ(check.err.find("readable by group or others"), std::string::npos) << check.err;
}

TEST_F(HuggingFaceRoute, AGatedRepoWithoutATokenSaysWhereToRequestAccess) {
    std::string repo = publish_repo({{"a.bin", random_bytes(100)}}, {{"gated", "manual"}});
    std::string id = add_hub_dataset(repo);
    std::string expected = "this dataset is gated: request access at " + page(repo) +
                           ", then set HF_TOKEN (or run `huggingface-cli login`)";

    auto check = cxrcat({"check", id});
    EXPECT_EQ(check.exit_code, 4) << check.describe();
    EXPECT_TRUE(has_text(check.out, "huggingface (Hub): no-credentials — this dataset is gated"));
    EXPECT_TRUE(has_text(check.out, "fix: request access at " + page(repo) + ", then set HF_TOKEN"));

    auto fetch = cxrcat({"fetch", id});
    EXPECT_EQ(fetch.exit_code, 4) << fetch.describe();
    EXPECT_TRUE(has_text(fetch.err, "cxrcat: error: " + id + ": " + expected));
    EXPECT_TRUE(has_text(fetch.err, "(GatedRepo)"));
    // The page for the person is huggingface.co, not the endpoint the client talks to.
    EXPECT_EQ(fetch.err.find(base("huggingface") + "/datasets/"), std::string::npos) << fetch.err;
}

TEST_F(HuggingFaceRoute, ATokenNotYetApprovedIsToldToRequestAccess) {
    std::string token = new_token();
    register_token(token);
    std::string repo = publish_repo({{"a.bin", random_bytes(100)}},
                                    {{"gated", "manual"}, {"approved_tokens", nlohmann::json::array()}});
    std::string id = add_hub_dataset(repo);
    std::map<std::string, std::string> env = {{"HF_TOKEN", token}};

    auto check = cxrcat({"check", id}, env);
    EXPECT_EQ(check.exit_code, 4) << check.describe();
    EXPECT_TRUE(has_text(check.out, "not-accepted — your Hugging Face account has not been granted access yet"));
    EXPECT_TRUE(has_text(check.out, "fix: request access at " + page(repo)));

    auto fetch = cxrcat({"fetch", id}, env);
    EXPECT_EQ(fetch.exit_code, 4) << fetch.describe();
    EXPECT_TRUE(has_text(fetch.err,
                         "your Hugging Face account has not been granted access yet: request access at " + page(repo)));
}

TEST_F(HuggingFaceRoute, ARefusedTokenSaysWhereItCameFrom) {
    std::string repo = publish_repo({{"a.bin", random_bytes(100)}});
    std::string id = add_hub_dataset(repo, "open");
    std::map<std::string, std::string> env = {{"HF_TOKEN", new_token()}}; // never registered

    auto check = cxrcat({"check", id}, env);
    EXPECT_EQ(check.exit_code, 4) << check.describe();
    EXPECT_TRUE(
        has_text(check.out, "credentials-refused — Hugging Face refused the token (from environment HF_TOKEN)"));

    auto fetch = cxrcat({"fetch", id}, env);
    EXPECT_EQ(fetch.exit_code, 4) << fetch.describe();
    EXPECT_TRUE(has_text(fetch.err, "Hugging Face refused the token (from environment HF_TOKEN): create a new token at "
                                    "https://huggingface.co/settings/tokens"));
    EXPECT_TRUE(has_text(fetch.err, "Invalid credentials in Authorization header"));
}

TEST_F(HuggingFaceRoute, AGateNotPassedFailsFastWithOneAuthCheckInsteadOfOneFailurePerFile) {
    // The tree of a gated repository is listed for anyone; only the downloads would be refused.
    std::map<std::string, std::string> files = {
        {"a.bin", random_bytes(100)}, {"b.bin", random_bytes(20'000)}, {"c/d.txt", "text\n"}};
    std::string repo = publish_repo(files, {{"gated", "manual"}});
    std::string id = add_hub_dataset(repo);
    std::string auth_check = "/api/datasets/" + repo + "/auth-check";

    auto anonymous = cxrcat({"fetch", id, "--retries", "0"});
    EXPECT_EQ(anonymous.exit_code, 4) << anonymous.describe();
    EXPECT_TRUE(has_text(anonymous.err, "cxrcat: error: " + id + ": this dataset is gated: request access at " +
                                            page(repo) + ", then set HF_TOKEN"));
    EXPECT_TRUE(
        has_text(anonymous.err, "the Hub answered HTTP 401 (GatedRepo): Access to dataset " + repo + " is restricted"));
    EXPECT_EQ(stats("huggingface", auth_check).value("requests", 0), 1);
    for (const std::string path : {"a.bin", "b.bin", "c/d.txt"}) {
        EXPECT_EQ(stats("huggingface", "/datasets/" + repo + "/resolve/main/" + path).value("requests", 0), 0) << path;
    }

    std::string token = new_token();
    register_token(token);
    reset_stats("huggingface", auth_check);
    auto unapproved = cxrcat({"fetch", id, "--retries", "0"}, {{"HF_TOKEN", token}});
    EXPECT_EQ(unapproved.exit_code, 4) << unapproved.describe();
    EXPECT_TRUE(has_text(unapproved.err, id +
                                             ": your Hugging Face account has not been granted access yet: request "
                                             "access at " +
                                             page(repo)));
    auto checked = stats("huggingface", auth_check);
    EXPECT_EQ(checked.value("requests", 0), 1) << checked.dump();
    ASSERT_FALSE(checked["log"].empty());
    EXPECT_EQ(checked["log"][0]["auth_scheme"], "Bearer");
    EXPECT_FALSE(std::filesystem::exists(dataset_dir(id) / "a.bin"));
    EXPECT_EQ(unapproved.err.find(token), std::string::npos) << unapproved.err;
}

TEST_F(HuggingFaceRoute, TheOlderGatedTreeIsRefusedTheSameWay) {
    std::string repo = publish_repo({{"a.bin", random_bytes(100)}}, {{"gated", "auto"}, {"tree_gated", true}});
    std::string id = add_hub_dataset(repo);
    auto fetch = cxrcat({"fetch", id, "--retries", "0"});
    EXPECT_EQ(fetch.exit_code, 4) << fetch.describe();
    EXPECT_TRUE(has_text(fetch.err, id + ": this dataset is gated: request access at " + page(repo)));
}

TEST_F(HuggingFaceRoute, AListValuedErrorBodyKeepsItsMessage) {
    // {"error": [...]} without X-Error-Message: the body is the only place the Hub's words are.
    std::string disabled = publish_repo({{"a.bin", random_bytes(100)}}, {{"disabled", true}, {"error_body", "list"}});
    std::string disabled_id = add_hub_dataset(disabled, "open");
    auto withdrawn = cxrcat({"fetch", disabled_id});
    EXPECT_EQ(withdrawn.exit_code, 3) << withdrawn.describe();
    EXPECT_TRUE(
        has_text(withdrawn.err, "access to " + disabled + " is disabled on Hugging Face (the dataset was withdrawn)"));
    EXPECT_TRUE(has_text(withdrawn.err, "the Hub answered HTTP 403: Access to this resource is disabled."));

    std::string gated = publish_repo({{"a.bin", random_bytes(100)}}, {{"gated", "manual"}, {"error_body", "list"}});
    std::string gated_id = add_hub_dataset(gated);
    auto check = cxrcat({"check", gated_id});
    EXPECT_EQ(check.exit_code, 4) << check.describe();
    EXPECT_TRUE(
        has_text(check.out, "(GatedRepo): Access to dataset " + gated + " is restricted. You must have access"));
    auto fetch = cxrcat({"fetch", gated_id});
    EXPECT_EQ(fetch.exit_code, 4) << fetch.describe();
    EXPECT_TRUE(has_text(fetch.err, "Access to dataset " + gated + " is restricted. You must have access"));
}

TEST_F(HuggingFaceRoute, MissingReposRevisionsAndDisabledReposAreNotFound) {
    std::string token = new_token();
    register_token(token);
    std::string missing = unique("own") + "/" + unique("gone"); // never published
    std::string missing_id = add_hub_dataset(missing, "open");
    auto anonymous = cxrcat({"fetch", missing_id});
    EXPECT_EQ(anonymous.exit_code, 3) << anonymous.describe();
    EXPECT_TRUE(has_text(anonymous.err, "Hugging Face dataset " + missing + " not found (or private)"));
    auto with_token = cxrcat({"check", missing_id}, {{"HF_TOKEN", token}});
    EXPECT_EQ(with_token.exit_code, 3) << with_token.describe();
    EXPECT_TRUE(has_text(with_token.out, "not-found — Hugging Face dataset " + missing + " not found"));

    std::string repo = publish_repo({{"a.bin", random_bytes(100)}});
    std::string revision_id = add_hub_dataset(repo, "open", "v9");
    auto revision = cxrcat({"fetch", revision_id});
    EXPECT_EQ(revision.exit_code, 3) << revision.describe();
    EXPECT_TRUE(has_text(revision.err, "revision 'v9' not found in Hugging Face dataset " + repo));
    auto revision_check = cxrcat({"check", revision_id});
    EXPECT_EQ(revision_check.exit_code, 3) << revision_check.describe();
    EXPECT_TRUE(has_text(revision_check.out, "(RevisionNotFound)"));

    std::string disabled = publish_repo({{"a.bin", random_bytes(100)}}, {{"disabled", true}});
    std::string disabled_id = add_hub_dataset(disabled, "open");
    auto withdrawn = cxrcat({"fetch", disabled_id});
    EXPECT_EQ(withdrawn.exit_code, 3) << withdrawn.describe();
    EXPECT_TRUE(
        has_text(withdrawn.err, "access to " + disabled + " is disabled on Hugging Face (the dataset was withdrawn)"));
}

TEST_F(HuggingFaceRoute, APullRequestRevisionIsEncodedAsOneSegment) {
    std::string repo = publish_repo({{"a.bin", random_bytes(20'000)}, {"b.txt", "text\n"}},
                                    {{"revisions", nlohmann::json::array({"refs/pr/1"})}});
    std::string id = add_hub_dataset(repo, "open", "refs/pr/1");

    auto check = cxrcat({"check", id});
    EXPECT_EQ(check.exit_code, 0) << check.describe();
    auto fetch = cxrcat({"fetch", id});
    ASSERT_EQ(fetch.exit_code, 0) << fetch.describe();
    EXPECT_EQ(read_text_file(dataset_dir(id) / "b.txt"), "text\n");
    EXPECT_EQ(stats("huggingface", "/api/datasets/" + repo + "/tree/refs%2Fpr%2F1").value("requests", 0), 1);
    EXPECT_EQ(stats("huggingface", "/datasets/" + repo + "/resolve/refs%2Fpr%2F1/b.txt").value("requests", 0), 1);
}

TEST_F(HuggingFaceRoute, RateLimitingEndsAsANetworkFailureAfterRetries) {
    std::string repo = publish_repo({{"a.bin", random_bytes(100)}}, nullptr, {{"_ratelimit", "1000 0"}});
    std::string id = add_hub_dataset(repo, "open");

    auto check = cxrcat({"check", id});
    EXPECT_EQ(check.exit_code, 6) << check.describe();
    EXPECT_TRUE(has_text(check.out, "rate-limited — Hugging Face is rate-limiting this client"));

    std::string auth_check = "/api/datasets/" + repo + "/auth-check";
    reset_stats("huggingface", auth_check);
    auto fetch = cxrcat({"fetch", id, "--retries", "1"});
    EXPECT_EQ(fetch.exit_code, 6) << fetch.describe();
    EXPECT_TRUE(has_text(fetch.err, "Hugging Face is rate-limiting this client: wait a few minutes, then rerun"));
    EXPECT_EQ(stats("huggingface", auth_check).value("requests", 0), 2) << "one try and one retry";
    EXPECT_EQ(stats("huggingface", "/api/datasets/" + repo + "/tree/main").value("requests", 0), 0);
}

TEST_F(HuggingFaceRoute, AnExpiredCdnLinkIsToldApartFromTheGate) {
    std::string repo = publish_repo({{"a.bin", random_bytes(20'000)}}, {{"cdn_expires", -60}});
    std::string id = add_hub_dataset(repo, "open");

    auto fetch = cxrcat({"fetch", id, "--retries", "0"});
    EXPECT_EQ(fetch.exit_code, 4) << fetch.describe();
    EXPECT_TRUE(has_text(fetch.err, "a.bin: the Hugging Face CDN refused the signed download link (HTTP 403"));
    EXPECT_TRUE(has_text(fetch.err, "rerun to get a fresh link from the Hub"));
    EXPECT_EQ(fetch.err.find("request access"), std::string::npos) << fetch.err;
}

TEST_F(HuggingFaceRoute, ASignedLinkThatExpiredBeforeUseIsResolvedAgainOnce) {
    std::string data = random_bytes(20'000);
    std::string repo = publish_repo({{"a.bin", data}}, nullptr, {{"_cdn_expired", "1"}});
    std::string id = add_hub_dataset(repo, "open");

    auto fetch = cxrcat({"fetch", id});
    ASSERT_EQ(fetch.exit_code, 0) << fetch.describe();
    EXPECT_EQ(read_text_file(dataset_dir(id) / "a.bin"), data);
    EXPECT_EQ(stats("huggingface", "/datasets/" + repo + "/resolve/main/a.bin").value("requests", 0), 2);
    auto cdn = stats("huggingface_alt", cdn_path(repo, data, "a.bin"));
    EXPECT_EQ(cdn["statuses"], nlohmann::json::array({403, 200})) << cdn.dump();
    EXPECT_EQ(cdn.value("authorization", -1), 0) << cdn.dump();
}

TEST_F(HuggingFaceRoute, ALinkRefusedTwiceIsNotResolvedAThirdTime) {
    std::string repo = publish_repo({{"a.bin", random_bytes(20'000)}}, {{"cdn_expires", -60}});
    std::string id = add_hub_dataset(repo, "open");

    auto fetch = cxrcat({"fetch", id});
    EXPECT_EQ(fetch.exit_code, 4) << fetch.describe();
    EXPECT_TRUE(has_text(fetch.err, "the Hugging Face CDN refused the signed download link (HTTP 403"));
    EXPECT_EQ(stats("huggingface", "/datasets/" + repo + "/resolve/main/a.bin").value("requests", 0), 2);
}

TEST_F(HuggingFaceRoute, AVerboseAuthenticatedRunLeavesTheTokenNowhere) {
    std::string token = new_token();
    register_token(token);
    std::map<std::string, std::string> files = {{"scans/a.bin", random_bytes(30'000)}, {"labels.csv", "id,label\n"}};
    std::string repo = publish_repo(files, {{"gated", "manual"}, {"approved_tokens", nlohmann::json::array({token})}});
    std::string id = add_hub_dataset(repo);
    std::map<std::string, std::string> env = {{"HF_TOKEN", token}};

    std::string all_output;
    for (const auto& args : {std::vector<std::string>{"--verbose", "check", id},
                             std::vector<std::string>{"--verbose", "check", id, "--format", "json"},
                             std::vector<std::string>{"--verbose", "fetch", id, "--progress", "json"},
                             std::vector<std::string>{"--verbose", "fetch", id, "--dry-run", "--format", "json"},
                             std::vector<std::string>{"--verbose", "doctor"}}) {
        auto run = cxrcat(args, env);
        EXPECT_EQ(run.exit_code, 0) << run.describe();
        all_output += run.out + run.err;
    }
    EXPECT_EQ(read_text_file(dataset_dir(id) / "scans" / "a.bin"), files["scans/a.bin"]);
    // Failures quote requests: they must not quote the token either.
    std::filesystem::remove_all(dataset_dir(id));
    auto refused = cxrcat({"--verbose", "fetch", id}, {{"HF_TOKEN", token + "x"}});
    EXPECT_EQ(refused.exit_code, 4) << refused.describe();
    all_output += refused.out + refused.err;

    EXPECT_EQ(all_output.find(token), std::string::npos) << "token printed:\n" << all_output;
    EXPECT_EQ(all_output.find("Authorization:"), std::string::npos) << all_output;
    for (const auto& [path, content] : files_under(m_dir.path())) {
        EXPECT_EQ(content.find(token), std::string::npos) << "token stored in " << path;
    }
}

} // namespace
} // namespace cxrcat::test
