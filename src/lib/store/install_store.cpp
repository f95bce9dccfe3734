// SPDX-License-Identifier: Apache-2.0
// The local directory store: each dataset in its own directory under CXRCAT_HOME, with the
// dataset lock, the install permissions (umask, private datasets, --group), the state files and
// the provenance bundle inside it. The bucket store is in bucket_store.cpp.
#include "cxrcat/store/install_store.hpp"

#include "cxrcat/base/text.hpp"
#include "cxrcat/files/atomic_file.hpp"
#include "cxrcat/files/install_mode.hpp"
#include "cxrcat/net/s3_settings.hpp"
#include "cxrcat/plan/fetch_options.hpp"
#include "cxrcat/state/dataset_lock.hpp"
#include "plan/plan_selection.hpp"
#include "verify/file_hash.hpp"

namespace cxrcat {

// Defined in bucket_store.cpp.
Result<std::unique_ptr<InstallStore>> make_bucket_store(const S3Location& location, const FetchOptions& options,
                                                        const Paths& paths);

namespace {

class DirectorySession final : public StoreSession {
  public:
    DirectorySession(std::filesystem::path destination, InstallScope scope, DatasetLock lock)
        : m_destination(std::move(destination)), m_scope(std::move(scope)), m_lock(std::move(lock)),
          m_state(DatasetState::load(m_destination)) {}

    DatasetState& state() override { return m_state; }

    [[nodiscard]] Result<void> check_room(const FetchPlan& plan) const override {
        if (plan.free_bytes && plan.bytes_needed > *plan.free_bytes) {
            return Error(ErrorCode::local_io,
                         "not enough free space in " + m_destination.string() + ": need " +
                             human_size(plan.bytes_needed) + " (" + group_thousands(plan.bytes_needed) + " bytes), " +
                             human_size(*plan.free_bytes) + " free",
                         {"free some space, choose files with --include, or set CXRCAT_HOME to a larger disk"});
        }
        return check_free_inodes(plan);
    }

    bool adopt_existing(const PlannedFile& planned, const std::string& now) override {
        std::filesystem::path target = m_destination / planned.path;
        if (planned.digests.empty() || !std::filesystem::is_regular_file(target)) {
            return false;
        }
        std::vector<DigestAlgorithm> algorithms{DigestAlgorithm::sha256};
        for (const auto& [algorithm, hex] : planned.digests) {
            if (algorithm != DigestAlgorithm::sha256) {
                algorithms.push_back(algorithm);
            }
        }
        auto hashed = hash_file(target, algorithms);
        if (!hashed || (planned.size && hashed->size != *planned.size)) {
            return false;
        }
        for (const auto& [algorithm, hex] : planned.digests) {
            if (hashed->digests[algorithm] != hex) {
                return false;
            }
        }
        return static_cast<bool>(m_state.record_file(planned.path, hashed->digests, "", now));
    }

    std::vector<TransferOutcome> transfer(std::vector<TransferRequest>& requests, const DownloadOptions& options,
                                          ProgressSink* progress) override {
        return download_all(requests, options, progress);
    }

    Result<void> record(const std::string& path, const std::map<DigestAlgorithm, std::string>& digests,
                        const std::string& now) override {
        return m_state.record_file(path, digests, "", now);
    }

    Result<void> save_state(const std::string& shard_tag) override {
        return shard_tag.empty() ? m_state.save() : m_state.save_journal(shard_tag);
    }

    Result<void> write_files(const std::vector<std::pair<std::string, std::string>>& files) override {
        for (const auto& [name, content] : files) {
            if (auto written = write_file_atomically(m_destination / name, content); !written) {
                return written;
            }
        }
        return {};
    }

  private:
    std::filesystem::path m_destination;
    InstallScope m_scope;
    DatasetLock m_lock;
    DatasetState m_state;
};

class DirectoryStore final : public InstallStore {
  public:
    explicit DirectoryStore(Paths paths) : m_paths(std::move(paths)) {}

    [[nodiscard]] std::filesystem::path destination(const std::string& dataset_id) const override {
        return m_paths.dataset_dir(dataset_id);
    }

    [[nodiscard]] DatasetState load_state(const std::string& dataset_id) const override {
        return DatasetState::load(destination(dataset_id));
    }

    void adapt_plan(FetchPlan& /*plan*/) const override {}

    Result<std::unique_ptr<StoreSession>> open(const Dataset& dataset, const FetchOptions& options) override {
        std::filesystem::path dir = destination(dataset.id);
        // Before the lock file is created: it, like everything below, gets the dataset's permissions.
        auto scope = InstallScope::enter(dataset, dir, options.group);
        if (!scope) {
            return scope.error();
        }
        auto lock = lock_for_fetch(dir, options);
        if (!lock) {
            return lock.error();
        }
        return std::unique_ptr<StoreSession>(
            std::make_unique<DirectorySession>(dir, std::move(*scope), std::move(*lock)));
    }

  private:
    Paths m_paths;
};

} // namespace

std::unique_ptr<InstallStore> make_directory_store(const Paths& paths) {
    return std::make_unique<DirectoryStore>(paths);
}

Result<DatasetLock> InstallStore::lock_for_fetch(const std::filesystem::path& dir, const FetchOptions& options) {
    const ShardSpec& shard = options.selection.shard;
    return DatasetLock::acquire(dir, options.holder_description, options.on_lock_wait,
                                shard.active() ? shard.tag() : "");
}

Result<std::unique_ptr<InstallStore>> make_install_store(const Paths& paths, const FetchOptions& options) {
    if (options.to.empty()) {
        return make_directory_store(paths);
    }
    if (!has_url_scheme(options.to) || !is_s3_url(options.to)) {
        return Error(ErrorCode::usage, "--to takes an s3://bucket/prefix URL, not '" + options.to + "'",
                     {"supported: --to s3://BUCKET[/PREFIX] (an S3-compatible store: AWS_ENDPOINT_URL for MinIO or "
                      "Ceph); without --to, datasets are installed under CXRCAT_HOME"});
    }
    if (options.decode) {
        // The bucket transfer keeps no local copy to check (net/bucket_upload.hpp), and buffering
        // whole images to check them would give up the bounded memory it streams in.
        return Error(ErrorCode::usage,
                     "--decode cannot be used with --to: files sent to a bucket stream from "
                     "their source into it and never touch the local disk, so there is no "
                     "copy to check before the upload",
                     {"fetch the dataset into a local home (without --to) and check it with 'cxrcat verify ID "
                      "--decode', or fetch it locally with --decode; then upload it with 'cxrcat mirror export'"});
    }
    auto location = parse_s3_url(options.to);
    if (!location) {
        return location.error();
    }
    return make_bucket_store(*location, options, paths);
}

} // namespace cxrcat
