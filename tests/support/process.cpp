// SPDX-License-Identifier: Apache-2.0
// Child processes for tests: posix_spawn, output captured in unlinked temporary files, waited for
// with a pidfd so that a hung child cannot hang the test run (and no sleep is needed).
#include "support/process.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <system_error>
#include <unistd.h>

extern char** environ; // NOLINT(readability-redundant-declaration): POSIX declares it nowhere

namespace cxrcat::test {

namespace {

[[noreturn]] void throw_errno(int error_number, const std::string& what) {
    throw std::system_error(error_number, std::generic_category(), what);
}

// Closes a descriptor unless released, so that every early exit (exception) cleans up.
class OwnedFd {
  public:
    explicit OwnedFd(int fd) : m_fd(fd) {}
    ~OwnedFd() {
        if (m_fd >= 0) {
            ::close(m_fd);
        }
    }
    OwnedFd(const OwnedFd&) = delete;
    OwnedFd& operator=(const OwnedFd&) = delete;
    OwnedFd(OwnedFd&&) = delete;
    OwnedFd& operator=(OwnedFd&&) = delete;

    [[nodiscard]] int get() const { return m_fd; }
    int release() {
        int fd = m_fd;
        m_fd = -1;
        return fd;
    }

  private:
    int m_fd;
};

// An anonymous temporary file: created close-on-exec and unlinked at once, so it vanishes with the fd.
int anonymous_temp_file() {
    const char* base = std::getenv("TMPDIR"); // NOLINT(concurrency-mt-unsafe)
    std::string pattern = std::string((base != nullptr && *base != '\0') ? base : "/tmp") + "/cxrcat-io-XXXXXX";
    int fd = ::mkostemp(pattern.data(), O_CLOEXEC);
    if (fd < 0) {
        throw_errno(errno, "mkostemp " + pattern);
    }
    ::unlink(pattern.c_str());
    return fd;
}

void write_all(int fd, const std::string& text) {
    std::size_t written = 0;
    while (written < text.size()) {
        ssize_t n = ::write(fd, text.data() + written, text.size() - written);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            throw_errno(errno, "write to a temporary file");
        }
        written += static_cast<std::size_t>(n);
    }
    if (::lseek(fd, 0, SEEK_SET) < 0) {
        throw_errno(errno, "lseek");
    }
}

// Everything in the file behind fd, read from offset 0 (pread leaves the shared offset alone).
std::string read_from_start(int fd) {
    std::string out;
    char buffer[65536];
    off_t offset = 0;
    for (;;) {
        ssize_t n = ::pread(fd, buffer, sizeof buffer, offset);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            break;
        }
        out.append(buffer, static_cast<std::size_t>(n));
        offset += n;
    }
    return out;
}

// The parent's environment with the overrides applied and the unset names removed.
std::vector<std::string> child_environment(const std::map<std::string, std::string>& overrides,
                                           const std::vector<std::string>& unset) {
    std::map<std::string, std::string> variables;
    for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
        std::string text(*entry);
        auto equals = text.find('=');
        if (equals != std::string::npos) {
            variables[text.substr(0, equals)] = text.substr(equals + 1);
        }
    }
    for (const auto& name : unset) {
        variables.erase(name);
    }
    for (const auto& [name, value] : overrides) {
        variables[name] = value;
    }
    std::vector<std::string> out;
    out.reserve(variables.size());
    for (const auto& [name, value] : variables) {
        out.push_back(name + "=" + value);
    }
    return out;
}

std::vector<char*> c_strings(std::vector<std::string>& strings) {
    std::vector<char*> out;
    out.reserve(strings.size() + 1);
    for (auto& text : strings) {
        out.push_back(text.data());
    }
    out.push_back(nullptr);
    return out;
}

void fill_result(int status, ProcessResult& result) {
    if (WIFEXITED(status)) {
        result.exit_code = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
        result.term_signal = WTERMSIG(status);
    }
}

// Blocks until pid ends or timeout passes; false on timeout. Uses a pidfd so the wait needs no
// polling loop; without pidfd support it waits without a limit.
bool wait_until_exit(int pid, std::chrono::milliseconds timeout) {
    // Through syscall(2): glibc 2.36's <sys/pidfd.h> lacks extern "C", so its wrapper cannot be linked from C++.
    auto pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0U));
    if (pidfd < 0) {
        return true;
    }
    OwnedFd owned(pidfd);
    pollfd entry{pidfd, POLLIN, 0};
    for (;;) {
        int ready = ::poll(&entry, 1, static_cast<int>(timeout.count()));
        if (ready < 0 && errno == EINTR) {
            continue;
        }
        return ready != 0;
    }
}

} // namespace

std::string ProcessResult::describe() const {
    std::string head = timed_out          ? "timed out"
                       : term_signal != 0 ? "signal " + std::to_string(term_signal)
                                          : "exit " + std::to_string(exit_code);
    return head + "\n--- stderr ---\n" + err + "--- stdout ---\n" + out;
}

SpawnedProcess::SpawnedProcess(int pid, int stdout_fd, int stderr_fd)
    : m_pid(pid), m_stdout_fd(stdout_fd), m_stderr_fd(stderr_fd) {}

SpawnedProcess::~SpawnedProcess() {
    release();
}

SpawnedProcess::SpawnedProcess(SpawnedProcess&& other) noexcept
    : m_pid(other.m_pid), m_stdout_fd(other.m_stdout_fd), m_stderr_fd(other.m_stderr_fd), m_reaped(other.m_reaped) {
    other.m_pid = -1;
    other.m_stdout_fd = -1;
    other.m_stderr_fd = -1;
}

