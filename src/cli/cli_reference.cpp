// SPDX-License-Identifier: Apache-2.0
// The reference facts of the command line, kept once: the --help footer and the man page render them.
#include "cli_reference.hpp"

namespace cxrcat::cli {

namespace {

constexpr ExitCodeDoc k_exit_codes[] = {
    {0, "success", "success"},
    {1, "internal error", "unexpected internal error (a bug), or a route this build cannot download"},
    {2, "usage error", "usage error: a bad option or value (the valid values are listed)"},
    {3, "unknown dataset/file", "unknown dataset or file (with \"did you mean\"), or nothing installed to verify"},
    {4, "access not granted",
     "access not granted: terms not accepted, credentials missing or refused, rules, DUA or gate not accepted, "
     "a restricted dataset, a web page instead of data, or an export the licence refuses"},
    {5, "integrity failure",
     "integrity failure: size or checksum mismatch, unsafe archive, verify found missing or corrupt files, or "
     "sync --frozen/--offline found a difference"},
    {6, "network failure", "network failure after retries (including TLS certificate problems)"},
    {7, "manual step needed", "manual step needed: a registration dataset, and no --from PATH given"},
    {8, "local I/O failure", "local I/O failure: disk full, file size limit, permissions"},
    {9, "invalid catalog", "invalid catalog or manifest: every problem is printed as file: /json/pointer: problem"},
};

constexpr ReferenceEntry k_environment[] = {
    {"CXRCAT_HOME", "where datasets are installed (default: $XDG_DATA_HOME/cxrcat)", "CXRCAT_HOME"},
    {"CXRCAT_CATALOG", "user catalog files or directories, colon-separated (as --catalog)",
     "CXRCAT_CATALOG (colon-separated)"},
    {"XDG_DATA_HOME", "base of the default data directory (default: ~/.local/share)", "XDG_DATA_HOME"},
    {"XDG_CONFIG_HOME", "base of the configuration directory (default: ~/.config)", "XDG_CONFIG_HOME"},
    {"NO_COLOR", "honoured: cxrcat prints no colour", "NO_COLOR"},
    {"CXRCAT_MIRRORS", "mirror URLs tried before the origin, space- or comma-separated (as --mirror)"},
    {"CXRCAT_NO_ORIGIN", "1: never contact upstream servers, only mirrors (as --no-origin)"},
    {"CXRCAT_OFFLINE", "1: sync makes no network request (as sync --offline)"},
    {"CXRCAT_GROUP", "Unix group that gets the installs, with setgid directories (as --group)"},
    {"SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_MIN, SLURM_ARRAY_TASK_COUNT",
     "--shard auto: the shard of a Slurm array task"},
    {"JOB_COMPLETION_INDEX, CXRCAT_SHARD_COUNT",
     "--shard auto: the shard of a Kubernetes Indexed Job pod, of CXRCAT_SHARD_COUNT"},
    {"CURL_CA_BUNDLE", "CA bundle to trust for HTTPS (as --cacert)"},
    {"CXRCAT_URL_REWRITE", "FROM=TO rules, white-space separated: a URL starting with FROM is fetched from TO"},
    {"CXRCAT_ZENODO_URL", "base URL of Zenodo (scheme, host and port)"},
    {"CXRCAT_PHYSIONET_URL", "base URL of PhysioNet"},
    {"CXRCAT_KAGGLE_URL", "base URL of Kaggle"},
    {"CXRCAT_IDC_URL", "base URL of the Imaging Data Commons buckets"},
    {"HF_ENDPOINT", "base URL of Hugging Face"},
    {"CXRCAT_IDC_API_URL", "the IDC REST API, path included (default https://api.imaging.datacommons.cancer.gov/v3)"},
    {"CXRCAT_TCIA_URL",
     "TCIA's NBIA API, path included (default https://services.cancerimagingarchive.net/nbia-api/services/v4)"},
    {"CXRCAT_TCIA_NLST_URL",
     "NLST's own NBIA host, path included (default https://nlst.cancerimagingarchive.net/nbia-api/services/v4)"},
    {"CXRCAT_LIVE_ZENODO_RECORD, CXRCAT_LIVE_PHYSIONET_PROJECT, CXRCAT_LIVE_KAGGLE_COMPETITION, CXRCAT_LIVE_HF_REPO",
     "what check --live asks for, when a proxy or mirror carries other records (defaults: 3723295, "
     "mimic-cxr-jpg/2.1.0, rsna-pneumonia-detection-challenge, GoodBaiBai88/M3D-Cap)"},
    {"CXRCAT_PHYSIONET_USER", "PhysioNet user name (with CXRCAT_PHYSIONET_PASSWORD)"},
    {"CXRCAT_PHYSIONET_PASSWORD", "PhysioNet password; never printed"},
    {"NETRC", "the netrc file to read PhysioNet credentials from (default: ~/.netrc)"},
    {"KAGGLE_API_TOKEN", "Kaggle API token, or the path of a file holding it"},
    {"KAGGLE_USERNAME", "Kaggle user name (with KAGGLE_KEY)"},
    {"KAGGLE_KEY", "Kaggle API key"},
    {"KAGGLE_CONFIG_DIR", "directory holding kaggle.json (default: ~/.kaggle)"},
    {"HF_TOKEN", "Hugging Face access token"},
    {"HF_HOME", "Hugging Face home, whose token file is read when HF_TOKEN is unset"},
    {"AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN",
     "S3 credentials for s3:// mirrors and mirror export (signed with SigV4 by libcurl; none: unsigned); never "
     "printed"},
    {"AWS_PROFILE, AWS_SHARED_CREDENTIALS_FILE, AWS_CONFIG_FILE",
     "the AWS profile and its files when the variables above are unset (default: default, ~/.aws/credentials, "
     "~/.aws/config)"},
    {"AWS_REGION, AWS_DEFAULT_REGION", "the S3 region (default: the profile's, else us-east-1)"},
    {"AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL",
     "an S3-compatible endpoint (MinIO, Ceph, GCS interoperability), addressed path-style"},
    {"CXRCAT_RETRY_BASE_MS", "first retry delay in milliseconds (default 1000)"},
    {"CXRCAT_SEGMENT_THRESHOLD", "bytes left in a slow file before it is split over connections (default 64 MiB)"},
    {"CXRCAT_RANGE_ONLY_ABOVE",
     "files larger than this many bytes are asked for with Range only (default 50 GB: the Hugging Face Hub "
     "serves no plain GET above it)"},
    {"https_proxy, http_proxy, all_proxy, no_proxy", "proxies, as libcurl reads them"},
};

constexpr ReferenceEntry k_files[] = {
    {"$CXRCAT_HOME/datasets/ID/", "an installed dataset (cxrcat path ID)"},
    {"$CXRCAT_HOME/datasets/ID/.cxrcat/",
     "per-dataset state (verified files, recorded digests), one journal per shard, and locks"},
    {"$CXRCAT_HOME/datasets/ID/CITATION.bib, CITATION.cff, TERMS.txt, SOURCE.json", "provenance of the install"},
    {"$XDG_CONFIG_HOME/cxrcat/accepted-terms.json", "the terms accepted, when, and their digest"},
    {"./cxrcat.json", "the datasets a project needs (cxrcat sync)"},
    {"./cxrcat.lock", "the exact bytes sync installed: commit it"},
    {"~/.netrc", "PhysioNet credentials (machine physionet.org login U password P)"},
    {"~/.kaggle/kaggle.json", "Kaggle credentials"},
    {"$HF_HOME/token", "Hugging Face token (huggingface-cli login)"},
};

} // namespace

std::span<const ExitCodeDoc> exit_code_docs() {
    return k_exit_codes;
}

std::span<const ReferenceEntry> environment_docs() {
    return k_environment;
}

std::span<const ReferenceEntry> file_docs() {
    return k_files;
}

} // namespace cxrcat::cli
