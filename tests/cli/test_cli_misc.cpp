// SPDX-License-Identifier: Apache-2.0
// `cite`, `path`, `--version` and the help of every command.
#include "cli_test.hpp"

#include <unistd.h>

namespace cxrcat::test {
namespace {

using Misc = CliTest;

TEST_F(Misc, CiteAsBibtexIsTheCatalogsCitation) {
    for (const char* id : {"nih-cxr14", "jsrt", "luna25"}) {
        ProcessResult result = cxrcat({"cite", id});
        ASSERT_EQ(result.exit_code, 0) << id << "\n" << result.describe();
        std::string citation = builtin_entry(id)["citation"].get<std::string>();
        EXPECT_EQ(result.out, citation.back() == '\n' ? citation : citation + "\n") << id;
        EXPECT_EQ(result.out.rfind('@', 0), 0U);
        ProcessResult explicit_format = cxrcat({"cite", id, "--format", "bibtex"});
        EXPECT_EQ(explicit_format.out, result.out);
    }
}

TEST_F(Misc, CiteAsTextIsOneLineFromThePaper) {
    ProcessResult result = cxrcat({"cite", "JSRT", "--format", "text"});
    ASSERT_EQ(result.exit_code, 0) << result.describe();
    json paper = builtin_entry("jsrt")["paper"];
    EXPECT_EQ(result.out, paper["first_author"].get<std::string>() + ", et al. " + paper["title"].get<std::string>() +
                              ". " + paper["venue"].get<std::string>() +
                              ". 2000. doi:" + paper["doi"].get<std::string>() + "\n");
}

TEST_F(Misc, CiteAsTextWithoutAPaperComesFromTheBibtexEntry) {
    ProcessResult result = cxrcat({"cite", "luna25", "--format", "text"});
    ASSERT_EQ(result.exit_code, 0) << result.describe();
    EXPECT_EQ(result.out, "LUNA25 - Lung Nodule Malignancy Risk Estimation Challenge 2025. "
                          "https://luna25.grand-challenge.org/. 2025.\n");
}

TEST_F(Misc, PathHonoursCxrcatHome) {
    ProcessResult result = cxrcat({"path", "JSRT-DB"}, {{"CXRCAT_HOME", (m_dir / "store").string()}});
    ASSERT_EQ(result.exit_code, 0) << result.describe();
    EXPECT_EQ(result.out, (m_dir / "store" / "datasets" / "jsrt").string() + "\n");
    EXPECT_FALSE(fs::exists(m_dir / "store")); // printing a path creates nothing
}

TEST_F(Misc, PathHonoursXdgDataHome) {
    ProcessResult result = cxrcat({"path", "luna16"}, {{"XDG_DATA_HOME", (m_dir / "xdg").string()}}, {"CXRCAT_HOME"});
    ASSERT_EQ(result.exit_code, 0) << result.describe();
    EXPECT_EQ(result.out, (m_dir / "xdg" / "cxrcat" / "datasets" / "luna16").string() + "\n");
}

TEST_F(Misc, PathFallsBackToHome) {
    ProcessResult result = cxrcat({"path", "luna16"}, {}, {"CXRCAT_HOME", "XDG_DATA_HOME"});
    ASSERT_EQ(result.exit_code, 0) << result.describe();
    EXPECT_EQ(result.out, (m_dir / "home" / ".local" / "share" / "cxrcat" / "datasets" / "luna16").string() + "\n");

    // A relative XDG_DATA_HOME is invalid and ignored.
    result = cxrcat({"path", "luna16"}, {{"XDG_DATA_HOME", "relative/dir"}}, {"CXRCAT_HOME"});
    ASSERT_EQ(result.exit_code, 0) << result.describe();
    EXPECT_EQ(result.out, (m_dir / "home" / ".local" / "share" / "cxrcat" / "datasets" / "luna16").string() + "\n");
}

TEST_F(Misc, VersionNamesLibrariesAndCatalog) {
    ProcessResult result = cxrcat({"--version"});
    ASSERT_EQ(result.exit_code, 0) << result.describe();
    auto lines = split_lines(result.out);
    ASSERT_GE(lines.size(), 4U) << result.out;
    EXPECT_EQ(lines[0].rfind("cxrcat ", 0), 0U) << lines[0];
    std::string version = read_text_file(fs::path(CXRCAT_SOURCE_DIR) / "catalog" / "VERSION");
    version.erase(version.find_last_not_of(" \n") + 1);
    EXPECT_TRUE(contains(result.out, "\nlibcurl ")) << result.out;
    EXPECT_TRUE(contains(result.out, "\nOpenSSL ")) << result.out;
    EXPECT_TRUE(contains(result.out, "\ncatalog " + version + " (21 built-in datasets)")) << result.out;
    EXPECT_EQ(result.err, "");
}

// The subcommands listed in a help text's "Subcommands:" section.
std::vector<std::string> subcommands_in(const std::string& help) {
    std::vector<std::string> names;
    bool in_section = false;
    for (const auto& line : split_lines(help)) {
        if (line == "Subcommands:") {
            in_section = true;
        } else if (in_section && line.empty()) {
            break;
        } else if (in_section && line.rfind("  ", 0) == 0) {
            std::string name = line.substr(2, line.find(' ', 2) - 2);
            if (!name.empty()) {
                names.push_back(name);
            }
        }
    }
    return names;
}

void expect_documented_help(const ProcessResult& result, const std::string& command) {
    EXPECT_EQ(result.exit_code, 0) << command << "\n" << result.describe();
    EXPECT_TRUE(contains(result.out, "Usage: cxrcat")) << command;
    EXPECT_TRUE(contains(result.out, "Exit codes:")) << command << ":\n" << result.out;
    for (const char* code : {"0 success", "2 usage error", "3 unknown dataset", "9 invalid catalog"}) {
        EXPECT_TRUE(contains(result.out, code)) << command << " help lacks '" << code << "'";
    }
}

TEST_F(Misc, EveryCommandsHelpDocumentsExitCodes) {
    ProcessResult top = cxrcat({"--help"});
    expect_documented_help(top, "cxrcat");
    std::vector<std::string> commands = subcommands_in(top.out);
    for (const char* required : {"list", "show", "search", "terms", "accept", "cite", "path", "catalog"}) {
        EXPECT_NE(std::find(commands.begin(), commands.end(), required), commands.end()) << required;
    }
    for (const auto& command : commands) {
        ProcessResult help = cxrcat({command, "--help"});
        expect_documented_help(help, command);
        for (const auto& nested : subcommands_in(help.out)) {
            expect_documented_help(cxrcat({command, nested, "--help"}), command + " " + nested);
        }
    }
}

TEST_F(Misc, ListHelpDocumentsFiltersAndFormats) {
    ProcessResult result = cxrcat({"list", "--help"});
    ASSERT_EQ(result.exit_code, 0) << result.describe();
    for (const char* option : {"--modality", "--category", "--access", "--task", "--license", "--sort", "--format",
                               "cxr", "ct", "mri", "jsonl", "csv", "ids"}) {
        EXPECT_TRUE(contains(result.out, option)) << option;
    }
}

} // namespace
} // namespace cxrcat::test

