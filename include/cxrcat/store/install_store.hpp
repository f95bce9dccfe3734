// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "cxrcat/catalog/dataset.hpp"
#include "cxrcat/state/dataset_lock.hpp"
#include "cxrcat/state/dataset_state.hpp"
#include "cxrcat/net/download.hpp"
#include "cxrcat/base/paths.hpp"
#include "cxrcat/base/polymorphic_base.hpp"
#include "cxrcat/base/result.hpp"

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace cxrcat {

struct FetchOptions;
struct FetchPlan;
struct PlannedFile;

// One dataset's place in a store, held for the length of one fetch: the store's lock, the state
// loaded under it, and the way verified bytes get into place.
class StoreSession : public PolymorphicBase {
  public:
    // The dataset's recorded state, loaded under the lock; save_state() keeps the changes.
    [[nodiscard]] virtual DatasetState& state() = 0;
    // Refuses (local_io) a plan that will not fit where the dataset lands.
    [[nodiscard]] virtual Result<void> check_room(const FetchPlan& plan) const = 0;
    // A file found in place but not in the state (a run killed after installing it): recorded and
    // true when it matches the plan's size and digests; false when it must be fetched.
    [[nodiscard]] virtual bool adopt_existing(const PlannedFile& planned, const std::string& now) = 0;
    // Fetches every request (display_path is the dataset-relative path), verifies it against its
    // expected size and digests and puts only verified bytes in place. One outcome per request.
    [[nodiscard]] virtual std::vector<TransferOutcome>
    transfer(std::vector<TransferRequest>& requests, const DownloadOptions& options, ProgressSink* progress) = 0;
    // Records in the state a file transfer() put in place.
    [[nodiscard]] virtual Result<void>
    record(const std::string& path, const std::map<DigestAlgorithm, std::string>& digests, const std::string& now) = 0;
    // Saves the state: the whole of it, or (shard_tag non-empty) only this shard's journal.
    [[nodiscard]] virtual Result<void> save_state(const std::string& shard_tag) = 0;
    // Writes small files (the provenance bundle) beside the data, by name.
    [[nodiscard]] virtual Result<void> write_files(const std::vector<std::pair<std::string, std::string>>& files) = 0;
};

// Where fetch and sync install datasets: a local directory per dataset under CXRCAT_HOME (the
// default), or an S3 bucket prefix (`--to s3://bucket/prefix`: each dataset under
// `<prefix>/<id>/`, its state and provenance under `<prefix>/<id>/.cxrcat/` and beside the data).
class InstallStore : public PolymorphicBase {
  public:
    // Where the dataset lands: its directory, or "s3://bucket/prefix/<id>".
    [[nodiscard]] virtual std::filesystem::path destination(const std::string& dataset_id) const = 0;
    // The dataset's recorded state, read without the lock (plans, sync's up-to-date check).
    [[nodiscard]] virtual DatasetState load_state(const std::string& dataset_id) const = 0;
    // Fits a plan to what the store can do: a bucket keeps archives as they are (no extraction),
    // cannot take --from files or series zips (checked only by unpacking), and has no free-space limit.
    virtual void adapt_plan(FetchPlan& plan) const = 0;
    // Takes the dataset for one fetch (permissions, lock, state). Errors: local_io, usage (--group);
    // for a bucket, not_found (no such bucket) and access_denied (credentials, policy).
    [[nodiscard]] virtual Result<std::unique_ptr<StoreSession>> open(const Dataset& dataset,
                                                                     const FetchOptions& options) = 0;

  protected:
    // The lock open() takes in dir: with the options' holder description and lock-wait callback,
    // and the shard's own lock when the options select a shard. Errors: DatasetLock::acquire's.
    [[nodiscard]] static Result<DatasetLock> lock_for_fetch(const std::filesystem::path& dir,
                                                            const FetchOptions& options);
};

// The store options.to names: "" is the local directory under paths, "s3://bucket/prefix" a bucket
// (AWS settings from the environment, --request-payer). Errors: usage for any other scheme:// or a
// malformed s3:// URL; access_denied for half a key pair or an unknown AWS_PROFILE.
[[nodiscard]] Result<std::unique_ptr<InstallStore>> make_install_store(const Paths& paths, const FetchOptions& options);

// The local directory store (the default).
[[nodiscard]] std::unique_ptr<InstallStore> make_directory_store(const Paths& paths);

} // namespace cxrcat
