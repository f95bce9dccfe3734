// SPDX-License-Identifier: Apache-2.0
// PhysioNet projects: the version's SHA256SUMS.txt is the file list and the digests (no crawling
// of HTML listings); files come from /files/{project}/{version}/{path} with HTTP Basic auth.
#include "cxrcat/base/redacted_url.hpp"
#include "cxrcat/base/text.hpp"
#include "cxrcat/base/version.hpp"
#include "providers/parsers.hpp"
#include "providers/physionet_agent.hpp"
#include "providers/provider_common.hpp"
#include "providers/sha256sums.hpp"

#include <algorithm>
#include <string_view>

namespace cxrcat::providers {

// PhysioNet honours HTTP Basic credentials only when the User-Agent starts with `Wget/` or
// `libwfdb/` (an allow-list in physionet-build, project/utility.py `http_auth_allowed`; see
// provider-apis.md §2.3). With any other User-Agent, cxrcat's own included, the Authorization
// header is ignored and every credentialed file is a 403 — so every PhysioNet request, downloads
// included, identifies as a Wget-compatible client. The tests keep a stub that enforces this gate.
std::string physionet_user_agent() {
    return "Wget/1.21 (cxrcat/" + version() + "; compatible)";
}

namespace {

// SHA256SUMS.txt of a large project is big (MIMIC-CXR: hundreds of thousands of lines).
constexpr std::chrono::seconds k_checksums_timeout{30 * 60};
// Where people sign agreements and log in, whatever endpoint the files come from.
constexpr std::string_view k_physionet_site = "https://physionet.org";

// MIMIC-style per-patient layouts (files/p10/p10000032/s50414267/...) carry the patient and the
// study in their folder names: subject_id and study_id, as MIMIC's own metadata tables name them,
// for --where and for --sample by patient.
std::map<std::string, std::string> physionet_folder_metadata(const std::string& path) {
    std::map<std::string, std::string> out;
    auto numbered = [](std::string_view part, char prefix) {
        return part.size() > 3 && part[0] == prefix &&
               std::all_of(part.begin() + 1, part.end(), [](char c) { return c >= '0' && c <= '9'; });
    };
    std::size_t start = 0;
    for (std::size_t end = path.find('/'); end != std::string::npos; start = end + 1, end = path.find('/', start)) {
        std::string_view part(path.data() + start, end - start);
        if (!out.count("subject_id") && numbered(part, 'p')) {
            out["subject_id"] = std::string(part.substr(1));
        } else if (out.count("subject_id") && !out.count("study_id") && numbered(part, 's')) {
            out["study_id"] = std::string(part.substr(1));
        }
    }
    return out;
}

// What a PhysioNet answer means, and what fixes it.
struct PhysioNetDiagnosis {
    ProbeStatus status = ProbeStatus::ok;
    ErrorCode code = ErrorCode::ok;
    std::string problem;
    std::string fix;
};

class PhysioNetClient final : public ContextClient {
  public:
    using ContextClient::ContextClient;

    Result<std::vector<ResolvedFile>> resolve(const Dataset& dataset, const Source& source) override {
        std::string project = source.param("project");
        std::string version_name = source.param("version");
        auto entries = read_listing(dataset, source);
        if (!entries) {
            return entries.error();
        }
        const auto& credential = physionet_credential();
        std::string origin = "from PhysioNet SHA256SUMS.txt of " + project + " " + version_name;
        std::vector<ResolvedFile> files;
        files.reserve(entries->size());
        for (auto& entry : *entries) {
            ResolvedFile file;
            file.urls.push_back(files_url(project, version_name, url_encode(entry.path, true)));
            file.path = std::move(entry.path);
            file.user_agent = physionet_user_agent();
            if (credential) {
                file.basic_auth = BasicAuth{credential->user, credential->secret};
            }
            file.digests[DigestAlgorithm::sha256] = std::move(entry.sha256);
            file.digest_origin = origin;
            file.metadata = physionet_folder_metadata(file.path);
            files.push_back(std::move(file));
        }
        check_catalog_files(
            dataset, source,
            {"SHA256SUMS.txt of PhysioNet " + project + " " + version_name, content_url(project, version_name)}, files);
        return files;
    }

