// SPDX-License-Identifier: Apache-2.0
// Fetches one dataset with the cxrcat library alone: load the catalog, plan, fetch with progress, verify.
//   fetch_dataset DATASET_ID [CATALOG.json]      (files go under $CXRCAT_HOME, as with the cxrcat CLI)
#include <cxrcat/catalog/catalog_loader.hpp>
#include <cxrcat/fetch/fetch.hpp>
#include <cxrcat/verify/verify.hpp>
#include <iostream>

// Progress arrives on the calling thread: one line per file started, retried and finished.
class PrintProgress final : public cxrcat::ProgressSink {
    void on_start(const std::string& path, std::optional<std::uint64_t> total) override {
        std::cout << "start  " << path << " (" << total.value_or(0) << " bytes)\n";
    }
    void on_progress(const std::string&, std::uint64_t, std::optional<std::uint64_t>) override {}
    void on_retry(const std::string& path, int attempt, std::chrono::milliseconds, const std::string& why) override {
        std::cout << "retry  " << path << " #" << attempt << ": " << why << '\n';
    }
    void on_finish(const cxrcat::TransferOutcome& done) override {
        auto sha256 = done.digests.find(cxrcat::DigestAlgorithm::sha256); // none when the transfer failed
        std::cout << "finish " << done.display_path << " sha256 "
                  << (sha256 == done.digests.end() ? "-" : sha256->second) << '\n';
    }
};

int main(int argc, char** argv) {
    if (argc < 2) {
        std::cerr << "usage: fetch_dataset DATASET_ID [CATALOG.json]\n";
        return 2;
    }
    cxrcat::CatalogSources sources; // the built-in catalog, plus a user file when given
    if (argc > 2) {
        sources.user_paths.emplace_back(argv[2]);
    }
    const cxrcat::LoadedCatalog loaded = cxrcat::load_catalog(sources);
    const cxrcat::Dataset* dataset = loaded.catalog.find(argv[1]);
    if (!loaded.ok() || dataset == nullptr) {
        std::cerr << "error: no valid dataset " << argv[1] << " in the catalog\n";
        return 3;
    }
    const auto paths = cxrcat::Paths::from_environment();
    const cxrcat::FetchOptions options; // every file, archives extracted, four transfers at a time
    auto plan = cxrcat::plan_fetch(*dataset, paths, options);
    PrintProgress progress;
    auto report = plan ? cxrcat::fetch_dataset(*dataset, paths, options, &progress)
                       : cxrcat::Result<cxrcat::FetchReport>(plan.error());
    if (!report) {
        std::cerr << "error: " << report.error().message() << '\n';
        return cxrcat::exit_code(report.error().code());
    }
    auto verified = cxrcat::verify_dataset(*dataset, paths);
    const bool ok = report->ok() && verified && verified->ok();
    std::cout << (ok ? "ok " : "FAILED ") << plan->files.size() << " files in " << plan->destination.string() << '\n';
    return ok ? 0 : cxrcat::exit_code(report->ok() ? cxrcat::ErrorCode::integrity : report->error_code());
}
