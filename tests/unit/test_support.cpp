// SPDX-License-Identifier: Apache-2.0
// The test-support library itself: the CLI and integration tests trust it, so it is tested too.
#include "support/files.hpp"
#include "support/process.hpp"
#include "support/scoped_env.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <signal.h>
#include <string>
#include <sys/stat.h>

namespace cxrcat::test {
namespace {

namespace fs = std::filesystem;

ProcessResult shell(const std::string& script, const std::map<std::string, std::string>& env = {},
                    const std::vector<std::string>& unset = {}, const std::string& input = "") {
    return run_process({"/bin/sh", "-c", script}, env, unset, input);
}

TEST(TempDir, CreatesAndRemovesADirectory) {
    fs::path where;
    {
        TempDir dir;
        where = dir.path();
        EXPECT_TRUE(fs::is_directory(where));
        EXPECT_TRUE(where.is_absolute());
        write_text_file(dir / "a" / "b" / "c.txt", "x");
        fs::permissions(dir / "a" / "b", fs::perms::owner_read | fs::perms::owner_exec);
    }
    EXPECT_FALSE(fs::exists(where));
}

TEST(TempDir, HonoursTmpdirAndIsUnique) {
    TempDir parent;
    ScopedEnv env;
    env.set("TMPDIR", parent.path().string());
    TempDir first;
    TempDir second;
    EXPECT_EQ(first.path().parent_path(), parent.path());
    EXPECT_NE(first.path(), second.path());
}

TEST(TempDir, MoveTransfersOwnership) {
    TempDir first;
    fs::path where = first.path();
    TempDir second(std::move(first));
    EXPECT_EQ(second.path(), where);
    EXPECT_TRUE(fs::exists(where));
}

TEST(Files, SplitLines) {
    EXPECT_EQ(split_lines(""), std::vector<std::string>{});
    EXPECT_EQ(split_lines("a\nb\n"), (std::vector<std::string>{"a", "b"}));
    EXPECT_EQ(split_lines("a\n\nb"), (std::vector<std::string>{"a", "", "b"}));
}

TEST(RunProcess, CapturesStdoutStderrAndExitCode) {
    ProcessResult result = shell("printf out; printf err >&2; exit 3");
    EXPECT_EQ(result.exit_code, 3);
    EXPECT_EQ(result.term_signal, 0);
    EXPECT_FALSE(result.timed_out);
    EXPECT_EQ(result.out, "out");
    EXPECT_EQ(result.err, "err");
    EXPECT_NE(result.describe().find("exit 3"), std::string::npos);
}

TEST(RunProcess, LargeOutputOnBothStreamsDoesNotDeadlock) {
    // Far beyond a pipe buffer on both streams at once.
    ProcessResult result = shell("i=0; while [ $i -lt 20000 ]; do echo line-$i; echo err-$i >&2; i=$((i+1)); done");
    EXPECT_EQ(result.exit_code, 0);
    EXPECT_EQ(split_lines(result.out).size(), 20000U);
    EXPECT_EQ(split_lines(result.err).size(), 20000U);
    EXPECT_EQ(split_lines(result.out).back(), "line-19999");
}

TEST(RunProcess, FeedsStdin) {
    EXPECT_EQ(shell("cat", {}, {}, "hello\nworld\n").out, "hello\nworld\n");
    EXPECT_EQ(shell("cat").out, ""); // stdin is at end of file, never the test's terminal
}

TEST(RunProcess, AppliesEnvironmentOverridesAndUnsets) {
    ScopedEnv env;
    env.set("CXRCAT_TEST_INHERITED", "from-parent");
    env.set("CXRCAT_TEST_REMOVED", "should-vanish");
    ProcessResult result = shell(R"(echo "$CXRCAT_TEST_INHERITED|$CXRCAT_TEST_NEW|${CXRCAT_TEST_REMOVED-unset}|$PATH")",
                                 {{"CXRCAT_TEST_NEW", "new value"}}, {"CXRCAT_TEST_REMOVED"});
    EXPECT_EQ(result.out, "from-parent|new value|unset|" + std::string(std::getenv("PATH")) + "\n"); // NOLINT
}

TEST(RunProcess, OverrideBeatsInheritedValue) {
    ScopedEnv env;
    env.set("CXRCAT_TEST_VALUE", "parent");
    EXPECT_EQ(shell("echo $CXRCAT_TEST_VALUE", {{"CXRCAT_TEST_VALUE", "child"}}).out, "child\n");
}

TEST(RunProcess, ReportsTheKillingSignal) {
    ProcessResult result = shell("kill -TERM $$");
    EXPECT_EQ(result.term_signal, SIGTERM);
    EXPECT_EQ(result.exit_code, -1);
    EXPECT_NE(result.describe().find("signal 15"), std::string::npos);
}

TEST(RunProcess, MissingProgramThrows) {
    EXPECT_THROW((void)run_process({"/nonexistent/program"}, {}), std::system_error);
    EXPECT_THROW((void)run_process({}, {}), std::invalid_argument);
}

TEST(StartProcess, KillEndsARunningChild) {
    // The child blocks on a read that never completes until it is killed.
    TempDir dir;
    ASSERT_EQ(::mkfifo((dir / "fifo").c_str(), 0600), 0);
    SpawnedProcess child =
        start_process({"/bin/sh", "-c", "echo started; read x < \"$0\"", (dir / "fifo").string()}, {});
    EXPECT_GT(child.pid(), 0);
    EXPECT_TRUE(child.kill(SIGKILL));
    ProcessResult result = child.wait();
    EXPECT_EQ(result.term_signal, SIGKILL);
    EXPECT_FALSE(child.kill(SIGKILL)); // already reaped
}

TEST(StartProcess, WaitTimesOutAndKills) {
    TempDir dir;
    ASSERT_EQ(::mkfifo((dir / "fifo").c_str(), 0600), 0);
    SpawnedProcess child = start_process({"/bin/sh", "-c", "read x < \"$0\"", (dir / "fifo").string()}, {});
    ProcessResult result = child.wait(std::chrono::milliseconds(50));
    EXPECT_TRUE(result.timed_out);
    EXPECT_EQ(result.term_signal, SIGKILL);
}

TEST(StartProcess, OutputSoFarIsReadableWhileRunning) {
    TempDir dir;
    ASSERT_EQ(::mkfifo((dir / "fifo").c_str(), 0600), 0);
    SpawnedProcess child = start_process(
        {"/bin/sh", "-c", "echo ready; echo note >&2; read x < \"$0\"; echo done", (dir / "fifo").string()}, {});
    // Opening the FIFO for writing blocks until the child opens it for reading, i.e. after its echoes.
    {
        std::ofstream fifo(dir / "fifo");
        EXPECT_EQ(child.stdout_so_far(), "ready\n");
        EXPECT_EQ(child.stderr_so_far(), "note\n");
        fifo << "go\n";
    }
    ProcessResult result = child.wait();
    EXPECT_EQ(result.exit_code, 0);
    EXPECT_EQ(result.out, "ready\ndone\n");
}

TEST(StartProcess, DestructorKillsAndReapsAnUnwaitedChild) {
    TempDir dir;
    ASSERT_EQ(::mkfifo((dir / "fifo").c_str(), 0600), 0);
    int pid = 0;
    {
        SpawnedProcess child = start_process({"/bin/sh", "-c", "read x < \"$0\"", (dir / "fifo").string()}, {});
        pid = child.pid();
    }
    // Reaped: the pid no longer names a child of ours.
    EXPECT_EQ(::kill(pid, 0), -1);
}

} // namespace
} // namespace cxrcat::test