SpawnedProcess& SpawnedProcess::operator=(SpawnedProcess&& other) noexcept {
    if (this != &other) {
        release();
        m_pid = other.m_pid;
        m_stdout_fd = other.m_stdout_fd;
        m_stderr_fd = other.m_stderr_fd;
        m_reaped = other.m_reaped;
        other.m_pid = -1;
        other.m_stdout_fd = -1;
        other.m_stderr_fd = -1;
    }
    return *this;
}

void SpawnedProcess::release() noexcept {
    if (m_pid > 0 && !m_reaped) {
        ::kill(m_pid, SIGKILL);
        int status = 0;
        while (::waitpid(m_pid, &status, 0) < 0 && errno == EINTR) {
        }
        m_reaped = true;
    }
    for (int* fd : {&m_stdout_fd, &m_stderr_fd}) {
        if (*fd >= 0) {
            ::close(*fd);
            *fd = -1;
        }
    }
    m_pid = -1;
}

bool SpawnedProcess::kill(int signal) {
    return m_pid > 0 && !m_reaped && ::kill(m_pid, signal) == 0;
}

ProcessResult SpawnedProcess::wait(std::chrono::milliseconds timeout) {
    ProcessResult result;
    if (m_pid <= 0 || m_reaped) {
        throw std::logic_error("SpawnedProcess::wait called twice or on a moved-from process");
    }
    if (!wait_until_exit(m_pid, timeout)) {
        result.timed_out = true;
        ::kill(m_pid, SIGKILL);
    }
    int status = 0;
    while (::waitpid(m_pid, &status, 0) < 0) {
        if (errno != EINTR) {
            throw_errno(errno, "waitpid");
        }
    }
    m_reaped = true;
    fill_result(status, result);
    result.out = read_from_start(m_stdout_fd);
    result.err = read_from_start(m_stderr_fd);
    return result;
}

std::string SpawnedProcess::stdout_so_far() const {
    return m_stdout_fd < 0 ? "" : read_from_start(m_stdout_fd);
}

std::string SpawnedProcess::stderr_so_far() const {
    return m_stderr_fd < 0 ? "" : read_from_start(m_stderr_fd);
}

SpawnedProcess start_process(const std::vector<std::string>& argv,
                             const std::map<std::string, std::string>& env_overrides,
                             const std::vector<std::string>& env_unset, const std::string& stdin_text) {
    if (argv.empty()) {
        throw std::invalid_argument("start_process needs a program");
    }
    OwnedFd stdin_file(anonymous_temp_file());
    write_all(stdin_file.get(), stdin_text);
    OwnedFd stdout_file(anonymous_temp_file());
    OwnedFd stderr_file(anonymous_temp_file());

    posix_spawn_file_actions_t actions;
    if (int error = ::posix_spawn_file_actions_init(&actions); error != 0) {
        throw_errno(error, "posix_spawn_file_actions_init");
    }
    posix_spawnattr_t attributes;
    if (int error = ::posix_spawnattr_init(&attributes); error != 0) {
        ::posix_spawn_file_actions_destroy(&actions);
        throw_errno(error, "posix_spawnattr_init");
    }
    // The child starts with no blocked signals and default SIGPIPE, whatever the test runner set.
    sigset_t empty_mask;
    sigset_t default_signals;
    sigemptyset(&empty_mask);
    sigemptyset(&default_signals);
    sigaddset(&default_signals, SIGPIPE);
    int setup = ::posix_spawn_file_actions_adddup2(&actions, stdin_file.get(), STDIN_FILENO);
    setup = setup != 0 ? setup : ::posix_spawn_file_actions_adddup2(&actions, stdout_file.get(), STDOUT_FILENO);
    setup = setup != 0 ? setup : ::posix_spawn_file_actions_adddup2(&actions, stderr_file.get(), STDERR_FILENO);
    setup = setup != 0 ? setup : ::posix_spawnattr_setsigmask(&attributes, &empty_mask);
    setup = setup != 0 ? setup : ::posix_spawnattr_setsigdefault(&attributes, &default_signals);
    setup = setup != 0 ? setup
                       : ::posix_spawnattr_setflags(&attributes,
                                                    static_cast<short>(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF));

    std::vector<std::string> arguments = argv;
    std::vector<char*> c_arguments = c_strings(arguments);
    std::vector<std::string> environment = child_environment(env_overrides, env_unset);
    std::vector<char*> c_environment = c_strings(environment);

    pid_t pid = -1;
    int spawned = setup;
    if (spawned == 0) {
        // A bare name is looked up in PATH, like a shell would.
        spawned =
            argv[0].find('/') == std::string::npos
                ? ::posix_spawnp(&pid, argv[0].c_str(), &actions, &attributes, c_arguments.data(), c_environment.data())
                : ::posix_spawn(&pid, argv[0].c_str(), &actions, &attributes, c_arguments.data(), c_environment.data());
    }
    ::posix_spawn_file_actions_destroy(&actions);
    ::posix_spawnattr_destroy(&attributes);
    if (spawned != 0) {
        throw_errno(spawned, "cannot start " + argv[0]);
    }
    return SpawnedProcess(pid, stdout_file.release(), stderr_file.release());
}

ProcessResult run_process(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env_overrides,
                          const std::vector<std::string>& env_unset, const std::string& stdin_text) {
    return start_process(argv, env_overrides, env_unset, stdin_text).wait();
}

} // namespace cxrcat::test
