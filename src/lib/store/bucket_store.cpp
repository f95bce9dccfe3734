// SPDX-License-Identifier: Apache-2.0
// The bucket store (`fetch`/`sync --to s3://bucket/prefix`): a dataset's files are objects under
// `<prefix>/<id>/<path>`, its state is `<prefix>/<id>/.cxrcat/state.json` (the same document as on
// disk; a file counts as installed while its object has the recorded size), the upload ids of
// unfinished multipart uploads are `<prefix>/<id>/.cxrcat/uploads/<sha256 of the path>.json`, and the
// provenance bundle (CITATION.bib, CITATION.cff, TERMS.txt, SOURCE.json) sits beside the data. No
// byte of the data touches the local disk. Archives are stored as they were verified, never
// extracted. Shards (`--shard K/N`, on one machine or many) each write only their own journal,
// `<prefix>/<id>/.cxrcat/journal/shard-K-of-N.json`, merged on read like a directory's, so shards
// running at once lose no update; an unsharded run folds the journals into state.json. Processes of
// one machine take turns per shard through local lock files; S3 itself has no lock, so two
// unsharded runs on two machines must not fetch the same dataset into one prefix at the same time.
#include "cxrcat/state/dataset_lock.hpp"
#include "cxrcat/base/digest.hpp"
#include "cxrcat/plan/fetch_options.hpp"
#include "cxrcat/store/install_store.hpp"
#include "cxrcat/net/s3_settings.hpp"
#include "cxrcat/access/terms_ledger.hpp"
#include "cxrcat/base/text.hpp"
#include "net/bucket_upload.hpp"
#include "net/s3_client.hpp"

#include <nlohmann/json.hpp>

#include <mutex>

namespace cxrcat {

Result<std::unique_ptr<InstallStore>> make_bucket_store(const S3Location& location, const FetchOptions& options,
                                                        const Paths& paths);

namespace {

// One dataset's objects: its keys, and the sizes of the objects under it (a state's stamps).
struct BucketDataset {
    std::shared_ptr<const net::S3Client> client;
    S3Location location;
    std::string id;
    std::shared_ptr<std::map<std::string, std::uint64_t>> sizes =
        std::make_shared<std::map<std::string, std::uint64_t>>();

    [[nodiscard]] std::string key(const std::string& relative) const { return location.key(id + "/" + relative); }
    [[nodiscard]] std::string state_key() const { return key(".cxrcat/state.json"); }
    [[nodiscard]] std::string journal_prefix() const { return key(".cxrcat/journal/"); }
    [[nodiscard]] std::string journal_key(const std::string& shard_tag) const {
        return journal_prefix() + shard_tag + ".json";
    }
    [[nodiscard]] std::string upload_record_key(const std::string& object_key) const {
        return key(".cxrcat/uploads/" + sha256_hex(object_key) + ".json");
    }
};

// A dataset's state as its objects hold it: state.json and the shard journals (key and text, in
// key order, as read).
struct BucketStateObjects {
    DatasetState state;
    std::vector<std::pair<std::string, std::string>> journals;
};

// The shard journals among the listed keys, read in key order.
Result<std::vector<std::pair<std::string, std::string>>> bucket_read_journals(const BucketDataset& dataset) {
    std::vector<std::pair<std::string, std::string>> journals;
    const std::string prefix = dataset.journal_prefix();
    for (auto it = dataset.sizes->lower_bound(prefix); it != dataset.sizes->end() && it->first.starts_with(prefix);
         ++it) {
        auto text = dataset.client->get_text(dataset.location.bucket, it->first);
        if (!text) {
            return text.error();
        }
        if (*text) { // gone since the listing: folded by another run
            journals.emplace_back(it->first, std::move(**text));
        }
    }
    return journals;
}

// Reads the state and its journals and lists the objects (their sizes are the stamps). A store that
// cannot be read gives an empty state with a warning: everything is fetched again, nothing is trusted.
BucketStateObjects bucket_load_state(const BucketDataset& dataset) {
    std::string where = "s3://" + dataset.location.bucket + "/" + dataset.state_key();
    auto text = dataset.client->get_text(dataset.location.bucket, dataset.state_key());
    auto listed = dataset.client->list_sizes(dataset.location.bucket, dataset.key(""));
    auto sizes = dataset.sizes;
    if (listed) {
        *sizes = std::move(*listed);
    }
    Result<std::vector<std::pair<std::string, std::string>>> journals =
        listed ? bucket_read_journals(dataset)
               : Result<std::vector<std::pair<std::string, std::string>>>(listed.error());
    std::vector<std::string> journal_texts;
    if (journals) {
        for (const auto& [key, journal] : *journals) {
            journal_texts.push_back(journal);
        }
    }
    BucketDataset copy = dataset;
    auto state = DatasetState::from_text(text && *text ? **text : "", journal_texts, where,
                                         [copy](const std::string& path) -> std::optional<FileStamp> {
                                             auto it = copy.sizes->find(copy.key(path));
                                             if (it == copy.sizes->end()) {
                                                 return std::nullopt;
                                             }
                                             return FileStamp{it->second, 0};
                                         });
    if (!text || !journals) {
        state.warnings.push_back("cannot read the state at " + where + ": " +
                                 (!text ? text.error().message() : journals.error().message()));
        return {std::move(state), {}};
    }
    return {std::move(state), std::move(*journals)};
}

class BucketSession final : public StoreSession {
  public:
    BucketSession(BucketDataset dataset, DatasetLock lock) : m_dataset(std::move(dataset)), m_lock(std::move(lock)) {
        auto loaded = bucket_load_state(m_dataset);
        m_state = std::move(loaded.state);
        m_journals = std::move(loaded.journals);
    }

