// SPDX-License-Identifier: Apache-2.0
// `cxrcat plan`: the selected files as input for aria2c, s5cmd, Storage Transfer Service, or any
// tool that reads a URL list. What they download is adopted with `fetch ID --from DIR`.
#include "cxrcat/plan/plan_export.hpp"

#include "cxrcat/base/digest_json.hpp"
#include "cxrcat/base/redacted_url.hpp"

#include <nlohmann/json.hpp>

#include <array>

namespace cxrcat {

namespace {

// Why a file cannot go into a plan without its secret, or "" when it can.
std::string credential_need(const PlannedFile& file) {
    const ResolvedFile& source = file.source;
    if (source.basic_auth) {
        return "HTTP basic authentication";
    }
    if (!source.secret_headers.empty()) {
        return "an authorization header (" + source.secret_headers.front().first + ")";
    }
    for (const auto& url : source.urls) {
        if (RedactedUrl(url).str() != url) {
            return "credentials in its URL";
        }
    }
    return "";
}

bool plan_to_download(const PlannedFile& file) {
    return !file.verified && !file.local;
}

Error credential_refusal(const FetchPlan& plan, const PlannedFile& file, const std::string& need,
                         std::string_view format) {
    return {ErrorCode::access_denied,
            plan.dataset_id + ": " + file.path + " needs " + need + ", which a plan in " + std::string(format) +
                " format cannot carry without writing the secret into it",
            {"a plan never contains a secret: fetch this dataset with 'cxrcat fetch " + plan.dataset_id + "'",
             "'cxrcat plan " + plan.dataset_id + " --format json' lists its files without credentials"}};
}

// The checksum aria2c verifies after the download: the strongest digest it knows.
std::string aria2_checksum(const PlannedFile& file) {
    for (auto [algorithm, name] :
         {std::pair{DigestAlgorithm::sha256, "sha-256"}, std::pair{DigestAlgorithm::sha512, "sha-512"},
          std::pair{DigestAlgorithm::sha1, "sha-1"}, std::pair{DigestAlgorithm::md5, "md5"}}) {
        if (auto it = file.digests.find(algorithm); it != file.digests.end()) {
            return std::string(name) + "=" + it->second;
        }
    }
    return "";
}

// prefix: "<id>/" when several datasets share one plan, so their files land apart.
Result<void> render_plan_file(const FetchPlan& plan, const PlannedFile& file, PlanFormat format,
                              const std::string& prefix, std::string& out) {
    static constexpr std::array<std::string_view, 5> k_names{"aria2", "s5cmd", "tsv", "urls", "json"};
    std::string_view name = k_names.at(static_cast<std::size_t>(format));
    if (format == PlanFormat::s5cmd) {
        if (file.source.bucket_url.empty()) {
            return Error(ErrorCode::usage,
                         plan.dataset_id + ": " + file.path +
                             " does not come from a bucket; an s5cmd plan holds "
                             "only bucket sources (IDC)",
                         {"use --format aria2, tsv or urls for files served over HTTP"});
        }
        out += "cp " + file.source.bucket_url + " " + prefix + file.path + "\n";
        return {};
    }
    if (std::string need = credential_need(file); !need.empty()) {
        return credential_refusal(plan, file, need, name);
    }
    if (file.source.urls.empty()) {
        return Error(ErrorCode::usage, plan.dataset_id + ": " + file.path + " has no URL to put into a plan");
    }
    const std::string& url = file.source.urls.front();
    if (format == PlanFormat::urls) {
        out += url + "\n";
    } else if (format == PlanFormat::tsv) {
        auto md5 = file.digests.find(DigestAlgorithm::md5);
        out += url + "\t" + (file.size ? std::to_string(*file.size) : "") + "\t" +
               (md5 != file.digests.end() ? hex_digest_to_base64(md5->second) : "") + "\n";
    } else {
        // Mirrors of one file share a line, separated by TAB (aria2c's input-file format).
        std::string line;
        for (const auto& alternative : file.source.urls) {
            line += (line.empty() ? "" : "\t") + alternative;
        }
        out += line + "\n  out=" + prefix + file.path + "\n";
        if (std::string checksum = aria2_checksum(file); !checksum.empty()) {
            out += "  checksum=" + checksum + "\n";
        }
    }
    return {};
}

nlohmann::json plan_json(const FetchPlan& plan) {
    nlohmann::json files = nlohmann::json::array();
    for (const auto& file : plan.files) {
        std::string need = credential_need(file);
        // A POST-only URL (Kaggle's RPC methods) is useless without its method and body, which hold
        // no secret (the credentials travel in headers, see needs_credentials).
        bool post = !file.source.post_body.empty();
        files.push_back({{"path", file.path},
                         {"url", file.url},
                         {"method", post ? "POST" : "GET"},
                         {"body", post ? nlohmann::json(file.source.post_body) : nlohmann::json()},
                         {"bucket_url", file.source.bucket_url},
                         {"size", file.size ? nlohmann::json(*file.size) : nlohmann::json()},
                         {"digests", digests_to_json(file.digests)},
                         {"extract", file.extract},
                         {"needs_credentials", need.empty() ? nlohmann::json() : nlohmann::json(need)},
                         {"status", file.verified ? "verified"
                                    : file.local  ? "local"
                                                  : "to-download"}});
    }
    return {{"id", plan.dataset_id},
            {"destination", plan.destination.string()},
            {"shard", {{"index", plan.shard.index}, {"count", plan.shard.count}}},
            {"selected_files", plan.selected_files},
            {"bytes_to_download", plan.bytes_to_download},
            {"files", files}};
}

} // namespace

std::optional<PlanFormat> parse_plan_format(std::string_view text) {
    if (text == "aria2") {
        return PlanFormat::aria2;
    }
    if (text == "s5cmd") {
        return PlanFormat::s5cmd;
    }
    if (text == "tsv") {
        return PlanFormat::tsv;
    }
    if (text == "urls") {
        return PlanFormat::urls;
    }
    if (text == "json") {
        return PlanFormat::json;
    }
    return std::nullopt;
}

Result<std::string> render_plans(const std::vector<FetchPlan>& plans, PlanFormat format) {
    if (format == PlanFormat::json) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& plan : plans) {
            out.push_back(plan_json(plan));
        }
        return nlohmann::json{{"plans", out}}.dump(2) + "\n";
    }
    std::string out = format == PlanFormat::tsv ? "TsvHttpData-1.0\n" : "";
    for (const auto& plan : plans) {
        std::string prefix = plans.size() > 1 ? plan.dataset_id + "/" : "";
        for (const auto& file : plan.files) {
            if (!plan_to_download(file)) {
                continue;
            }
            if (auto rendered = render_plan_file(plan, file, format, prefix, out); !rendered) {
                return rendered.error();
            }
        }
    }
    return out;
}

} // namespace cxrcat
