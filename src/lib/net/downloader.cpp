// SPDX-License-Identifier: Apache-2.0
// The download loop: many files at once over one curl multi handle, slow large files split over
// several connections, retries scheduled with backoff, progress reported from this thread only.
#include "cxrcat/net/download.hpp"
#include "net/curl_errors.hpp"
#include "net/file_job.hpp"
#include "net/install_queue.hpp"
#include "net/receive_limiter.hpp"

#include <algorithm>
#include <map>
#include <random>

namespace cxrcat {

std::string_view to_string(TransferStatus status) {
    switch (status) {
    case TransferStatus::downloaded: return "downloaded";
    case TransferStatus::skipped: return "skipped";
    case TransferStatus::failed: return "failed";
    }
    return "failed";
}

namespace {

using Clock = std::chrono::steady_clock;

// Verified files waiting for their fsync no longer hold a transfer slot; this many at most, so a
// slow disk still holds the network back (open descriptors, dirty pages) instead of falling behind
// without bound.
constexpr std::size_t k_max_pending_installs = 64;

// A running easy handle: a file's main stream (segment == nullptr) or one of its segments.
struct Flight {
    std::size_t job;
    net::SegmentTask* segment;
};

struct Waiting {
    Clock::time_point when;
    std::size_t job;
    net::SegmentTask* segment;
};

class DownloadLoop {
  public:
    DownloadLoop(const std::vector<TransferRequest>& requests, const DownloadOptions& options, ProgressSink* progress)
        : m_options(options), m_progress(progress), m_random(std::random_device{}()) {
        net::ensure_curl_initialised();
        m_multi.reset(curl_multi_init());
        if (!m_multi) {
            throw std::runtime_error("libcurl could not create a multi handle");
        }
        curl_multi_setopt(m_multi.get(), CURLMOPT_MAX_HOST_CONNECTIONS,
                          static_cast<long>(std::max(1, options.per_host) * std::max(1, options.max_segments)));
        if (options.max_receive_rate > 0) {
            m_limiter.emplace(options.max_receive_rate);
        }
        for (std::size_t i = 0; i < requests.size(); ++i) {
            m_jobs.push_back(std::make_unique<net::FileJob>(requests[i], options));
            m_jobs.back()->limit_receive_with(limiter());
            m_state.push_back(JobState{});
            m_ready.push_back({Clock::now(), i, nullptr});
        }
    }

    std::vector<TransferOutcome> run() {
        auto last_tick = Clock::now();
        while (m_finished < m_jobs.size()) {
            start_due_work();
            if (m_limiter) {
                m_limiter->resume_due();
            }
            int running = 0;
            curl_multi_perform(m_multi.get(), &running);
            collect_done();
            poll_split_jobs();
            collect_installed();
            if (Clock::now() - last_tick >= std::chrono::milliseconds(200)) {
                tick();
                last_tick = Clock::now();
            }
            if (m_finished < m_jobs.size()) {
                curl_multi_poll(m_multi.get(), nullptr, 0, poll_timeout_ms(), nullptr);
            }
        }
        std::vector<TransferOutcome> outcomes;
        for (auto& job : m_jobs) {
            outcomes.push_back(job->outcome());
        }
        return outcomes;
    }

  private:
    struct JobState {
        bool started = false;
        bool main_in_flight = false;
        bool waiting_for_segments = false;
        bool installing = false; // verified, in m_installs
        bool finished = false;
        std::chrono::milliseconds waited{0};
    };

    [[nodiscard]] std::size_t files_in_flight() const {
        return static_cast<std::size_t>(std::count_if(m_state.begin(), m_state.end(), [](const JobState& state) {
            return state.started && !state.finished && !state.installing;
        }));
    }