namespace cxrcat::test {

class MirrorTargets : public CliTest {};

TEST_F(MirrorTargets, ExportToAnotherSchemeIsRefusedAndCreatesNoLocalFolder) {
    for (std::string scheme : {"gs", "ftp", "https"}) {
        std::string target = scheme + "://team/m-" + std::to_string(::getpid());
        ProcessResult result = cxrcat({"mirror", "export", target});
        EXPECT_EQ(result.exit_code, 2) << result.describe();
        EXPECT_TRUE(contains(result.err, "mirror export cannot write to " + scheme + ":// URLs")) << result.describe();
        EXPECT_FALSE(std::filesystem::exists(scheme + ":")) << "a local folder named " << scheme << ": was created";
    }
}

TEST_F(MirrorTargets, ExportToAnInvalidBucketNameIsAUsageError) {
    ProcessResult result = cxrcat({"mirror", "export", "s3://x/m"});
    EXPECT_EQ(result.exit_code, 2) << result.describe();
    EXPECT_TRUE(contains(result.err, "invalid bucket name")) << result.describe();
    EXPECT_FALSE(std::filesystem::exists("s3:"));
}

} // namespace cxrcat::test

namespace cxrcat::test {

class DoctorS3 : public CliTest {};

TEST_F(DoctorS3, ShowsWhereS3CredentialsComeFromMasked) {
    std::map<std::string, std::string> env{{"AWS_ACCESS_KEY_ID", "AKIADOCTORKEY1234567"},
                                           {"AWS_SECRET_ACCESS_KEY", "doctor-secret-value-9876"},
                                           {"AWS_ENDPOINT_URL", "http://127.0.0.1:1"},
                                           {"AWS_REGION", "eu-west-3"}};
    std::vector<std::string> unset{"AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_ENDPOINT_URL_S3", "AWS_DEFAULT_REGION"};
    ProcessResult text = cxrcat({"doctor"}, env, unset);
    EXPECT_TRUE(contains(text.out, "s3: ****4567 ****9876 from environment AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY"))
        << text.describe();
    EXPECT_TRUE(contains(text.out, "region eu-west-3; endpoint http://127.0.0.1:1")) << text.describe();
    ProcessResult json_out = cxrcat({"doctor", "--format", "json"}, env, unset);
    auto doc = nlohmann::json::parse(json_out.out);
    EXPECT_EQ(doc.at("credentials").at("s3").at("secret"), "****9876");
    EXPECT_EQ(doc.at("credentials").at("s3").at("region"), "eu-west-3");
    for (const auto& out : {text.out + text.err, json_out.out + json_out.err}) {
        EXPECT_FALSE(contains(out, "doctor-secret-value")) << "the secret was printed";
        EXPECT_FALSE(contains(out, "AKIADOCTORKEY")) << "the key id is shown masked only";
    }
}

} // namespace cxrcat::test
