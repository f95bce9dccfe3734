// SPDX-License-Identifier: Apache-2.0
// The fixture of the extract tests: a tree of its own per test, refusals that must leave it unchanged, and
// extraction in a child process under a file size limit.
#pragma once

#include "extract_archives.hpp"

#include <gtest/gtest.h>

namespace cxrcat::extract_test {

// The outcome of an extraction run in a child process under RLIMIT_FSIZE.
struct ChildOutcome {
    bool succeeded = false;
    int code = -1;
    std::string message;
    long rss_growth_kib = -1;
};

// Runs extract_archive in a forked child whose files may not exceed file_size_limit bytes
// (SIGXFSZ ignored there, so writes fail with EFBIG); reports back through a pipe.
inline ChildOutcome extract_in_child(const fs::path& archive_path, const fs::path& destination,
                                     const ExtractLimits& limits, rlim_t file_size_limit) {
    std::array<int, 2> fds{};
    if (::pipe(fds.data()) != 0) {
        throw std::runtime_error("pipe failed");
    }
    pid_t pid = ::fork();
    if (pid < 0) {
        throw std::runtime_error("fork failed");
    }
    if (pid == 0) {
        ::close(fds[0]);
        if (std::signal(SIGXFSZ, SIG_IGN) == SIG_ERR) {
            ::_exit(4);
        }
        rlimit limit{file_size_limit, file_size_limit};
        rusage before{};
        rusage after{};
        std::string report;
        if (::setrlimit(RLIMIT_FSIZE, &limit) != 0 || ::getrusage(RUSAGE_SELF, &before) != 0) {
            report = "x\n-1\n-1\nsetup failed";
        } else {
            auto result = extract_archive(archive_path, destination, limits);
            ::getrusage(RUSAGE_SELF, &after);
            report = std::string(result ? "ok" : "error") + "\n" +
                     std::to_string(result ? 0 : static_cast<int>(result.error().code())) + "\n" +
                     std::to_string(after.ru_maxrss - before.ru_maxrss) + "\n" +
                     (result ? std::string() : result.error().message());
        }
        std::size_t sent = 0;
        while (sent < report.size()) {
            ssize_t n = ::write(fds[1], report.data() + sent, report.size() - sent);
            if (n <= 0) {
                ::_exit(3);
            }
            sent += static_cast<std::size_t>(n);
        }
        ::_exit(0);
    }
    ::close(fds[1]);
    std::string report;
    std::array<char, 4096> buffer{};
    for (;;) {
        ssize_t n = ::read(fds[0], buffer.data(), buffer.size());
        if (n <= 0) {
            break;
        }
        report.append(buffer.data(), static_cast<std::size_t>(n));
    }
    ::close(fds[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        throw std::runtime_error("extraction child failed, status " + std::to_string(status));
    }
    ChildOutcome outcome;
    std::istringstream in(report);
    std::string verdict;
    std::string code;
    std::string growth;
    std::getline(in, verdict);
    std::getline(in, code);
    std::getline(in, growth);
    std::getline(in, outcome.message, '\0');
    outcome.succeeded = verdict == "ok";
    outcome.code = std::stoi(code);
    outcome.rss_growth_kib = std::stol(growth);
    return outcome;
}

class ExtractTest : public ::testing::Test {
  protected:
    void SetUp() override {
        m_root = m_temp.path();
        fs::create_directories(m_root / "archives");
        fs::create_directories(m_root / "work");
        m_dest = m_root / "work" / "dest";
    }

    fs::path archive(const std::string& name) const { return m_root / "archives" / name; }

    // Extracts an archive that must be refused with exactly message, twice: into a destination
    // that does not exist yet (it must not appear) and into one with content (it must not change).
    // Either way nothing else in the test's tree may change: no file outside destination, no
    // partial content, no staging directory left behind.
    void expect_refused(const fs::path& archive_path, const std::string& message, ErrorCode code = ErrorCode::integrity,
                        const ExtractLimits& limits = {}) {
        for (bool existing : {false, true}) {
            SCOPED_TRACE(existing ? "existing destination" : "new destination");
            std::error_code ignored;
            fs::remove_all(m_dest, ignored);
            if (existing) {
                write_file(m_dest / "already-here.txt", "keep me\n");
                write_file(m_dest / "good.txt", "old good\n");
            }
            Snapshot before = snapshot(m_root);
            auto work_before = listing(m_root / "work");

            auto result = extract_archive(archive_path, m_dest, limits);

            ASSERT_FALSE(result.has_value());
            EXPECT_EQ(result.error().code(), code);
            EXPECT_EQ(result.error().message(), message);
            EXPECT_EQ(listing(m_root / "work"), work_before) << "a staging directory was left behind";
            EXPECT_EQ(snapshot(m_root), before) << "something changed on disk";
            EXPECT_EQ(fs::exists(m_dest), existing);
        }
    }

    test::TempDir m_temp;
    fs::path m_root;
    fs::path m_dest;
};

} // namespace cxrcat::extract_test