    void start_due_work() {
        auto now = Clock::now();
        // Segments and retries of files already running come first: they hold their slot anyway.
        std::stable_sort(m_ready.begin(), m_ready.end(), [](const Waiting& a, const Waiting& b) {
            return (a.segment != nullptr) > (b.segment != nullptr);
        });
        std::vector<Waiting> later;
        for (const auto& item : m_ready) {
            JobState& state = m_state[item.job];
            if (state.finished) {
                continue;
            }
            bool new_file = !state.started;
            if (item.when > now || (new_file && !room_for_new_file())) {
                later.push_back(item);
                continue;
            }
            if (item.segment != nullptr) {
                start_segment(item.job, item.segment);
            } else {
                start_main(item.job);
            }
        }
        m_ready = std::move(later);
    }

    [[nodiscard]] bool room_for_new_file() const {
        return files_in_flight() < static_cast<std::size_t>(std::max(1, m_options.jobs)) &&
               m_installs.pending() < k_max_pending_installs;
    }

    // The file verified: its fsync and rename run on the install thread while transfers go on.
    void hand_to_installer(std::size_t index) {
        detach_segments(index);
        m_state[index].installing = true;
        m_installs.submit(index, m_jobs[index]->take_verified_part());
        m_jobs[index]->release_transfer_resources();
    }

    void collect_installed() {
        for (auto& [index, installed] : m_installs.take_finished()) {
            m_jobs[index]->install_finished(std::move(installed));
            m_state[index].installing = false;
            finish(index);
        }
    }

    void start_main(std::size_t index) {
        net::FileJob& job = *m_jobs[index];
        JobState& state = m_state[index];
        bool first = !state.started;
        state.started = true;
        auto easy = job.start_attempt();
        if (!easy) {
            job.outcome().error = easy.error();
            job.outcome().status = TransferStatus::failed;
            finish(index);
            return;
        }
        if (first && m_progress) {
            m_progress->on_start(job.request().display_path, job.total());
        }
        curl_multi_add_handle(m_multi.get(), *easy);
        m_flights[*easy] = {index, nullptr};
        state.main_in_flight = true;
        // Resuming a split part brings its segments back.
        for (net::SegmentTask* segment : job.take_new_segments()) {
            start_segment(index, segment);
        }
    }

    // Segments of a running file ready to go: after a split, or restored ones once the main stream
    // has resolved where they are sent (FileJob::take_new_segments).
    void start_new_segments(std::size_t index) {
        const JobState& state = m_state[index];
        if (!state.started || state.finished || state.installing) {
            return;
        }
        for (net::SegmentTask* segment : m_jobs[index]->take_new_segments()) {
            start_segment(index, segment);
        }
    }

    void start_segment(std::size_t index, net::SegmentTask* segment) {
        segment->limit_receive_with(limiter());
        auto easy = segment->start_attempt();
        if (!easy) {
            fail_job_from_segment(index, *segment);
            return;
        }
        curl_multi_add_handle(m_multi.get(), *easy);
        m_flights[*easy] = {index, segment};
    }

    void collect_done() {
        int left = 0;
        while (CURLMsg* message = curl_multi_info_read(m_multi.get(), &left)) {
            if (message->msg != CURLMSG_DONE) {
                continue;
            }
            CURL* easy = message->easy_handle;
            CURLcode code = message->data.result;
            remove_handle(easy);
            auto flight = m_flights.find(easy);
            if (flight == m_flights.end()) {
                continue;
            }
            Flight done = flight->second;
            m_flights.erase(flight);
            if (done.segment != nullptr) {
                segment_done(done.job, *done.segment, code);
            } else {
                main_done(done.job, code);
            }
        }
    }

    void main_done(std::size_t index, CURLcode code) {
        net::FileJob& job = *m_jobs[index];
        m_state[index].main_in_flight = false;
        net::AttemptVerdict verdict = job.finish_attempt(code);
        release_retired(index);
        switch (verdict) {
        case net::AttemptVerdict::done:
        case net::AttemptVerdict::failed:
            detach_segments(index);
            finish(index);
            break;
        case net::AttemptVerdict::waiting: m_state[index].waiting_for_segments = true; break;
        case net::AttemptVerdict::installing: hand_to_installer(index); break;
        case net::AttemptVerdict::retry:
            if (job.take_restart_now()) {
                m_ready.push_back({Clock::now(), index, nullptr}); // the next source or hop, at once
            } else {
                schedule(index, nullptr, job.outcome().attempts, job.retry_after(), job.last_error());
            }
            break;
        }
    }

