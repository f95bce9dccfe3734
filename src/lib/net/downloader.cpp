// SPDX-License-Identifier: Apache-2.0
// The download loop: many files at once over one curl multi handle, retries scheduled with
// backoff, progress reported from this thread only.
#include "cxrcat/download.hpp"

#include "net/curl_errors.hpp"
#include "net/file_job.hpp"

#include <algorithm>
#include <deque>
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

struct Waiting {
    Clock::time_point when;
    std::size_t job;
};

class DownloadLoop {
public:
    DownloadLoop(const std::vector<TransferRequest>& requests, const DownloadOptions& options, ProgressSink* progress)
        : m_options(options), m_progress(progress), m_random(std::random_device{}()) {
        for (const auto& request : requests) {
            m_jobs.push_back(std::make_unique<net::FileJob>(request, options));
            m_waited.push_back(std::chrono::milliseconds(0));
            m_in_flight.push_back(false);
        }
        for (std::size_t i = 0; i < m_jobs.size(); ++i) {
            m_ready.push_back(i);
        }
        net::ensure_curl_initialised();
        m_multi.reset(curl_multi_init());
        if (!m_multi) {
            throw std::runtime_error("libcurl could not create a multi handle");
        }
        curl_multi_setopt(m_multi.get(), CURLMOPT_MAX_HOST_CONNECTIONS, static_cast<long>(std::max(1, options.per_host)));
    }

    std::vector<TransferOutcome> run() {
        std::size_t finished = 0;
        auto last_tick = Clock::now();
        while (finished < m_jobs.size()) {
            promote_due_retries();
            start_ready_jobs(finished);
            int running = 0;
            curl_multi_perform(m_multi.get(), &running);
            finished += collect_done();
            if (Clock::now() - last_tick >= std::chrono::milliseconds(200)) {
                report_progress();
                last_tick = Clock::now();
            }
            if (finished < m_jobs.size()) {
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
    void promote_due_retries() {
        auto now = Clock::now();
        auto due = std::stable_partition(m_waiting.begin(), m_waiting.end(),
                                         [now](const Waiting& w) { return w.when > now; });
        for (auto it = due; it != m_waiting.end(); ++it) {
            m_ready.push_back(it->job);
        }
        m_waiting.erase(due, m_waiting.end());
    }

    void start_ready_jobs(std::size_t& finished) {
        while (m_active < static_cast<std::size_t>(std::max(1, m_options.jobs)) && !m_ready.empty()) {
            std::size_t index = m_ready.front();
            m_ready.pop_front();
            net::FileJob& job = *m_jobs[index];
            bool first = job.outcome().attempts == 0;
            auto easy = job.start_attempt();
            if (!easy) {
                job.outcome().error = easy.error();
                job.outcome().status = TransferStatus::failed;
                ++finished;
                if (m_progress) {
                    m_progress->on_finish(job.outcome());
                }
                continue;
            }
            if (first && m_progress) {
                m_progress->on_start(job.request().display_path, job.total());
            }
            curl_multi_add_handle(m_multi.get(), *easy);
            m_in_flight[index] = true;
            ++m_active;
        }
    }

    std::size_t collect_done() {
        std::size_t finished = 0;
        int left = 0;
        while (CURLMsg* message = curl_multi_info_read(m_multi.get(), &left)) {
            if (message->msg != CURLMSG_DONE) {
                continue;
            }
            CURL* easy = message->easy_handle;
            CURLcode code = message->data.result;
            char* private_data = nullptr;
            curl_easy_getinfo(easy, CURLINFO_PRIVATE, &private_data);
            curl_multi_remove_handle(m_multi.get(), easy);
            --m_active;
            auto* job = reinterpret_cast<net::FileJob*>(private_data); // NOLINT(cppcoreguidelines-pro-type-reinterpret-cast)
            std::size_t index = index_of(job);
            m_in_flight[index] = false;
            switch (job->finish_attempt(code)) {
            case net::AttemptVerdict::done:
            case net::AttemptVerdict::failed:
                ++finished;
                if (m_progress) {
                    m_progress->on_finish(job->outcome());
                }
                break;
            case net::AttemptVerdict::retry:
                if (!schedule_retry(index)) {
                    ++finished;
                    if (m_progress) {
                        m_progress->on_finish(job->outcome());
                    }
                }
                break;
            }
        }
        return finished;
    }

    // False when the retry budget is spent; the job then carries its final error.
    bool schedule_retry(std::size_t index) {
        net::FileJob& job = *m_jobs[index];
        const RetryPolicy& policy = m_options.retry;
        int next_attempt = job.outcome().attempts + 1;
        std::uniform_real_distribution<double> jitter(0.0, 1.0);
        auto delay = policy.delay_before(next_attempt, jitter(m_random), job.retry_after());
        Error last = job.last_error().value_or(Error(ErrorCode::network, job.request().display_path + ": failed"));
        if (job.outcome().attempts >= policy.max_attempts || m_waited[index] + delay > policy.max_total_wait) {
            last.note("gave up after " + std::to_string(job.outcome().attempts) + " attempts");
            last.note("rerun the same command to resume");
            job.outcome().error = std::move(last);
            job.outcome().status = TransferStatus::failed;
            return false;
        }
        m_waited[index] += delay;
        m_waiting.push_back({Clock::now() + delay, index});
        if (m_progress) {
            m_progress->on_retry(job.request().display_path, next_attempt, delay, last.message());
        }
        return true;
    }

    void report_progress() {
        if (!m_progress) {
            return;
        }
        for (std::size_t i = 0; i < m_jobs.size(); ++i) {
            if (m_in_flight[i]) {
                m_progress->on_progress(m_jobs[i]->request().display_path, m_jobs[i]->bytes_present(),
                                        m_jobs[i]->total());
            }
        }
    }

    int poll_timeout_ms() const {
        auto timeout = std::chrono::milliseconds(200);
        auto now = Clock::now();
        for (const auto& waiting : m_waiting) {
            timeout = std::min(timeout, std::chrono::duration_cast<std::chrono::milliseconds>(waiting.when - now));
        }
        return static_cast<int>(std::max<long long>(0, timeout.count()));
    }

    std::size_t index_of(const net::FileJob* job) const {
        for (std::size_t i = 0; i < m_jobs.size(); ++i) {
            if (m_jobs[i].get() == job) {
                return i;
            }
        }
        return 0;
    }

    const DownloadOptions& m_options;
    ProgressSink* m_progress;
    std::mt19937_64 m_random;
    net::CurlMulti m_multi;
    std::vector<std::unique_ptr<net::FileJob>> m_jobs;
    std::vector<std::chrono::milliseconds> m_waited;
    std::vector<bool> m_in_flight;
    std::deque<std::size_t> m_ready;
    std::vector<Waiting> m_waiting;
    std::size_t m_active = 0;
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