    DatasetState& state() override { return m_state; }
    [[nodiscard]] Result<void> check_room(const FetchPlan& /*plan*/) const override { return {}; }
    // An object in place but not in the state (a run stopped before it saved its state): read back
    // from the store and hashed; recorded only when its size and every digest match the plan.
    bool adopt_existing(const PlannedFile& planned, const std::string& now) override {
        std::string key = m_dataset.key(planned.path);
        auto listed = m_dataset.sizes->find(key);
        if (planned.digests.empty() || listed == m_dataset.sizes->end() ||
            (planned.size && listed->second != *planned.size)) {
            return false;
        }
        std::vector<Hasher> hashers;
        std::uint64_t size = 0;
        auto restart = [&] {
            hashers.clear();
            hashers.emplace_back(DigestAlgorithm::sha256);
            for (const auto& [algorithm, hex] : planned.digests) {
                if (algorithm != DigestAlgorithm::sha256) {
                    hashers.emplace_back(algorithm);
                }
            }
            size = 0;
        };
        auto read = m_dataset.client->read_object(m_dataset.location.bucket, key, restart, [&](std::string_view data) {
            for (auto& hasher : hashers) {
                hasher.update(data);
            }
            size += data.size();
            return true;
        });
        if (!read || !*read || size != listed->second) {
            return false;
        }
        std::map<DigestAlgorithm, std::string> digests;
        for (auto& hasher : hashers) {
            digests[hasher.algorithm()] = hasher.finish_hex();
        }
        for (const auto& [algorithm, hex] : planned.digests) {
            if (digests[algorithm] != hex) {
                return false;
            }
        }
        return static_cast<bool>(m_state.record_file(planned.path, digests, "", now));
    }

    std::vector<TransferOutcome> transfer(std::vector<TransferRequest>& requests, const DownloadOptions& options,
                                          ProgressSink* progress) override {
        std::vector<std::string> keys;
        keys.reserve(requests.size());
        for (const auto& request : requests) {
            keys.push_back(m_dataset.key(request.display_path));
        }
        const net::S3Client& client = *m_dataset.client;
        const std::string& bucket = m_dataset.location.bucket;
        net::BucketUploadRecords records;
        records.find = [this, &client, &bucket](const std::string& key) -> std::optional<net::PendingUpload> {
            auto text = client.get_text(bucket, m_dataset.upload_record_key(key));
            if (!text || !*text) {
                return std::nullopt;
            }
            auto document = nlohmann::json::parse(**text, nullptr, false);
            if (!document.is_object() || document.value("key", "") != key) {
                return std::nullopt;
            }
            return net::PendingUpload{document.value("upload_id", ""), document.value("part_size", std::uint64_t{0})};
        };
        records.remember = [this, &client, &bucket](const std::string& key, const net::PendingUpload& upload) {
            nlohmann::json document = {{"key", key},
                                       {"upload_id", upload.upload_id},
                                       {"part_size", upload.part_size},
                                       {"started_at", utc_now_iso8601()}};
            // Best effort: without the record a rerun starts a new upload (and this one is aborted
            // when the file fails, or completed when it verifies).
            (void)client.put_bytes(bucket, m_dataset.upload_record_key(key), document.dump(1) + "\n",
                                   "application/json");
        };
        records.forget = [this, &client, &bucket](const std::string& key) {
            (void)client.delete_object(bucket, m_dataset.upload_record_key(key));
        };
        auto outcomes = net::upload_all_to_bucket(requests, keys, client, bucket, records, options, progress);
        for (std::size_t i = 0; i < outcomes.size(); ++i) {
            if (outcomes[i].status == TransferStatus::downloaded) {
                (*m_dataset.sizes)[keys[i]] = outcomes[i].size;
            }
        }
        return outcomes;
    }

    Result<void> record(const std::string& path, const std::map<DigestAlgorithm, std::string>& digests,
                        const std::string& now) override {
        return m_state.record_file(path, digests, "", now);
    }

