// SPDX-License-Identifier: Apache-2.0
// A whole file into one S3 key: one PUT below the threshold, else a multipart upload whose parts are
// read while up to three are in flight, continuing an unfinished upload of the key that a killed run left.
#include "net/s3_file_upload.hpp"

#include "cxrcat/base/digest.hpp"
#include "cxrcat/base/text.hpp"
#include "net/s3_listing.hpp"

#include <algorithm>
#include <deque>
#include <fstream>
#include <future>

namespace cxrcat::net {

namespace {

constexpr std::uint64_t k_max_parts = 10'000;
// Parts of one exported file in flight at once (each holds one part of memory), as for --to s3://.
constexpr std::size_t k_export_parts_in_flight = 3;

std::string part_md5_hex(std::string_view body) {
    Hasher hasher(DigestAlgorithm::md5);
    hasher.update(body);
    return hasher.finish_hex();
}

// Reads exactly `size` bytes at `offset` of the file.
Result<std::string> read_region(const std::filesystem::path& path, std::uint64_t offset, std::uint64_t size) {
    std::ifstream stream(path, std::ios::binary);
    std::string buffer(size, '\0');
    if (stream) {
        stream.seekg(static_cast<std::streamoff>(offset));
        stream.read(buffer.data(), static_cast<std::streamsize>(size));
    }
    if (!stream || static_cast<std::uint64_t>(stream.gcount()) != size) {
        return Error(ErrorCode::local_io, "cannot read " + path.string() + " (" + std::to_string(size) +
                                              " bytes at offset " + std::to_string(offset) + ")");
    }
    return buffer;
}

Result<S3UploadReport> upload_multipart(const S3Client& client, const std::string& bucket, const std::string& key,
                                        const std::filesystem::path& path, std::uint64_t size,
                                        std::uint64_t part_size) {
    S3UploadReport report;
    // An upload of this key that an earlier export left (killed before it completed or aborted):
    // continued, its parts kept where their MD5 is that of the file's bytes at their place.
    std::vector<S3Part> existing;
    std::string upload_id = client.find_pending_upload(bucket, key);
    if (!upload_id.empty()) {
        auto parts = client.list_parts(bucket, key, upload_id);
        if (parts) {
            existing = std::move(*parts);
        } else {
            upload_id.clear();
        }
    }
    if (upload_id.empty()) {
        auto created = client.create_upload(bucket, key);
        if (!created) {
            return created.error();
        }
        upload_id = *created;
    }
    std::vector<S3Part> done;
    // Up to k_export_parts_in_flight parts are sent at once while the next one is read.
    std::deque<std::future<Result<S3Part>>> sending;
    std::optional<Error> failed;
    auto collect = [&](std::size_t keep) {
        while (sending.size() > keep) {
            auto part = sending.front().get();
            sending.pop_front();
            if (!part && !failed) {
                failed = part.error();
            } else if (part) {
                done.push_back(*part);
            }
        }
    };
    int number = 0;
    for (std::uint64_t offset = 0; offset < size && !failed; offset += part_size) {
        ++number;
        auto body = read_region(path, offset, std::min(part_size, size - offset));
        if (!body) {
            failed = body.error();
            break;
        }
        auto kept = std::find_if(existing.begin(), existing.end(), [&](const S3Part& part) {
            return part.number == number && part.size == body->size() &&
                   to_lower(md5_from_etag(part.etag)) == part_md5_hex(*body);
        });
        if (kept != existing.end()) {
            done.push_back(*kept);
            ++report.resumed_parts;
            continue;
        }
        collect(k_export_parts_in_flight - 1);
        sending.push_back(std::async(
            std::launch::async, [&client, &bucket, &key, &upload_id, number, part = std::move(*body)]() mutable {
                std::uint64_t part_bytes = part.size();
                auto etag = client.upload_part(bucket, key, upload_id, number, std::move(part));
                return etag ? Result<S3Part>(S3Part{number, *etag, part_bytes}) : Result<S3Part>(etag.error());
            }));
    }
    collect(0);
    if (failed) {
        client.abort_upload(bucket, key, upload_id);
        return *failed;
    }
    // CompleteMultipartUpload lists the parts in ascending order.
    std::sort(done.begin(), done.end(), [](const S3Part& a, const S3Part& b) { return a.number < b.number; });
    report.parts = static_cast<int>(done.size());
    if (auto completed = client.complete_upload(bucket, key, upload_id, done); !completed) {
        client.abort_upload(bucket, key, upload_id);
        return completed.error();
    }
    return report;
}

} // namespace

Result<S3UploadReport> upload_file(const S3Client& client, const std::string& bucket, const std::string& key,
                                   const std::filesystem::path& path, const S3UploadOptions& options) {
    std::error_code ec;
    std::uint64_t size = std::filesystem::file_size(path, ec);
    if (ec) {
        return Error(ErrorCode::local_io, "cannot read " + path.string() + ": " + ec.message());
    }
    if (size < options.multipart_threshold) {
        auto body = read_region(path, 0, size);
        if (!body) {
            return body.error();
        }
        if (auto put = client.put_bytes(bucket, key, *body, "application/octet-stream"); !put) {
            return put.error();
        }
        return S3UploadReport{};
    }
    std::uint64_t part_size = std::max(options.part_size, (size + k_max_parts - 1) / k_max_parts);
    return upload_multipart(client, bucket, key, path, size, part_size);
}

} // namespace cxrcat::net
