// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace cxrcat::test {

// How a child process ended and what it wrote.
struct ProcessResult {
    int exit_code = -1;     // the exit status, or -1 when a signal ended the process
    int term_signal = 0;    // the signal that ended the process, or 0 when it exited
    bool timed_out = false; // true when wait() gave up and killed it
    std::string out;        // everything written to stdout
    std::string err;        // everything written to stderr

    // "exit 3" / "signal 9" / "timed out", the command's stderr and stdout, for assertion messages.
    [[nodiscard]] std::string describe() const;
};

// Longest a test waits for a child before killing it: generous, it only stops a hung test.
inline constexpr std::chrono::milliseconds k_default_process_timeout{120'000};

// A running child started by start_process. Move-only; the destructor kills (SIGKILL) and reaps a
// child that was not waited for, so no test leaves a process behind.
class SpawnedProcess {
  public:
    SpawnedProcess(int pid, int stdout_fd, int stderr_fd);
    ~SpawnedProcess();
    SpawnedProcess(SpawnedProcess&& other) noexcept;
    SpawnedProcess& operator=(SpawnedProcess&& other) noexcept;
    SpawnedProcess(const SpawnedProcess&) = delete;
    SpawnedProcess& operator=(const SpawnedProcess&) = delete;

    [[nodiscard]] int pid() const { return m_pid; }
    // Sends signal to the child. False when it was already reaped or kill(2) failed.
    bool kill(int signal);
    // Waits for the child to end (killing it with SIGKILL after timeout) and returns the result.
    // Call it once.
    ProcessResult wait(std::chrono::milliseconds timeout = k_default_process_timeout);
    // What the child has written to stdout / stderr so far (for polling progress while it runs).
    [[nodiscard]] std::string stdout_so_far() const;
    [[nodiscard]] std::string stderr_so_far() const;

  private:
    void release() noexcept;

    int m_pid = -1;
    int m_stdout_fd = -1;
    int m_stderr_fd = -1;
    bool m_reaped = false;
};

// Starts argv[0] (a path, or a name looked up in PATH) with this process's environment plus
// env_overrides, minus env_unset. stdin reads stdin_text then end of file; stdout and stderr go to
// unlinked temporary files, so a chatty child can never block on a full pipe. Throws
// std::system_error when the program cannot be started.
[[nodiscard]] SpawnedProcess start_process(const std::vector<std::string>& argv,
                                           const std::map<std::string, std::string>& env_overrides,
                                           const std::vector<std::string>& env_unset = {},
                                           const std::string& stdin_text = "");

// start_process(...).wait(): runs the program to completion and returns its result.
[[nodiscard]] ProcessResult run_process(const std::vector<std::string>& argv,
                                        const std::map<std::string, std::string>& env_overrides,
                                        const std::vector<std::string>& env_unset = {},
                                        const std::string& stdin_text = "");

} // namespace cxrcat::test
