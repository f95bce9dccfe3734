// SPDX-License-Identifier: Apache-2.0
// FileJob's split: a slow single stream hands the rest of the file to segments on more
// connections; the digest then follows the file's contiguous prefix on disk in a helper thread.
#include "net/file_job.hpp"

#include <algorithm>
#include <cerrno>
#include <unistd.h>

namespace cxrcat::net {

namespace {

// A stream slower than this after the warm-up is worth splitting (servers such as Box and Zenodo
// throttle each connection); a faster one is left alone, since splitting costs a read-back.
constexpr double k_split_below_bytes_per_second = 64.0 * 1024 * 1024;
constexpr auto k_split_warm_up = std::chrono::seconds(1);

bool split_record_is_consistent(const PartMeta& meta) {
    const auto& segments = meta.segments;
    if (!meta.total || segments.size() < 2 || segments.front().start != 0 || segments.back().end != *meta.total) {
        return false;
    }
    for (std::size_t i = 0; i < segments.size(); ++i) {
        bool contiguous = i == 0 || segments[i].start == segments[i - 1].end;
        if (!contiguous || segments[i].done < segments[i].start || segments[i].done > segments[i].end ||
            segments[i].start >= segments[i].end) {
            return false;
        }
    }
    return true;
}

} // namespace

void FileJob::add_segment(const SegmentProgress& range) {
    m_segments.push_back(
        std::make_unique<SegmentTask>(m_request, m_options, m_part->fd(), m_part->part_path(), m_validator, range));
    if (!m_segments.back()->complete()) {
        m_new_segments.push_back(m_segments.back().get());
    }
}

bool FileJob::restore_split(const PartMeta& meta) {
    if (!split_record_is_consistent(meta)) {
        return false;
    }
    const auto& segments = meta.segments;
    m_total = meta.total;
    m_limit = segments.front().end;
    // The main stream always makes one request, so that its digest is rebuilt from disk and its
    // response re-checks the validator; when its bytes are all there, it fetches its last byte again.
    m_main_done = std::min(segments.front().done, *m_limit - 1);
    for (std::size_t i = 1; i < segments.size(); ++i) {
        add_segment(segments[i]);
    }
    m_outcome.resumed = true;
    m_outcome.segments = static_cast<int>(segments.size());
    return true;
}

bool FileJob::should_split(std::chrono::steady_clock::time_point now) const {
    if (m_limit || !m_writer || m_options.max_segments < 2 || !m_total || m_validator.empty() ||
        m_response.status() != 200 || m_response.get("accept-ranges") != "bytes") {
        return false;
    }
    std::uint64_t position = m_writer->end_offset();
    if (*m_total <= position || *m_total - position < m_options.segment_threshold) {
        return false;
    }
    auto elapsed = now - m_body_started;
    if (elapsed < k_split_warm_up) {
        return false;
    }
    double rate = static_cast<double>(m_outcome.bytes_received) / std::chrono::duration<double>(elapsed).count();
    return rate < k_split_below_bytes_per_second;
}

void FileJob::split() {
    std::uint64_t position = m_writer->end_offset();
    std::uint64_t remaining = *m_total - position;
    auto count = static_cast<std::uint64_t>(m_options.max_segments);
    std::uint64_t share = remaining / count;
    m_limit = position + share;
    std::uint64_t start = *m_limit;
    for (std::uint64_t k = 1; k < count; ++k) {
        std::uint64_t end = k + 1 == count ? *m_total : start + share;
        add_segment(SegmentProgress{start, end, start});
        start = end;
    }
    m_outcome.segments = static_cast<int>(count);
    save_split_progress();
}

std::optional<FileJob::SegmentTarget> FileJob::segment_target() const {
    if (!follows_own_redirects()) {
        return SegmentTarget{ranged_url(), {}}; // libcurl follows any redirect, as for the main stream
    }
    return m_resolved_target;
}

std::vector<SegmentTask*> FileJob::take_new_segments() {
    auto target = segment_target();
    if (!target) {
        return {};
    }
    for (SegmentTask* segment : m_new_segments) {
        segment->aim(target->url, target->hop);
    }
    return std::exchange(m_new_segments, {});
}

void FileJob::save_split_progress() const {
    if (!m_limit || !m_part) {
        return;
    }
    PartMeta meta{sha256_hex(current_url()),
                  m_validator.rfind('"', 0) == 0 ? m_validator : "",
                  m_validator.rfind('"', 0) == 0 ? "" : m_validator,
                  m_total,
                  {}};
    std::uint64_t main_done = m_writer ? m_writer->end_offset() : m_main_done;
    meta.segments.push_back({0, *m_limit, std::min(main_done, *m_limit)});
    for (const auto& segment : m_segments) {
        meta.segments.push_back({segment->start(), segment->end(), segment->flushed()});
    }
    (void)meta.write(m_part->meta_path()); // best effort: a stale record only costs a re-download
}

std::uint64_t FileJob::contiguous_end(std::uint64_t position) const {
    for (const auto& candidate : m_segments) {
        if (candidate->start() <= position && position < candidate->end()) {
            return candidate->flushed();
        }
    }
    return position;
}

void FileJob::hash_prefix_from(std::uint64_t position) {
    constexpr std::size_t k_chunk = 1U << 20;
    std::vector<char> buffer(k_chunk);
    std::uint64_t total = *m_total;
    while (position < total && !m_prefix_abort) {
        std::uint64_t available = contiguous_end(position);
        if (available <= position) {
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
            continue;
        }
        auto want = static_cast<std::size_t>(std::min<std::uint64_t>(available - position, k_chunk));
        ssize_t got = ::pread(m_part->fd(), buffer.data(), want, static_cast<off_t>(position));
        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got <= 0) {
            m_prefix_error = file_error("cannot read back", m_part->part_path(), got < 0 ? errno : EIO);
            break;
        }
        for (auto& hasher : m_prefix_hashers) {
            hasher.update(std::as_bytes(std::span(buffer.data(), static_cast<std::size_t>(got))));
        }
        position += static_cast<std::uint64_t>(got);
    }
    m_prefix_done = true;
}

