// SPDX-License-Identifier: Apache-2.0
// The pure parsers behind the Kaggle and Hugging Face clients: the Link header, both shapes of the
// Kaggle file list, Kaggle's error bodies, the Hub tree, and the engine failures explain() reads.
#include "base/remote_text.hpp"
#include "providers/engine_failure.hpp"
#include "providers/huggingface_reply.hpp"
#include "providers/huggingface_tree.hpp"
#include "providers/kaggle_listing.hpp"
#include "providers/link_header.hpp"

#include <gtest/gtest.h>

namespace cxrcat::providers {
namespace {

// --- Link header ------------------------------------------------------------------------------------------

TEST(HuggingFaceLinkHeader, FindsTheNextLinkAsTheHubWritesIt) {
    auto next = link_next_url("<https://huggingface.co/api/datasets/a/b/tree/main?recursive=true&expand=false&cursor="
                              "ZXlKbWFXeGxYMjVoYldVaU9p>; rel=\"next\"");
    ASSERT_TRUE(next);
    EXPECT_EQ(*next, "https://huggingface.co/api/datasets/a/b/tree/main?recursive=true&expand=false&cursor="
                     "ZXlKbWFXeGxYMjVoYldVaU9p");
}

TEST(HuggingFaceLinkHeader, PicksNextAmongSeveralLinks) {
    auto next = link_next_url("<https://h/x?page=1>; rel=\"prev\", <https://h/x?a=1,2&page=3>; rel=\"next\"; "
                              "title=\"a, b\", <https://h/x?page=9>; rel=\"last\"");
    ASSERT_TRUE(next);
    EXPECT_EQ(*next, "https://h/x?a=1,2&page=3");
}

TEST(HuggingFaceLinkHeader, AcceptsUnquotedCaseInsensitiveAndMultiValuedRel) {
    EXPECT_EQ(link_next_url("<https://h/p2>; REL=Next").value_or(""), "https://h/p2");
    EXPECT_EQ(link_next_url("<https://h/p3>;rel=\"prefetch next\"").value_or(""), "https://h/p3");
    EXPECT_EQ(link_next_url("  < https://h/p4 >  ;  rel = \"next\"  ").value_or(""), "https://h/p4");
}

TEST(HuggingFaceLinkHeader, NoNextLinkIsTheLastPage) {
    EXPECT_FALSE(link_next_url(""));
    EXPECT_FALSE(link_next_url("<https://h/p1>; rel=\"prev\""));
    EXPECT_FALSE(link_next_url("<https://h/p1>; rel=\"nextish\""));
    EXPECT_FALSE(link_next_url("<https://h/xet-read-token/main>; rel=\"xet-auth\""));
    EXPECT_FALSE(link_next_url("<https://h/unterminated; rel=\"next\""));
}

TEST(HuggingFaceLinkHeader, ResolvesRelativeTargetsOnTheBaseOrigin) {
    EXPECT_EQ(
        resolve_link_target("http://127.0.0.1:8080/api/datasets/a/b/tree/main?x=1", "/api/next?cursor=c").value_or(""),
        "http://127.0.0.1:8080/api/next?cursor=c");
    EXPECT_EQ(resolve_link_target("http://h/a", "https://other/next").value_or(""), "https://other/next");
    EXPECT_FALSE(resolve_link_target("http://h/a", "//evil.example/next"));
    EXPECT_FALSE(resolve_link_target("http://h/a", "next?cursor=c"));
    EXPECT_FALSE(resolve_link_target("http://h/a", "javascript:alert(1)"));
}

TEST(HuggingFaceLinkHeader, RebasesAnotherHostsLinkOnTheEndpoint) {
    EXPECT_EQ(rebase_on_endpoint("http://127.0.0.1:9/hf", "http://127.0.0.1:9/hf/api/x?cursor=c").value_or(""),
              "http://127.0.0.1:9/hf/api/x?cursor=c");
    EXPECT_EQ(rebase_on_endpoint("https://mirror.example", "https://huggingface.co/api/x?cursor=c").value_or(""),
              "https://mirror.example/api/x?cursor=c");
    EXPECT_EQ(rebase_on_endpoint("https://mirror.example/hf", "https://evil.example?cursor=c").value_or(""),
              "https://mirror.example/hf/?cursor=c");
    // A look-alike prefix is not the endpoint.
    EXPECT_EQ(rebase_on_endpoint("http://127.0.0.1:9", "http://127.0.0.1:90/api/x").value_or(""),
              "http://127.0.0.1:9/api/x");
    EXPECT_FALSE(rebase_on_endpoint("http://h", "/api/x"));
}

// --- Kaggle file list -------------------------------------------------------------------------------------

TEST(KaggleFileList, ParsesTheEnvelopeWithItsPageToken) {
    auto page = parse_kaggle_file_list(
        R"({"files": [{"ref": "", "name": "stage_2_train.csv", "description": "", "totalBytes": 2874566,
                       "url": "https://www.kaggle.com/x", "creationDate": "2019-08-28T21:13:34.417Z"},
                      {"ref": "", "name": "train/1.2.3.dcm", "totalBytes": 10}],
            "nextPageToken": "CAE"})");
    ASSERT_TRUE(page) << page.error().message();
    ASSERT_EQ(page->files.size(), 2U);
    EXPECT_EQ(page->files[0].name, "stage_2_train.csv");
    EXPECT_EQ(page->files[0].size, 2874566U);
    EXPECT_EQ(page->files[1].name, "train/1.2.3.dcm");
    EXPECT_EQ(page->files[1].size, 10U);
    EXPECT_EQ(page->next_page_token, "CAE");
}

