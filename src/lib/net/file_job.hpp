// SPDX-License-Identifier: Apache-2.0
// Private: one file's download, attempt by attempt. It starts as one stream hashed in memory; when
// that stream is slow and the server accepts ranges, the rest of the file is split over more
// connections (SegmentTask), and the digest then follows the file's contiguous prefix on disk.
#pragma once

#include "cxrcat/net/download.hpp"
#include "files/part_file.hpp"
#include "net/curl_task.hpp"
#include "net/easy_setup.hpp"
#include "net/segment_task.hpp"
#include "verify/hashing_writer.hpp"

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <thread>

namespace cxrcat::net {

class FileJob final : public CurlTask {
  public:
    FileJob(const TransferRequest& request, const DownloadOptions& options);
    ~FileJob() override;

    // Prepares the next attempt's easy handle (resuming the .part when that is safe). An error here
    // is local (cannot open the part file) and final.
    Result<CURL*> start_attempt();
    // Judges the attempt libcurl just finished; on success the file is verified and installed.
    AttemptVerdict finish_attempt(CURLcode code);

    // True when the running single stream should be split: slow after a warm-up, the server accepts
    // ranges and gave a strong validator, and enough of the file remains.
    [[nodiscard]] bool should_split(std::chrono::steady_clock::time_point now) const;
    // Limits the running stream to the next share of the file and creates segments for the rest.
    void split();
    // Segments created by split() or by resuming a split part, not yet handed to libcurl, each aimed at
    // segment_target(). None while that target is unknown: segments restored from a record wait
    // until the main stream has resolved the file (own_redirects), so the origin is asked once.
    std::vector<SegmentTask*> take_new_segments();
    // Called when one of this job's segments failed for good, after the caller detached the main
    // stream: stops the split; a changed remote means starting over (retry), anything else fails.
    AttemptVerdict segment_failed(const SegmentTask& segment);
    // Segments dropped by a stopped split. The caller detaches them from libcurl, then lets them go.
    std::vector<std::unique_ptr<SegmentTask>> take_retired_segments() { return std::exchange(m_retired, {}); }
    // When the file is split and everything has arrived and been hashed: verify and install.
    // nullopt while work remains.
    std::optional<AttemptVerdict> poll_split();
    // Writes each segment's progress beside the part, so a killed run can resume every segment.
    void save_split_progress() const;
    [[nodiscard]] bool is_split() const { return m_limit.has_value(); }
    [[nodiscard]] const std::vector<std::unique_ptr<SegmentTask>>& segments() const { return m_segments; }

    [[nodiscard]] TransferOutcome& outcome() { return m_outcome; }
    [[nodiscard]] const TransferRequest& request() const { return m_request; }
    [[nodiscard]] std::optional<std::chrono::seconds> retry_after() const { return m_retry_after; }
    // True (once) when the next attempt starts at once: the last one gave up on a mirror (the next
    // source is tried), or it was answered with a redirect that this job follows itself.
    bool take_restart_now() { return std::exchange(m_switched_source, false); }
    [[nodiscard]] const std::optional<Error>& last_error() const { return m_last_error; }
    // The retries are used up: fails the file with error, removing an empty part (nothing to resume).
    void give_up(Error error);
    // After the verdict `installing`: the verified part, for InstallQueue.
    [[nodiscard]] PartFile take_verified_part();
    // InstallQueue's result: the file counts as downloaded only now, once its bytes and its
    // directory entry are durable; an error fails it (local I/O).
    void install_finished(Result<void> installed);
    // The file is done (installed or failed for good) and detached from libcurl: frees its curl
    // handle and its writer's chunk buffers, so memory follows the transfers in flight, not the
    // number of files in the run.
    void release_transfer_resources();
    // Bytes of the file present so far, and its total size when known.
    [[nodiscard]] std::uint64_t bytes_present() const;
    [[nodiscard]] std::optional<std::uint64_t> total() const;