void FileJob::start_prefix_hashing() {
    // The digest continues in file order past the main stream, reading each segment's bytes back
    // as soon as they are on disk (from the page cache, while the download goes on).
    m_prefix_thread = std::thread([this, from = *m_limit] { hash_prefix_from(from); });
}

void FileJob::retire_segments() {
    for (auto& segment : m_segments) {
        m_outcome.bytes_received += segment->bytes_received();
        m_retired.push_back(std::move(segment));
    }
    m_segments.clear();
}

void FileJob::stop_split() {
    m_prefix_abort = true;
    if (m_prefix_thread.joinable()) {
        m_prefix_thread.join();
    }
    m_prefix_abort = false;
    m_prefix_done = false;
    m_prefix_error.reset();
    m_prefix_hashers.clear();
    retire_segments();
    m_new_segments.clear();
    m_limit.reset();
    m_main_done = 0;
    m_main_finished = false;
    m_resolved_target.reset();
    m_outcome.segments = 1;
}

AttemptVerdict FileJob::segment_failed(const SegmentTask& segment) {
    Error error =
        segment.last_error().value_or(Error(ErrorCode::network, m_request.display_path + ": a segment failed"));
    bool changed = segment.remote_changed();
    // A signed URL that expired under a segment (api-drift-2026.md §5.2 step 4, "re-resolve on
    // 403/expiry"): once, the next attempt resolves at the origin again and restores every segment
    // from the record saved here, so finished bytes are not asked for again.
    bool expired = segment.refused_signed_url() && !m_reresolved;
    if (m_writer) {
        (void)m_writer->close();
        m_main_done = m_writer->end_offset();
        m_writer.reset();
    }
    save_split_progress();
    stop_split();
    if (expired) {
        m_reresolved = true;
        error.note("the signed URL was refused; resolving the file again");
        return retry(std::move(error));
    }
    if (changed && m_part) {
        m_outcome.restarted = true;
        forget_part();
        return retry(std::move(error));
    }
    return fail(std::move(error), false);
}

std::optional<AttemptVerdict> FileJob::poll_split() {
    if (!m_main_finished || !m_prefix_done ||
        !std::all_of(m_segments.begin(), m_segments.end(), [](const auto& segment) { return segment->complete(); })) {
        return std::nullopt;
    }
    m_prefix_thread.join();
    if (m_prefix_error) {
        return fail(*m_prefix_error, false);
    }
    std::map<DigestAlgorithm, std::string> digests;
    for (auto& hasher : m_prefix_hashers) {
        digests[hasher.algorithm()] = hasher.finish_hex();
    }
    std::uint64_t size = *m_total;
    m_prefix_hashers.clear();
    retire_segments();
    return verify_and_install(size, digests);
}

} // namespace cxrcat::net