    ProbeResult probe(const Dataset& /*dataset*/, const Source& source) override {
        std::string project = source.param("project");
        std::string version_name = source.param("version");
        HttpRequest request = physionet_request(files_url(project, version_name, "SHA256SUMS.txt"));
        request.range = std::pair<std::uint64_t, std::uint64_t>{0, 0};
        auto response = http_request(request, m_context.retry);
        if (!response) {
            return unreachable(response.error());
        }
        const auto& credential = physionet_credential();
        std::string who = credential ? describe_credential(*credential) : "";
        long status = response->status;
        bool html =
            (status == 200 || status == 206) && looks_like_html(response->header("content-type"), response->body);
        if ((status == 200 || status == 206) && !html) {
            return {ProbeStatus::ok,
                    "HTTP " + std::to_string(status) + " for SHA256SUMS.txt of " + project + " " + version_name +
                        (credential ? "" : " (open access: no credentials needed)"),
                    "", who};
        }
        PhysioNetDiagnosis diagnosis = diagnose(status, html, project, version_name);
        return {diagnosis.status, diagnosis.problem, diagnosis.fix, who};
    }

    Error explain(const Dataset& /*dataset*/, const Source& source, Error error) const override {
        if (!is_transfer_failure(error)) {
            return error; // resolve()'s own errors arrive here too, already explained
        }
        std::string project = source.param("project");
        std::string version_name = source.param("version");
        // The engine's record of the answer, never the message text, says what happened.
        long status = error.http_status();
        bool web_page = error.http() && error.http()->web_page;
        if (error.code() == ErrorCode::access_denied && (status == 401 || status == 403 || web_page)) {
            PhysioNetDiagnosis diagnosis = diagnose(web_page ? 200 : status, web_page, project, version_name);
            std::vector<std::string> notes{diagnosis.problem, diagnosis.fix};
            notes.insert(notes.end(), error.notes().begin(), error.notes().end());
            Error explained(error.code(), error.message(), notes);
            if (error.http()) {
                explained.with_http(*error.http());
            }
            return explained;
        } else if (error.code() == ErrorCode::not_found) {
            error.note("PhysioNet " + project + " " + version_name + " no longer serves this file: see " +
                       content_url(project, version_name));
        }
        return error;
    }

  private:
    // The entries of the version root's SHA256SUMS.txt that fetch wants (or the catalog names),
    // parsed as the listing streams in: the listing itself (54 MB for MIMIC-CXR-JPG) is never held.
    // It lists every file of the version, recursively, in no order to rely on.
    Result<std::vector<ChecksumEntry>> read_listing(const Dataset& dataset, const Source& source) const {
        std::string project = source.param("project");
        std::string version_name = source.param("version");
        std::string candidate; // reused for every line: no allocation per line of the listing
        auto wanted = [this, &source, &candidate](std::string_view path) {
            if (!m_context.selected || m_context.selected(candidate.assign(path))) {
                return true;
            }
            std::string_view name = path.substr(path.rfind('/') + 1);
            return std::any_of(source.files.begin(), source.files.end(), [&](const FileEntry& file) {
                std::string_view listed = file.path;
                return listed == path || listed.substr(listed.rfind('/') + 1) == name;
            });
        };
        Sha256SumsReader reader(wanted);
        HttpRequest request = physionet_request(files_url(project, version_name, "SHA256SUMS.txt"));
        request.timeout = k_checksums_timeout;
        request.body_begin = [&reader] { reader.reset(); };
        request.body_write = [&reader](std::string_view chunk) { return reader.feed(chunk); };
        auto response = http_request(request, m_context.retry);
        std::string request_note = "request: " + RedactedUrl(request.url).str();
        if (!response) {
            return Error(response.error().code(),
                         dataset.id + ": cannot read SHA256SUMS.txt of PhysioNet " + project + " " + version_name +
                             ": " + response.error().message(),
                         response.error().notes());
        }
        // PhysioNet itself answers 401/403, but a proxy or an SSO front may answer 200 with a login page.
        bool html = response->status == 200 && looks_like_html(response->header("content-type"), reader.head());
        if (response->status != 200 || html) {
            PhysioNetDiagnosis diagnosis = diagnose(response->status, html, project, version_name);
            Error error(diagnosis.code, dataset.id + ": " + diagnosis.problem, {diagnosis.fix});
            add_credential_note(error);
            error.note(request_note);
            return error;
        }
        auto entries = reader.finish();
        if (!entries) {
            return Error(entries.error().code(),
                         dataset.id + ": SHA256SUMS.txt of PhysioNet " + project + " " + version_name + ", " +
                             entries.error().message(),
                         {request_note, "nothing was downloaded"});
        }
        return entries;
    }

