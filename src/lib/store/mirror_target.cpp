// SPDX-License-Identifier: Apache-2.0
#include "store/mirror_target.hpp"

#include "cxrcat/files/atomic_file.hpp"
#include "net/s3_client.hpp"
#include "net/s3_file_upload.hpp"

#include <fstream>
#include <sstream>

namespace cxrcat {

namespace {

class DirectoryTarget final : public MirrorTarget {
  public:
    explicit DirectoryTarget(std::filesystem::path directory) : m_directory(std::move(directory)) {}

    Result<void> open() override { return {}; }

    // Hard link when on the same filesystem, else copy; an existing object is kept (same content).
    Result<bool> place(const std::filesystem::path& from, const std::string& key, std::uint64_t /*size*/) override {
        std::filesystem::path to = m_directory / key;
        std::error_code ec;
        if (std::filesystem::exists(to, ec)) {
            return false;
        }
        std::filesystem::create_directories(to.parent_path(), ec);
        std::filesystem::path staging = to;
        staging += ".part";
        std::filesystem::remove(staging, ec);
        ec.clear();
        std::filesystem::create_hard_link(from, staging, ec);
        if (ec) {
            ec.clear();
            std::filesystem::copy_file(from, staging, std::filesystem::copy_options::overwrite_existing, ec);
        }
        if (!ec) {
            std::filesystem::rename(staging, to, ec);
        }
        if (ec) {
            std::filesystem::remove(staging, ec);
            return Error(ErrorCode::local_io, "cannot write " + to.string() + ": " + ec.message());
        }
        return true;
    }

    Result<bool> alias(const std::string& existing, const std::string& key, const std::filesystem::path& /*from*/,
                       std::uint64_t size) override {
        return place(m_directory / existing, key, size);
    }

    Result<std::optional<std::string>> read_text(const std::string& name) override {
        std::ifstream stream(m_directory / name);
        if (!stream) {
            return std::optional<std::string>{};
        }
        std::stringstream content;
        content << stream.rdbuf();
        return std::optional<std::string>(content.str());
    }

    Result<void> write_text(const std::string& name, const std::string& text) override {
        return write_file_atomically(m_directory / name, text);
    }

  private:
    std::filesystem::path m_directory;
};

class BucketTarget final : public MirrorTarget {
  public:
    BucketTarget(S3Location location, S3Settings settings, std::optional<std::filesystem::path> ca_bundle)
        : m_location(std::move(location)), m_client(std::move(settings), std::move(ca_bundle)) {}

    Result<void> open() override { return m_client.check_bucket(m_location); }

    // Skips an object already there with the right size (content-addressed: same key, same bytes).
    Result<bool> place(const std::filesystem::path& from, const std::string& key, std::uint64_t size) override {
        std::string object = m_location.key(key);
        if (auto placed = already_placed(object, size)) {
            return *placed;
        }
        if (auto uploaded = net::upload_file(m_client, m_location.bucket, object, from); !uploaded) {
            return uploaded.error();
        }
        return true;
    }

    // A server-side copy: the bytes cross the network once.
    Result<bool> alias(const std::string& existing, const std::string& key, const std::filesystem::path& from,
                       std::uint64_t size) override {
        constexpr std::uint64_t k_copy_limit = 5ULL << 30; // CopyObject's limit; above it, upload again
        std::string object = m_location.key(key);
        if (auto placed = already_placed(object, size)) {
            return *placed;
        }
        if (size > k_copy_limit) {
            return place(from, key, size);
        }
        if (auto copied = m_client.copy_object(m_location.bucket, m_location.key(existing), object); !copied) {
            return copied.error();
        }
        return true;
    }

    Result<std::optional<std::string>> read_text(const std::string& name) override {
        return m_client.get_text(m_location.bucket, m_location.key(name));
    }

    Result<void> write_text(const std::string& name, const std::string& text) override {
        std::string type = name.size() > 5 && name.substr(name.size() - 5) == ".json" ? "application/json"
                                                                                      : "text/plain; charset=utf-8";
        return m_client.put_bytes(m_location.bucket, m_location.key(name), text, type);
    }

  private:
    // What place and alias return without writing: false when the bucket already has object with this
    // size (content-addressed: same key, same bytes), the error when asking failed; else nullopt.
    std::optional<Result<bool>> already_placed(const std::string& object, std::uint64_t size) {
        auto existing = m_client.object_size(m_location.bucket, object);
        if (!existing) {
            return Result<bool>(existing.error());
        }
        if (*existing && **existing == size) {
            return Result<bool>(false);
        }
        return std::nullopt;
    }

    S3Location m_location;
    net::S3Client m_client;
};

} // namespace

std::unique_ptr<MirrorTarget> make_directory_target(std::filesystem::path directory) {
    return std::make_unique<DirectoryTarget>(std::move(directory));
}

std::unique_ptr<MirrorTarget> make_s3_target(S3Location location, S3Settings settings,
                                             std::optional<std::filesystem::path> ca_bundle) {
    return std::make_unique<BucketTarget>(std::move(location), std::move(settings), std::move(ca_bundle));
}

} // namespace cxrcat