TEST(KaggleFileList, AnEmptyTokenIsTheLastPage) {
    auto page = parse_kaggle_file_list(R"({"files": [{"name": "a.csv", "totalBytes": 1}], "nextPageToken": ""})");
    ASSERT_TRUE(page);
    EXPECT_EQ(page->next_page_token, "");
    auto no_token = parse_kaggle_file_list(R"({"files": []})");
    ASSERT_TRUE(no_token);
    EXPECT_TRUE(no_token->files.empty());
    EXPECT_EQ(no_token->next_page_token, "");
}

TEST(KaggleFileList, ParsesTheBareArrayAsOnePage) {
    auto page = parse_kaggle_file_list(R"([{"ref": "", "name": "a.csv", "totalBytes": 5},
                                           {"ref": "", "name": "dir/b.csv", "totalBytes": 0}])");
    ASSERT_TRUE(page) << page.error().message();
    ASSERT_EQ(page->files.size(), 2U);
    EXPECT_EQ(page->files[1].name, "dir/b.csv");
    EXPECT_EQ(page->files[1].size, 0U);
    EXPECT_EQ(page->next_page_token, "");
    auto empty = parse_kaggle_file_list("[]");
    ASSERT_TRUE(empty);
    EXPECT_TRUE(empty->files.empty());
}

TEST(KaggleFileList, AcceptsTotalBytesAsAStringAndToleratesItsAbsence) {
    auto page = parse_kaggle_file_list(
        R"({"files": [{"name": "a", "totalBytes": "12345678901"}, {"name": "b"}, {"name": "c", "totalBytes": -1},
                      {"name": "d", "totalBytes": "12x"}]})");
    ASSERT_TRUE(page);
    ASSERT_EQ(page->files.size(), 4U);
    EXPECT_EQ(page->files[0].size, 12345678901U);
    EXPECT_FALSE(page->files[1].size);
    EXPECT_FALSE(page->files[2].size);
    EXPECT_FALSE(page->files[3].size);
}

