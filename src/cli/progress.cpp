// SPDX-License-Identifier: Apache-2.0
// Progress on stderr: a live block of lines on a terminal, or one JSON event per line.
#include "progress.hpp"

#include "cxrcat/base/text.hpp"
#include "output.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <map>

namespace cxrcat::cli {

namespace {

using Clock = std::chrono::steady_clock;

std::string seconds_text(std::chrono::milliseconds delay) {
    std::array<char, 32> buffer{};
    (void)std::snprintf(buffer.data(), buffer.size(), "%.1f", static_cast<double>(delay.count()) / 1000.0);
    return buffer.data();
}

class NoProgress final : public ProgressSink {
  public:
    void on_start(const std::string& /*path*/, std::optional<std::uint64_t> /*total*/) override {}
    void on_progress(const std::string& /*path*/, std::uint64_t /*done*/,
                     std::optional<std::uint64_t> /*total*/) override {}
    void on_retry(const std::string& /*path*/, int /*attempt*/, std::chrono::milliseconds /*delay*/,
                  const std::string& /*reason*/) override {}
    void on_finish(const TransferOutcome& /*outcome*/) override {}
};

class JsonProgress final : public ProgressSink {
  public:
    void on_start(const std::string& path, std::optional<std::uint64_t> total) override {
        emit({{"event", "start"}, {"path", path}, {"total", total ? nlohmann::json(*total) : nlohmann::json()}});
    }
    void on_progress(const std::string& path, std::uint64_t done, std::optional<std::uint64_t> total) override {
        emit({{"event", "progress"},
              {"path", path},
              {"done", done},
              {"total", total ? nlohmann::json(*total) : nlohmann::json()}});
    }
    void on_retry(const std::string& path, int attempt, std::chrono::milliseconds delay,
                  const std::string& reason) override {
        emit({{"event", "retry"},
              {"path", path},
              {"attempt", attempt},
              {"delay_ms", delay.count()},
              {"reason", reason}});
    }
    void on_finish(const TransferOutcome& outcome) override {
        nlohmann::json event = {{"event", "finish"},
                                {"path", outcome.display_path},
                                {"status", to_string(outcome.status)},
                                {"bytes", outcome.size},
                                {"bytes_received", outcome.bytes_received}};
        if (outcome.error) {
            event["error"] = outcome.error->message();
        }
        emit(event);
    }

  private:
    static void emit(const nlohmann::json& event) { std::cerr << event.dump() << '\n' << std::flush; }
};

// One line per active file and a total, redrawn in place at most ten times a second.
class BarProgress final : public ProgressSink {
  public:
    ~BarProgress() override { clear(); }
    BarProgress() = default;
    BarProgress(const BarProgress&) = delete;
    BarProgress& operator=(const BarProgress&) = delete;
    BarProgress(BarProgress&&) = delete;
    BarProgress& operator=(BarProgress&&) = delete;

    void on_start(const std::string& path, std::optional<std::uint64_t> total) override {
        m_files[path] = File{0, total, Clock::now(), 0};
        draw(true);
    }
    void on_progress(const std::string& path, std::uint64_t done, std::optional<std::uint64_t> total) override {
        auto it = m_files.find(path);
        if (it == m_files.end()) {
            return;
        }
        it->second.done = done;
        if (total) {
            it->second.total = total;
        }
        draw(false);
    }
    void on_retry(const std::string& path, int attempt, std::chrono::milliseconds delay,
                  const std::string& reason) override {
        print_above("retrying " + path + " (attempt " + std::to_string(attempt) + ") in " + seconds_text(delay) +
                    " s: " + reason);
    }
    void on_finish(const TransferOutcome& outcome) override {
        m_finished_bytes += outcome.size;
        m_files.erase(outcome.display_path);
        std::string mark = outcome.status == TransferStatus::failed ? "failed " : "done   ";
        print_above(mark + outcome.display_path + "  " + human_size(outcome.size));
    }

  private:
    struct File {
        std::uint64_t done = 0;
        std::optional<std::uint64_t> total;
        Clock::time_point started;
        std::uint64_t first_done = 0;
    };

    void clear() {
        for (std::size_t i = 0; i < m_lines_drawn; ++i) {
            std::cerr << "\x1b[1A\x1b[2K";
        }
        std::cerr << '\r' << std::flush;
        m_lines_drawn = 0;
    }

    void print_above(const std::string& line) {
        clear();
        std::cerr << line << '\n';
        draw(true);
    }

    static std::string rate(std::uint64_t bytes, Clock::duration elapsed) {
        double seconds = std::chrono::duration<double>(elapsed).count();
        return seconds <= 0.0 ? "-"
                              : human_size(static_cast<std::uint64_t>(static_cast<double>(bytes) / seconds)) + "/s";
    }

    void draw(bool force) {
        auto now = Clock::now();
        if (!force && now - m_last_draw < std::chrono::milliseconds(100)) {
            return;
        }
        m_last_draw = now;
        clear();
        std::uint64_t active_done = 0;
        std::uint64_t active_total = 0;
        for (const auto& [path, file] : m_files) {
            active_done += file.done;
            active_total += file.total.value_or(file.done);
            std::string percent =
                file.total && *file.total > 0 ? std::to_string(file.done * 100 / *file.total) + "%" : "?";
            std::string eta;
            double seconds = std::chrono::duration<double>(now - file.started).count();
            if (file.total && file.done > 0 && seconds > 0.5) {
                double per_second = static_cast<double>(file.done) / seconds;
                eta = "  ETA " +
                      std::to_string(static_cast<long long>(
                          static_cast<double>(*file.total - std::min(*file.total, file.done)) / per_second)) +
                      " s";
            }
            std::cerr << "  " << truncate_display(path, 40) << "  " << percent << "  " << human_size(file.done) << " / "
                      << (file.total ? human_size(*file.total) : "?") << "  " << rate(file.done, now - file.started)
                      << eta << '\n';
            ++m_lines_drawn;
        }
        std::cerr << "  total  " << human_size(m_finished_bytes + active_done) << "  "
                  << rate(m_finished_bytes + active_done, now - m_started) << '\n'
                  << std::flush;
        ++m_lines_drawn;
        (void)active_total;
    }

    std::map<std::string, File> m_files;
    std::uint64_t m_finished_bytes = 0;
    std::size_t m_lines_drawn = 0;
    Clock::time_point m_started = Clock::now();
    Clock::time_point m_last_draw{};
};

} // namespace

std::unique_ptr<ProgressSink> make_progress(const std::string& mode) {
    if (mode == "json") {
        return std::make_unique<JsonProgress>();
    }
    if (mode == "bar" || (mode == "auto" && stderr_is_terminal())) {
        return std::make_unique<BarProgress>();
    }
    return std::make_unique<NoProgress>();
}

} // namespace cxrcat::cli