    void segment_done(std::size_t index, net::SegmentTask& segment, CURLcode code) {
        switch (segment.finish_attempt(code)) {
        case net::AttemptVerdict::done:
        case net::AttemptVerdict::installing:     // not a segment's verdict
        case net::AttemptVerdict::waiting: break; // poll_split_jobs notices when every part is in
        case net::AttemptVerdict::retry:
            if (segment.attempts() >= m_options.retry.max_attempts) {
                fail_job_from_segment(index, segment);
            } else {
                schedule(index, &segment, segment.attempts(), segment.retry_after(), segment.last_error());
            }
            break;
        case net::AttemptVerdict::failed: fail_job_from_segment(index, segment); break;
        }
    }

    void fail_job_from_segment(std::size_t index, net::SegmentTask& segment) {
        detach_main(index);
        net::FileJob& job = *m_jobs[index];
        net::AttemptVerdict verdict = job.segment_failed(segment);
        release_retired(index);
        m_state[index].waiting_for_segments = false;
        if (verdict == net::AttemptVerdict::retry) {
            schedule(index, nullptr, job.outcome().attempts, std::nullopt, job.last_error());
        } else {
            finish(index);
        }
    }

    void poll_split_jobs() {
        for (std::size_t i = 0; i < m_jobs.size(); ++i) {
            if (!m_state[i].waiting_for_segments) {
                continue;
            }
            auto verdict = m_jobs[i]->poll_split();
            if (!verdict) {
                continue;
            }
            m_state[i].waiting_for_segments = false;
            release_retired(i);
            if (*verdict == net::AttemptVerdict::retry) {
                schedule(i, nullptr, m_jobs[i]->outcome().attempts, std::nullopt, m_jobs[i]->last_error());
            } else if (*verdict == net::AttemptVerdict::installing) {
                hand_to_installer(i);
            } else {
                finish(i);
            }
        }
    }

    void tick() {
        auto now = Clock::now();
        for (std::size_t i = 0; i < m_jobs.size(); ++i) {
            net::FileJob& job = *m_jobs[i];
            if (m_state[i].main_in_flight && job.should_split(now)) {
                job.split();
            }
            start_new_segments(i);
            if (job.is_split()) {
                job.save_split_progress();
            }
            if (m_progress && m_state[i].started && !m_state[i].finished) {
                m_progress->on_progress(job.request().display_path, job.bytes_present(), job.total());
            }
        }
    }

    void schedule(std::size_t index, net::SegmentTask* segment, int attempts,
                  std::optional<std::chrono::seconds> retry_after, const std::optional<Error>& last_error) {
        net::FileJob& job = *m_jobs[index];
        const RetryPolicy& policy = m_options.retry;
        std::uniform_real_distribution<double> jitter(0.0, 1.0);
        auto delay = policy.delay_before(attempts + 1, jitter(m_random), retry_after);
        Error last = last_error.value_or(Error(ErrorCode::network, job.request().display_path + ": failed"));
        JobState& state = m_state[index];
        if (attempts >= policy.max_attempts || state.waited + delay > policy.max_total_wait) {
            last.note("gave up after " + std::to_string(attempts) + " attempts");
            last.note("rerun the same command to resume");
            if (segment != nullptr) {
                fail_job_from_segment(index, *segment);
                return;
            }
            detach_segments(index);
            job.give_up(std::move(last));
            finish(index);
            return;
        }
        state.waited += delay;
        m_ready.push_back({Clock::now() + delay, index, segment});
        if (m_progress) {
            m_progress->on_retry(job.request().display_path, attempts + 1, delay, last.message());
        }
    }