    [[nodiscard]] const std::optional<Credential>& physionet_credential() const {
        static const std::optional<Credential> k_none;
        return m_context.credentials != nullptr ? m_context.credentials->physionet() : k_none;
    }

    [[nodiscard]] std::string files_url(const std::string& project, const std::string& version_name,
                                        const std::string& encoded_path) const {
        return m_context.endpoints.physionet + "/files/" + project + "/" + version_name + "/" + encoded_path;
    }

    // A page a person opens (project page, DUA): always the public site, also when the API
    // endpoint is overridden for a proxy, a mirror or a test.
    [[nodiscard]] static std::string content_url(const std::string& project, const std::string& version_name) {
        return std::string(k_physionet_site) + "/content/" + project + "/" + version_name + "/";
    }

    // A request with the Wget-compatible User-Agent, and the credentials when there are any: open
    // projects need none, so without credentials the request simply goes out anonymously.
    [[nodiscard]] HttpRequest physionet_request(std::string url) const {
        HttpRequest request = base_request(m_context, std::move(url));
        request.user_agent = physionet_user_agent();
        if (const auto& credential = physionet_credential()) {
            request.basic_auth = BasicAuth{credential->user, credential->secret};
        }
        return request;
    }

    [[nodiscard]] std::string no_credentials_fix() const {
        return "no PhysioNet credentials: set CXRCAT_PHYSIONET_USER and CXRCAT_PHYSIONET_PASSWORD or add `machine " +
               m_context.endpoints.physionet_host() + " login USER password PASS` to ~/.netrc (chmod 600)";
    }

    [[nodiscard]] std::string dua_fix(const std::string& project, const std::string& version_name) const {
        return "sign the data use agreement for " + project + " " + version_name + " at " +
               content_url(project, version_name) + " (and complete credentialing/training if not yet done)";
    }

    // Classifies an answer to a request for a project file: 401 and 403 mean "no credentials"
    // when none were sent (PhysioNet never asks anonymous non-Wget clients with a 401); with
    // credentials, 401 means they were refused and 403 (or a login page) that the account may
    // not read this project version.
    [[nodiscard]] PhysioNetDiagnosis diagnose(long status, bool html, const std::string& project,
                                              const std::string& version_name) const {
        const auto& credential = physionet_credential();
        std::string what = project + " " + version_name;
        if (status == 401 || status == 403 || html) {
            std::string observed = html ? "a login page instead of data" : "HTTP " + std::to_string(status);
            if (!credential) {
                return {ProbeStatus::no_credentials, ErrorCode::access_denied,
                        "PhysioNet wants credentials for " + what + " (" + observed + ")", no_credentials_fix()};
            }
            if (status == 401) {
                return {ProbeStatus::credentials_refused, ErrorCode::access_denied,
                        "PhysioNet refused the username or password (from " + credential->source + ")",
                        "check the user name (or account e-mail) and password of " + credential->source +
                            "; test them by logging in at " + std::string(k_physionet_site) + "/login/"};
            }
            return {ProbeStatus::not_accepted, ErrorCode::access_denied,
                    "PhysioNet denied " + credential->user + " access to " + what + " (" + observed + ")",
                    dua_fix(project, version_name)};
        }
        if (status == 404) {
            return {ProbeStatus::not_found, ErrorCode::not_found,
                    "PhysioNet project " + project + " version " + version_name + " not found (HTTP 404)",
                    "see " + std::string(k_physionet_site) + "/content/" + project +
                        "/ for the published versions, and fix the catalog entry"};
        }
        if (status == 429) {
            return {ProbeStatus::rate_limited, ErrorCode::network, "PhysioNet is rate-limiting requests (HTTP 429)",
                    "wait a few minutes and rerun"};
        }
        return {ProbeStatus::unreachable, ErrorCode::network,
                "PhysioNet answered HTTP " + std::to_string(status) + " for " + what, "retry later"};
    }

    void add_credential_note(Error& error) const {
        if (const auto& credential = physionet_credential()) {
            error.note("credential: " + describe_credential(*credential));
        }
    }
};

} // namespace

std::unique_ptr<ProviderClient> make_physionet_client(const ProviderContext& context) {
    return std::make_unique<PhysioNetClient>(context);
}

} // namespace cxrcat::providers