    Result<void> save_state(const std::string& shard_tag) override {
        const net::S3Client& client = *m_dataset.client;
        const std::string& bucket = m_dataset.location.bucket;
        if (!shard_tag.empty()) {
            // Only this shard writes its journal (under its lock), so reading then writing it loses nothing.
            std::string key = m_dataset.journal_key(shard_tag);
            auto earlier = client.get_text(bucket, key);
            if (!earlier) {
                return earlier.error();
            }
            return client.put_bytes(bucket, key, m_state.journal_text(*earlier ? **earlier : ""), "application/json");
        }
        if (auto put = client.put_bytes(bucket, m_dataset.state_key(), m_state.to_text(), "application/json"); !put) {
            return put;
        }
        // Folded in. A journal that changed since it was read (a shard still running elsewhere) stays
        // and is merged on the next read.
        for (const auto& [key, text] : m_journals) {
            auto now = client.get_text(bucket, key);
            if (now && *now && **now == text) {
                (void)client.delete_object(bucket, key);
            }
        }
        return {};
    }

    Result<void> write_files(const std::vector<std::pair<std::string, std::string>>& files) override {
        for (const auto& [name, content] : files) {
            std::string type = name.size() > 5 && name.substr(name.size() - 5) == ".json" ? "application/json"
                                                                                          : "text/plain; charset=utf-8";
            if (auto put = m_dataset.client->put_bytes(m_dataset.location.bucket, m_dataset.key(name), content, type);
                !put) {
                return put;
            }
        }
        return {};
    }

  private:
    BucketDataset m_dataset;
    DatasetLock m_lock;
    DatasetState m_state;
    std::vector<std::pair<std::string, std::string>> m_journals; // as read when the session opened
};

class BucketStore final : public InstallStore {
  public:
    BucketStore(S3Location location, std::shared_ptr<const net::S3Client> client, std::filesystem::path lock_root)
        : m_location(std::move(location)), m_client(std::move(client)), m_lock_root(std::move(lock_root)) {}

    [[nodiscard]] std::filesystem::path destination(const std::string& dataset_id) const override {
        return "s3://" + m_location.bucket + "/" + m_location.key(dataset_id);
    }

    [[nodiscard]] DatasetState load_state(const std::string& dataset_id) const override {
        return bucket_load_state(dataset(dataset_id)).state;
    }

    void adapt_plan(FetchPlan& plan) const override {
        plan.destination = destination(plan.dataset_id);
        plan.free_bytes.reset();
        plan.free_inodes.reset();
        plan.inodes_needed = 0;
        plan.bytes_needed = plan.bytes_to_download;
        bool kept_archives = false;
        for (auto& file : plan.files) {
            if (file.verified) {
                continue;
            }
            if (file.local) {
                file.unavailable =
                    Error(ErrorCode::usage, file.path + ": --from cannot install into a bucket",
                          {"fetch it into a local home first, or upload it with 'cxrcat mirror export'"});
            } else if (!file.source.member_checksums.empty()) {
                file.unavailable = Error(ErrorCode::usage,
                                         file.path + ": a series zip is checked only by unpacking it, which --to " +
                                             "s3:// does not do",
                                         {"fetch the dataset into a local home, then 'cxrcat mirror export s3://...'"});
            } else if (file.extract || !file.split_archive.empty()) {
                kept_archives = true;
            }
            file.extract = false;
            file.split_archive.clear();
        }
        if (kept_archives) {
            plan.warnings.push_back("archives are uploaded to " + destination(plan.dataset_id).string() +
                                    " as they are (verified, not extracted): a bucket holds no extracted files");
        }
    }

    Result<std::unique_ptr<StoreSession>> open(const Dataset& dataset, const FetchOptions& options) override {
        if (auto checked = m_client->check_bucket(m_location); !checked) {
            return checked.error();
        }
        // Processes of this machine take turns on one bucket prefix, shard by shard (S3 has no lock
        // of its own).
        std::filesystem::path lock_dir = m_lock_root / sha256_hex(destination(dataset.id).string()).substr(0, 32);
        auto lock = lock_for_fetch(lock_dir, options);
        if (!lock) {
            return lock.error();
        }
        return std::unique_ptr<StoreSession>(
            std::make_unique<BucketSession>(this->dataset(dataset.id), std::move(*lock)));
    }

  private:
    [[nodiscard]] BucketDataset dataset(const std::string& id) const {
        BucketDataset out;
        out.client = m_client;
        out.location = m_location;
        out.id = id;
        return out;
    }

    S3Location m_location;
    std::shared_ptr<const net::S3Client> m_client;
    std::filesystem::path m_lock_root;
};

} // namespace

Result<std::unique_ptr<InstallStore>> make_bucket_store(const S3Location& location, const FetchOptions& options,
                                                        const Paths& paths) {
    if (options.from) {
        return Error(ErrorCode::usage, "--from cannot install into a bucket (--to s3://)",
                     {"fetch --from into a local home first, then 'cxrcat mirror export s3://...'"});
    }
    auto settings = s3_settings_from_environment();
    if (!settings) {
        return settings.error();
    }
    settings->request_payer = options.request_payer;
    auto client =
        std::make_shared<const net::S3Client>(std::move(*settings), options.download.ca_bundle, options.download.retry);
    return std::unique_ptr<InstallStore>(
        std::make_unique<BucketStore>(location, std::move(client), paths.data_home / "bucket-locks"));
}

} // namespace cxrcat