    void detach_main(std::size_t index) {
        for (auto it = m_flights.begin(); it != m_flights.end();) {
            if (it->second.job == index && it->second.segment == nullptr) {
                remove_handle(it->first);
                it = m_flights.erase(it);
            } else {
                ++it;
            }
        }
        m_state[index].main_in_flight = false;
        std::erase_if(m_ready, [index](const Waiting& w) { return w.job == index && w.segment == nullptr; });
    }

    void detach_segments(std::size_t index) {
        for (auto it = m_flights.begin(); it != m_flights.end();) {
            if (it->second.job == index && it->second.segment != nullptr) {
                remove_handle(it->first);
                it = m_flights.erase(it);
            } else {
                ++it;
            }
        }
        std::erase_if(m_ready, [index](const Waiting& w) { return w.job == index && w.segment != nullptr; });
    }

    // Segments the job dropped: make sure libcurl no longer holds them before they are destroyed.
    void release_retired(std::size_t index) {
        auto retired = m_jobs[index]->take_retired_segments();
        for (const auto& segment : retired) {
            for (auto it = m_flights.begin(); it != m_flights.end();) {
                if (it->second.segment == segment.get()) {
                    remove_handle(it->first);
                    it = m_flights.erase(it);
                } else {
                    ++it;
                }
            }
            std::erase_if(m_ready, [&segment](const Waiting& w) { return w.segment == segment.get(); });
        }
    }

    void finish(std::size_t index) {
        if (m_state[index].finished) {
            return;
        }
        m_state[index].finished = true;
        ++m_finished;
        if (m_progress) {
            m_progress->on_finish(m_jobs[index]->outcome());
        }
        detach_main(index);
        m_jobs[index]->release_transfer_resources();
    }

    [[nodiscard]] net::ReceiveLimiter* limiter() { return m_limiter ? &*m_limiter : nullptr; }

    // Every easy handle leaves libcurl here: a paused one must not be resumed afterwards.
    void remove_handle(CURL* easy) {
        if (m_limiter) {
            m_limiter->forget(easy);
        }
        curl_multi_remove_handle(m_multi.get(), easy);
    }

    [[nodiscard]] int poll_timeout_ms() const {
        auto timeout = std::chrono::milliseconds(100);
        auto now = Clock::now();
        for (const auto& item : m_ready) {
            timeout = std::min(timeout, std::chrono::duration_cast<std::chrono::milliseconds>(item.when - now));
        }
        for (const auto& state : m_state) {
            if (state.waiting_for_segments) {
                timeout = std::min(timeout, std::chrono::milliseconds(5)); // the digest thread may finish any time
            }
        }
        if (auto resume = m_limiter ? m_limiter->until_resume() : std::nullopt) {
            timeout = std::min(timeout, *resume);
        }
        return static_cast<int>(std::max<long long>(0, timeout.count()));
    }

    const DownloadOptions& m_options;
    ProgressSink* m_progress;
    std::mt19937_64 m_random;
    net::CurlMulti m_multi;
    std::vector<std::unique_ptr<net::FileJob>> m_jobs;
    std::vector<JobState> m_state;
    std::vector<Waiting> m_ready;
    std::map<CURL*, Flight> m_flights;
    std::size_t m_finished = 0;
    std::optional<net::ReceiveLimiter> m_limiter; // --limit-rate
    // Last: destroyed first, while the multi handle its wake-up uses still exists.
    net::InstallQueue m_installs{[this] { curl_multi_wakeup(m_multi.get()); }};
};

} // namespace

std::vector<TransferOutcome> download_all(const std::vector<TransferRequest>& requests, const DownloadOptions& options,
                                          ProgressSink* progress) {
    if (requests.empty()) {
        return {};
    }
    return DownloadLoop(requests, options, progress).run();
}

} // namespace cxrcat