TEST(KaggleFileList, ReadsADatasetFileList) {
    // ApiListDatasetFilesResponse (kagglesdk datasets/types/dataset_api_service.py): datasetFiles,
    // errorMessage, nextPageToken.
    auto page = parse_kaggle_file_list(
        R"({"datasetFiles": [{"ref": "o/d", "name": "x/a.png", "totalBytes": "7"}], "nextPageToken": "t2"})");
    ASSERT_TRUE(page);
    ASSERT_EQ(page->files.size(), 1U);
    EXPECT_EQ(page->files[0].name, "x/a.png");
    EXPECT_EQ(page->files[0].size, 7U);
    EXPECT_EQ(page->next_page_token, "t2");
    EXPECT_TRUE(page->error_message.empty());
    auto failed = parse_kaggle_file_list(R"({"datasetFiles": [], "errorMessage": "something Kaggle said"})");
    ASSERT_TRUE(failed);
    EXPECT_TRUE(failed->files.empty());
    EXPECT_EQ(failed->error_message, "something Kaggle said");
}

TEST(KaggleFileList, RefusesWhatIsNeitherShape) {
    for (const char* body : {"", "<html>Sign in</html>", "42", R"({"code": 401, "message": "Unauthenticated"})",
                             R"({"files": {"name": "a"}})", R"([{"ref": "x"}])", R"([{"name": ""}])", R"(["a.csv"])"}) {
        auto page = parse_kaggle_file_list(body);
        ASSERT_FALSE(page) << body;
        EXPECT_EQ(page.error().code(), ErrorCode::network) << body;
        EXPECT_NE(page.error().message().find("unexpected answer from the Kaggle file list"), std::string::npos);
    }
}

TEST(KaggleErrorMessage, ReadsTheMessageOfAnErrorBody) {
    EXPECT_EQ(kaggle_error_message(R"({"code":403,"message":"You must accept this competition\u0027s rules before )"
                                   R"(you\u0027ll be able to download files."})"),
              "You must accept this competition's rules before you'll be able to download files.");
    EXPECT_EQ(kaggle_error_message(R"({"code":401,"message":"Unauthenticated"})"), "Unauthenticated");
    EXPECT_EQ(kaggle_error_message(""), "");
    EXPECT_EQ(kaggle_error_message("<Error><Code>ExpiredToken</Code></Error>"), "");
    EXPECT_EQ(kaggle_error_message(R"({"code":404,"message":7})"), "");
}

// --- Hugging Face tree ------------------------------------------------------------------------------------

TEST(KaggleRefusal, TellsTheRulesFromAnUnknownCompetitionFromTheRest) {
    EXPECT_EQ(
        classify_kaggle_refusal("You must accept this competition's rules before you'll be able to download files."),
        KaggleRefusal::rules_not_accepted);
    EXPECT_EQ(classify_kaggle_refusal("Required permission 'competitions.get' was not satisfied"),
              KaggleRefusal::no_such_competition);
    EXPECT_EQ(classify_kaggle_refusal("Permission 'competitions.get' was denied"), KaggleRefusal::no_such_competition);
    EXPECT_EQ(classify_kaggle_refusal("Permission 'competitions.participate' was denied"), KaggleRefusal::other);
    EXPECT_EQ(classify_kaggle_refusal(""), KaggleRefusal::other);
}

// --- Hub error messages (the cases of huggingface_hub's tests/test_utils_errors.py) -------------------------

TEST(HuggingFaceServerMessage, ReadsAStringOrAListValuedError) {
    EXPECT_EQ(hub_server_message("", "application/json", R"({"error": "Repository not found"})"),
              "Repository not found");
    EXPECT_EQ(hub_server_message("", "application/json", R"({"error": ["my error 1", " my error 2 "]})"),
              "my error 1; my error 2");
    EXPECT_EQ(hub_server_message("", "application/json", R"({"error": []})"), "");
}

TEST(HuggingFaceServerMessage, PutsTheHeaderFirstAndDropsDuplicates) {
    EXPECT_EQ(hub_server_message("Error message from headers.", "application/json",
                                 R"({"error": "Error message from body."})"),
              "Error message from headers.; Error message from body.");
    EXPECT_EQ(hub_server_message("Same.", "application/json", R"({"error": ["Same."]})"), "Same.");
}

