// SPDX-License-Identifier: Apache-2.0
#include "files/part_file.hpp"

#include "cxrcat/files/atomic_file.hpp"

#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <system_error>
#include <unistd.h>

namespace cxrcat {

Error file_error(const std::string& what, const std::filesystem::path& path, int error_number) {
    Error error(ErrorCode::local_io, what + " " + path.string() + ": " + std::generic_category().message(error_number));
    if (error_number == ENOSPC || error_number == EDQUOT) {
        error.note("the disk is full; free some space and rerun: the download resumes where it stopped");
    } else if (error_number == EFBIG) {
        error.note("the file size limit (ulimit -f) or the filesystem's maximum file size was reached");
    } else if (error_number == EACCES || error_number == EPERM || error_number == EROFS) {
        error.note("check the permissions of the directory, or set CXRCAT_HOME to a writable place");
    }
    return error;
}

std::string PartMeta::validator() const {
    if (!etag.empty() && etag.rfind("W/", 0) != 0) {
        return etag; // weak ETags are not allowed in If-Range (RFC 9110 13.1.5)
    }
    return last_modified;
}

std::optional<PartMeta> PartMeta::read(const std::filesystem::path& path) {
    std::ifstream stream(path);
    if (!stream) {
        return std::nullopt;
    }
    std::stringstream content;
    content << stream.rdbuf();
    auto json = nlohmann::json::parse(content.str(), nullptr, false);
    if (json.is_discarded() || !json.is_object()) {
        return std::nullopt;
    }
    PartMeta meta;
    meta.url_sha256 = json.value("url_sha256", "");
    meta.etag = json.value("etag", "");
    meta.last_modified = json.value("last_modified", "");
    if (json.contains("total") && json["total"].is_number_unsigned()) {
        meta.total = json["total"].get<std::uint64_t>();
    }
    if (json.contains("segments") && json["segments"].is_array()) {
        for (const auto& segment : json["segments"]) {
            if (!segment.is_array() || segment.size() != 3 || !segment[0].is_number_unsigned() ||
                !segment[1].is_number_unsigned() || !segment[2].is_number_unsigned()) {
                return std::nullopt;
            }
            meta.segments.push_back(
                {segment[0].get<std::uint64_t>(), segment[1].get<std::uint64_t>(), segment[2].get<std::uint64_t>()});
        }
    }
    return meta;
}

Result<void> PartMeta::write(const std::filesystem::path& path) const {
    nlohmann::json json = {{"url_sha256", url_sha256}, {"etag", etag}, {"last_modified", last_modified}};
    if (total) {
        json["total"] = *total;
    }
    if (!segments.empty()) {
        json["segments"] = nlohmann::json::array();
        for (const auto& segment : segments) {
            json["segments"].push_back({segment.start, segment.end, segment.done});
        }
    }
    // Not fsynced: a record lost in a crash only costs a re-download (without one, nothing is
    // resumed), while an fsync here would stall every transfer at its first response.
    return replace_file_without_flush(path, json.dump() + "\n");
}

PartFile::PartFile(int fd, std::filesystem::path part, std::filesystem::path destination)
    : m_fd(fd), m_part(std::move(part)), m_destination(std::move(destination)) {}

Result<PartFile> PartFile::open(const std::filesystem::path& destination) {
    std::error_code ec;
    std::filesystem::create_directories(destination.parent_path(), ec);
    if (ec) {
        return file_error("cannot create directory", destination.parent_path(), ec.value());
    }
    std::filesystem::path part = destination;
    part += ".part";
    int fd = ::open(part.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
        return file_error("cannot open", part, errno);
    }
    return PartFile(fd, part, destination);
}

PartFile::PartFile(PartFile&& other) noexcept
    : m_fd(std::exchange(other.m_fd, -1)), m_part(std::move(other.m_part)),
      m_destination(std::move(other.m_destination)) {}

PartFile& PartFile::operator=(PartFile&& other) noexcept {
    if (this != &other) {
        close_fd();
        m_fd = std::exchange(other.m_fd, -1);
        m_part = std::move(other.m_part);
        m_destination = std::move(other.m_destination);
    }
    return *this;
}

PartFile::~PartFile() {
    close_fd();
}

void PartFile::close_fd() {
    if (m_fd >= 0) {
        ::close(m_fd);
        m_fd = -1;
    }
}

std::filesystem::path PartFile::meta_path() const {
    std::filesystem::path meta = m_part;
    meta += ".json";
    return meta;
}

std::uint64_t PartFile::size() const {
    struct stat info {};
    if (m_fd < 0 || ::fstat(m_fd, &info) != 0) {
        return 0;
    }
    return static_cast<std::uint64_t>(info.st_size);
}

Result<void> PartFile::truncate(std::uint64_t size) {
    if (::ftruncate(m_fd, static_cast<off_t>(size)) != 0) {
        return file_error("cannot truncate", m_part, errno);
    }
    return {};
}

Result<void> PartFile::preallocate(std::uint64_t size) {
    int result = ::posix_fallocate(m_fd, 0, static_cast<off_t>(size));
    if (result == EOPNOTSUPP || result == EINVAL) {
        return truncate(size); // filesystems without fallocate: a sparse file is fine
    }
    if (result != 0) {
        return file_error("cannot reserve space for", m_part, result);
    }
    return {};
}

Result<void> PartFile::rename_into_place() {
    if (::fsync(m_fd) != 0) {
        return file_error("cannot flush", m_part, errno);
    }
    if (::close(m_fd) != 0) {
        m_fd = -1;
        return file_error("cannot close", m_part, errno);
    }
    m_fd = -1;
    if (::rename(m_part.c_str(), m_destination.c_str()) != 0) {
        return file_error("cannot install", m_destination, errno);
    }
    return {};
}

void PartFile::remove_meta() const {
    std::error_code ignored;
    std::filesystem::remove(meta_path(), ignored);
}

Result<void> PartFile::commit() {
    if (auto renamed = rename_into_place(); !renamed) {
        return renamed;
    }
    // The rename is durable only once the directory entry is.
    if (auto synced = sync_directory(m_destination.parent_path()); !synced) {
        return synced;
    }
    remove_meta();
    return {};
}

Result<void> sync_directory(const std::filesystem::path& directory) {
    int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        return file_error("cannot open directory", directory, errno);
    }
    int result = ::fsync(fd);
    int error_number = errno;
    ::close(fd);
    if (result != 0 && error_number != EINVAL) {
        return file_error("cannot flush directory", directory, error_number);
    }
    return {};
}

void PartFile::discard() {
    close_fd();
    std::error_code ignored;
    std::filesystem::remove(m_part, ignored);
    std::filesystem::remove(meta_path(), ignored);
}

} // namespace cxrcat