  private:
    // Where segments send their Range requests, and with which credentials.
    struct SegmentTarget {
        std::string url;
        EasyHop hop;
    };
    [[nodiscard]] std::optional<SegmentTarget> segment_target() const;

    static std::size_t on_header(char* data, std::size_t size, std::size_t count, void* self);
    static std::size_t on_body(char* data, std::size_t size, std::size_t count, void* self);
    // Attempt set-up (file_job.cpp).
    void reset_attempt_state();
    // Sets m_resume_from (and restores a split) from the part and its record; a part that cannot
    // be resumed safely is truncated.
    Result<void> choose_resume_point(const std::string& url);
    [[nodiscard]] std::vector<std::string> range_headers() const;

    // Response (file_job_response.cpp).
    std::size_t handle_body(const char* data, std::size_t size);
    bool begin_response();
    bool accept_partial_response();
    bool accept_full_response();
    // Records the part's source and validator, so a later attempt may resume it.
    bool record_part(std::optional<std::uint64_t> length);
    [[nodiscard]] SniffVerdict sniff_head() const;
    bool sniff_and_write_head();

    // Split (file_job_split.cpp).
    bool restore_split(const PartMeta& meta);
    void add_segment(const SegmentProgress& range);
    // Where the bytes on disk from position stop being contiguous.
    [[nodiscard]] std::uint64_t contiguous_end(std::uint64_t position) const;
    void hash_prefix_from(std::uint64_t position);
    void start_prefix_hashing();
    void retire_segments();
    void stop_split();

    // Verdict (file_job_verdict.cpp).
    AttemptVerdict judge_abort();
    AttemptVerdict judge_curl_failure(CURLcode code, const std::string& where);
    AttemptVerdict judge_range_not_satisfiable(const std::string& where);
    AttemptVerdict judge_http_failure(long status, const std::string& where);
    AttemptVerdict hand_over_to_segments();
    // Empties the part and drops its record: the next attempt starts at byte zero.
    void forget_part();
    AttemptVerdict fail(Error error, bool try_next_url);
    AttemptVerdict retry(Error error);
    // On a mirror (any URL but the last), every failure moves on to the next source.
    bool switch_source(const Error& error);
    // A short or overlong body (worth a retry), or nullopt.
    // A zip that arrived in place of the file is judged by the announced size only.
    [[nodiscard]] std::optional<Error> received_size_error(std::uint64_t size, const std::string& where,
                                                           bool zipped = false) const;
    // The received bytes against the MD5 of the answer's X-Goog-Hash (TransferRequest::served_md5), or nullopt.
    [[nodiscard]] std::optional<Error> served_md5_error(const std::map<DigestAlgorithm, std::string>& digests,
                                                        const std::string& where) const;
    // A size or digest that contradicts the catalog, or nullopt.
    [[nodiscard]] std::optional<Error> integrity_error(std::uint64_t size,
                                                       const std::map<DigestAlgorithm, std::string>& digests,
                                                       const std::string& where) const;
    AttemptVerdict verify_and_install(std::uint64_t size, const std::map<DigestAlgorithm, std::string>& digests);

    // Redirects followed by the job itself (file_job_redirect.cpp): TransferRequest::own_redirects.
    AttemptVerdict follow_redirect(const std::string& where);
    // True when this attempt's redirects are the job's to follow: own_redirects, and the chain starts at
    // the origin (a mirror's redirects are libcurl's, and never carry the origin's credentials).
    [[nodiscard]] bool follows_own_redirects() const {
        return m_request.own_redirects && sends_origin_credentials(m_request, current_url());
    }
    // The next attempt asks the origin again: a signed URL met on the way may have expired.
    void restart_at_origin();
    // The first redirect to another host: its X-Linked-Size and X-Repo-Commit, or an error when the
    // size contradicts the listed one.
    std::optional<Error> read_linked_headers(const std::string& target);