TEST(HuggingFaceServerMessage, ReadsDescriptionsAndTheErrorsList) {
    EXPECT_EQ(hub_server_message("", "application/json", R"({"error": "invalid_grant", "error_description": "why"})"),
              "invalid_grant: why");
    EXPECT_EQ(hub_server_message("", "application/json", R"({"error_description": "something helpful"})"),
              "something helpful");
    EXPECT_EQ(hub_server_message("", "application/json",
                                 R"({"httpStatusCode": 400, "errors": [{"message": "e1"}, {"message": "e2"}]})"),
              "e1; e2");
}

TEST(HuggingFaceServerMessage, TakesPlainTextButNeverAWebPage) {
    EXPECT_EQ(hub_server_message("", "text/plain", "this is not json\n"), "this is not json");
    EXPECT_EQ(hub_server_message("", "text/html; charset=utf-8", "<p>Sorry</p>"), "");
    EXPECT_EQ(hub_server_message("", "", "<!DOCTYPE html><html></html>"), "");
    EXPECT_EQ(hub_server_message("", "application/json", ""), "");
}

TEST(HuggingFaceTree, KeepsFilesWithTheLfsSha256AndDropsDirectories) {
    auto page = parse_hub_tree_page(R"([
      {"type": "directory", "oid": "aa536c4ea18073388b5b0bc791057a7296a00398", "size": 0, "path": "dataset"},
      {"type": "file", "oid": "ae8c63daedbd4206d7d40126955d4e6ab1c80f8f", "size": 391, "path": ".gitattributes"},
      {"type": "file", "oid": "64eaa9c526867e404b68f2c5d66fd78e27026523", "size": 548123560,
       "path": "dataset/train/train_1_a_1.nii.gz",
       "lfs": {"oid": "9BE78EDB5B928EBA33AA88F431551348F7466BA9F5EF3DAF1D552398722A5436", "size": 548123560,
               "pointerSize": 134},
       "xetHash": "ee925c6f"}])");
    ASSERT_TRUE(page) << page.error().message();
    ASSERT_EQ(page->size(), 2U);
    EXPECT_EQ((*page)[0].path, ".gitattributes");
    EXPECT_EQ((*page)[0].size, 391U);
    EXPECT_EQ((*page)[0].lfs_sha256, "") << "a git blob sha1 is not a digest of the content";
    EXPECT_EQ((*page)[1].path, "dataset/train/train_1_a_1.nii.gz");
    EXPECT_EQ((*page)[1].size, 548123560U);
    EXPECT_EQ((*page)[1].lfs_sha256, "9be78edb5b928eba33aa88f431551348f7466ba9f5ef3daf1d552398722a5436");
}

TEST(HuggingFaceTree, TakesTheLfsSizeWhenTheEntryHasNone) {
    auto page = parse_hub_tree_page(R"([{"type": "file", "path": "a.bin", "lfs": {"oid": ")" + std::string(64, 'a') +
                                    R"(", "size": 77}}])");
    ASSERT_TRUE(page);
    ASSERT_EQ(page->size(), 1U);
    EXPECT_EQ((*page)[0].size, 77U);
}

TEST(HuggingFaceTree, IgnoresAnLfsOidThatIsNotASha256) {
    auto page = parse_hub_tree_page(R"([{"type": "file", "path": "a.bin", "size": 3, "lfs": {"oid": "abc"}},
                                        {"type": "file", "path": "b.bin", "size": 3, "lfs": null}])");
    ASSERT_TRUE(page);
    ASSERT_EQ(page->size(), 2U);
    EXPECT_EQ((*page)[0].lfs_sha256, "");
    EXPECT_EQ((*page)[1].lfs_sha256, "");
}

TEST(HuggingFaceTree, AnEmptyPageHasNoFiles) {
    auto page = parse_hub_tree_page("[]");
    ASSERT_TRUE(page);
    EXPECT_TRUE(page->empty());
    auto unknown = parse_hub_tree_page(R"([{"type": "unknown", "path": "x"}])");
    ASSERT_TRUE(unknown);
    EXPECT_TRUE(unknown->empty());
}

TEST(HuggingFaceTree, RefusesWhatIsNotAListOfEntries) {
    for (const char* body : {"", "{}", R"({"error": "Repository not found"})", "<!DOCTYPE html>", "[1]",
                             R"([{"type": "file", "size": 1}])", R"([{"type": "file", "path": ""}])"}) {
        auto page = parse_hub_tree_page(body);
        ASSERT_FALSE(page) << body;
        EXPECT_EQ(page.error().code(), ErrorCode::network) << body;
    }
}

// --- what explain() reads back from the engine ------------------------------------------------------------

TEST(KaggleHuggingFaceEngineFailure, ReadsTheFieldsTheEngineSet) {
    Error error(ErrorCode::access_denied, "data/train.csv: HTTP 403 Forbidden: access to this file is not granted",
                {"source: http://127.0.0.1:1/api/v1/competitions/data/download/c/data/train.csv"});
    error.with_http({403, "GatedRepo", false, "data/train.csv",
                     "http://127.0.0.1:1/api/v1/competitions/data/download/c/data/train.csv",
                     "http://localhost:1/__signed/c/x?X-Goog-Signature=***"});
    auto failure = parse_engine_http_failure(error);
    ASSERT_TRUE(failure);
    EXPECT_EQ(failure->path, "data/train.csv");
    EXPECT_EQ(failure->status, 403);
    EXPECT_EQ(failure->source_url, "http://127.0.0.1:1/api/v1/competitions/data/download/c/data/train.csv");
    EXPECT_EQ(failure->server_code, "GatedRepo");
    EXPECT_EQ(failure->final_url, "http://localhost:1/__signed/c/x?X-Goog-Signature=***");
    EXPECT_EQ(error.http_status(), 403);
    EXPECT_EQ(error.provider_code(), "GatedRepo");
}

TEST(KaggleHuggingFaceEngineFailure, ReadsA429AfterRetries) {
    Error error(ErrorCode::network, "a.bin: something else entirely");
    error.with_http({429, "", false, "a.bin", "http://h/a.bin", ""});
    auto failure = parse_engine_http_failure(error);
    ASSERT_TRUE(failure);
    EXPECT_EQ(failure->status, 429);
    EXPECT_EQ(failure->final_url, "");
}

TEST(KaggleHuggingFaceEngineFailure, NeverReadsTheMessageText) {
    // Without the engine's fields nothing is an HTTP failure, whatever the text says.
    EXPECT_FALSE(parse_engine_http_failure(Error(ErrorCode::network, "a.bin: HTTP 429 Too Many Requests")));
    EXPECT_FALSE(parse_engine_http_failure(Error(ErrorCode::integrity, "a.bin: sha256 mismatch")));
    EXPECT_FALSE(parse_engine_http_failure(Error(ErrorCode::network, "a.bin: Connection refused")));
    Error page(ErrorCode::access_denied, "a.bin: the server sent a web page");
    page.with_http({200, "", true, "a.bin", "http://h/a.bin", ""});
    EXPECT_FALSE(parse_engine_http_failure(page)); // not an HTTP error status
    EXPECT_EQ(Error(ErrorCode::network, "x").http_status(), 0);
}

TEST(KaggleHuggingFaceRemoteText, MakesServerMessagesSafeToPrint) {
    EXPECT_EQ(printable_excerpt("Access\r\n denied\x1b[31m red"), "Access denied [31m red");
    EXPECT_EQ(printable_excerpt("   "), "");
    EXPECT_EQ(printable_excerpt(std::string(10, 'a'), 4), "aaaa…");
    // A cut never splits a UTF-8 sequence.
    EXPECT_EQ(printable_excerpt("ab\xc3\xa9z", 3), "ab…");
}

} // namespace
} // namespace cxrcat::providers