    // Zipped in place (file_job_zipped.cpp): TransferRequest::zipped_member.
    // True when the head (or, on a resumed part, its first bytes) is a zip the request allows.
    [[nodiscard]] bool zip_in_place() const;
    // True when the complete part of size bytes is such a zip rather than the file itself: it is not
    // the listed size; with no size listed, the name promises another kind, or the download ended at
    // "<file>.zip" (kagglehub's test).
    [[nodiscard]] bool arrived_zipped(std::uint64_t size) const;
    // Unpacks the zip that arrived instead of the file, checks the member, installs only the member.
    AttemptVerdict install_zipped_member(const std::string& where);
    [[nodiscard]] std::string current_url() const { return m_request.urls.at(m_url_index); }
    // Where Range requests go: some origins (Zenodo) honour Range only on another URL form.
    [[nodiscard]] std::string ranged_url() const {
        bool origin = m_url_index + 1 == m_request.urls.size();
        return origin && !m_request.resume_url.empty() ? m_request.resume_url : current_url();
    }
    [[nodiscard]] std::vector<DigestAlgorithm> algorithms() const;

    const TransferRequest& m_request;
    const DownloadOptions& m_options;
    TransferOutcome m_outcome;
    std::size_t m_url_index = 0;
    bool m_switched_source = false;
    bool m_reresolved = false; // a 403 after a redirect (an expired signed URL) was retried once

    // Redirects this job follows itself (own_redirects); all forgotten by restart_at_origin().
    std::string m_hop_url;         // where the next attempt goes ("" = the origin)
    bool m_hop_cross_host = false; // m_hop_url is another host's: it gets no credential
    int m_hops = 0;
    std::optional<std::uint64_t> m_linked_size; // X-Linked-Size of the first redirect to another host
    std::string m_attempt_url;                  // what the running attempt asked for
    // The URL whose 2xx the main stream accepted at the end of its own chain (the signed CDN URL):
    // segments go there directly. Kept across restart_at_origin (running segments keep using it);
    // dropped with the segments by stop_split, so restored ones wait for a fresh resolve.
    std::optional<SegmentTarget> m_resolved_target;

    CurlEasy m_easy;
    CurlSlist m_headers;
    std::string m_error_buffer;
    std::optional<PartFile> m_part;
    std::optional<PartFile> m_verified_part; // between verify_and_install and take_verified_part
    std::unique_ptr<HashingWriter> m_writer;

    // Per attempt.
    std::uint64_t m_resume_from = 0;
    std::string m_validator;
    ResponseHeaders m_response;
    bool m_response_started = false;
    std::optional<std::uint64_t> m_total;
    std::string m_head; // first bytes of the body, held back until sniffed
    bool m_sniffed = false;
    std::optional<Error> m_abort_error; // set by a callback that stopped the transfer
    // A body of another size than the catalog's, judged once its first bytes are sniffed: a login
    // page is an access problem, not a size mismatch.
    std::optional<Error> m_size_mismatch;
    bool m_abort_try_next_url = false;
    bool m_abort_transient = false;
    std::optional<std::chrono::seconds> m_retry_after;
    std::optional<Error> m_last_error;
    std::chrono::steady_clock::time_point m_body_started{};

    // Split state. The main stream covers [0, m_limit); segments cover [m_limit, total).
    std::optional<std::uint64_t> m_limit;
    std::uint64_t m_main_done = 0; // end of the main stream's bytes on disk
    bool m_reached_limit = false;
    bool m_main_finished = false;
    std::vector<std::unique_ptr<SegmentTask>> m_segments;
    std::vector<SegmentTask*> m_new_segments;
    std::vector<std::unique_ptr<SegmentTask>> m_retired;
    std::vector<Hasher> m_prefix_hashers;
    std::thread m_prefix_thread;
    std::atomic<bool> m_prefix_done{false};
    std::atomic<bool> m_prefix_abort{false};
    std::optional<Error> m_prefix_error;
};

} // namespace cxrcat::net
