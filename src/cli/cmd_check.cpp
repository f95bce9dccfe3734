// SPDX-License-Identifier: Apache-2.0
// `cxrcat check ID...`: a preflight that touches no data. Would a fetch be allowed, and if not,
// what exactly fixes it? `cxrcat check --live [PROVIDER...]` asks the providers instead whether
// they still answer in the shapes cxrcat reads (check_live.cpp).
#include "check_live.hpp"
#include "commands.hpp"
#include "cxrcat/access/terms_ledger.hpp"
#include "cxrcat/base/text.hpp"
#include "cxrcat/base/version.hpp"

#include <algorithm>
#include <cstdlib>
#include <iostream>

namespace cxrcat::cli {

namespace {

struct CheckOptions {
    std::vector<std::string> ids;
    std::string format = "text";
    std::string cacert;
    std::string manifest;
    bool live = false; // ids are provider names (all when none)
};

ErrorCode code_for(ProbeStatus status) {
    switch (status) {
    case ProbeStatus::ok: return ErrorCode::ok;
    case ProbeStatus::no_credentials:
    case ProbeStatus::credentials_refused:
    case ProbeStatus::not_accepted:
    case ProbeStatus::restricted: return ErrorCode::access_denied;
    case ProbeStatus::not_found: return ErrorCode::not_found;
    case ProbeStatus::rate_limited:
    case ProbeStatus::unreachable: return ErrorCode::network;
    case ProbeStatus::manual: return ErrorCode::manual_step;
    case ProbeStatus::unsupported: return ErrorCode::internal;
    }
    return ErrorCode::internal;
}

struct SourceCheck {
    std::string provider;
    std::string label;
    ProbeResult result;
    std::string alternative = {}; // the source's alternative group ("" for none)
};

// Whether a failed check is covered by an alternative source of its group that probes ok (fetch
// falls back to it, so the dataset can still be fetched).
bool covered_by_alternative(const SourceCheck& check, const std::vector<SourceCheck>& checks) {
    return !check.alternative.empty() && std::any_of(checks.begin(), checks.end(), [&](const SourceCheck& other) {
        return other.alternative == check.alternative && other.result.status == ProbeStatus::ok;
    });
}

std::vector<SourceCheck> probe_sources(AppContext& context, const Dataset& dataset, const ProviderContext& providers) {
    std::vector<SourceCheck> checks;
    if (dataset.access.access_class == AccessClass::restricted) {
        std::string fix = dataset.access.grantor.empty() ? "" : "apply to " + dataset.access.grantor + "; ";
        fix += dataset.access.steps.empty() ? "see " + dataset.access.terms_url : join(dataset.access.steps, " ");
        checks.push_back(
            {"none", "", {ProbeStatus::restricted, "access is by membership or collaboration only", fix, ""}});
        return checks;
    }
    for (const auto& source : dataset.sources) {
        SourceCheck check{std::string(to_string(source.provider)), source.label, {}, source.alternative};
        if (source.status == SourceStatus::withdrawn) {
            continue;
        }
        if (source.provider == Provider::manual) {
            check.result = {ProbeStatus::manual, "these files are downloaded by a person (no API)",
                            (dataset.access.steps.empty() ? "download them from " + source.param("url")
                                                          : join(dataset.access.steps, " ")) +
                                "; then run: cxrcat fetch " + dataset.id + " --from PATH",
                            ""};
        } else if (auto client = make_provider_client(source.provider, providers)) {
            check.result = client->probe(dataset, source);
        } else {
            check.result = {ProbeStatus::unsupported, "cxrcat cannot download from this route", "", ""};
        }
        (void)context;
        checks.push_back(std::move(check));
    }
    return checks;
}

// The provider context of a preflight: one attempt per request, --cacert (else CURL_CA_BUNDLE), --manifest.
ProviderContext check_providers(AppContext& context, const CheckOptions& options) {
    ProviderContext providers;
    providers.endpoints = context.endpoints();
    if (!options.live) { // the live probes are anonymous: no credential is even looked up
        providers.credentials = &context.credentials();
    }
    providers.user_agent = user_agent();
    if (!options.cacert.empty()) {
        providers.ca_bundle = options.cacert;
    } else if (const char* bundle = std::getenv("CURL_CA_BUNDLE"); bundle && *bundle) { // NOLINT(concurrency-mt-unsafe)
        providers.ca_bundle = bundle;
    }
    providers.retry.max_attempts = 1;
    if (!options.manifest.empty()) {
        providers.manifest = std::filesystem::absolute(options.manifest);
    }
    return providers;
}

// What a fetch of the dataset would fail with (ok when it is allowed): a refused access outranks
// every other failure; a failed source that an alternative covers does not count.
ErrorCode worst_code(TermsStatus terms, const std::vector<SourceCheck>& checks) {
    ErrorCode worst = terms == TermsStatus::accepted ? ErrorCode::ok : ErrorCode::access_denied;
    for (const auto& check : checks) {
        ErrorCode code = covered_by_alternative(check, checks) ? ErrorCode::ok : code_for(check.result.status);
        if (worst == ErrorCode::ok || (code != ErrorCode::ok && code == ErrorCode::access_denied)) {
            worst = code == ErrorCode::ok ? worst : code;
        }
    }
    return worst;
}

nlohmann::json check_json(const Dataset& dataset, TermsStatus terms, const std::vector<SourceCheck>& checks,
                          ErrorCode worst) {
    nlohmann::json sources = nlohmann::json::array();
    for (const auto& check : checks) {
        sources.push_back({{"provider", check.provider},
                           {"label", check.label},
                           {"status", to_string(check.result.status)},
                           {"detail", check.result.detail},
                           {"fix", check.result.fix},
                           {"credential", check.result.credential}});
    }
    return {{"id", dataset.id},
            {"access_class", to_string(dataset.access.access_class)},
            {"terms", terms == TermsStatus::accepted ? "accepted"
                      : terms == TermsStatus::lapsed ? "lapsed"
                                                     : "not-accepted"},
            {"terms_fix", terms == TermsStatus::accepted ? "" : "cxrcat accept " + dataset.id},
            {"sources", sources},
            {"fetch_allowed", worst == ErrorCode::ok},
            {"exit_code", exit_code(worst)}};
}

void print_check(const Dataset& dataset, TermsStatus terms, const std::vector<SourceCheck>& checks, ErrorCode worst) {
    std::string terms_text = terms == TermsStatus::accepted ? "accepted"
                             : terms == TermsStatus::lapsed ? "lapsed (the terms changed)"
                                                            : "not accepted";
    std::cout << dataset.id << " (" << to_string(dataset.access.access_class) << ")\n";
    std::cout << "  terms: " << terms_text;
    if (terms != TermsStatus::accepted) {
        std::cout << " — run: cxrcat accept " << dataset.id;
    }
    std::cout << '\n';
    for (const auto& check : checks) {
        std::cout << "  " << check.provider << (check.label.empty() ? "" : " (" + check.label + ")") << ": "
                  << to_string(check.result.status) << " — " << check.result.detail << '\n';
        if (!check.result.credential.empty()) {
            std::cout << "    credential: " << check.result.credential << '\n';
        }
        if (!check.result.fix.empty()) {
            std::cout << "    fix: " << check.result.fix << '\n';
        }
    }
    std::cout << "  fetch allowed: " << (worst == ErrorCode::ok ? "yes" : "no") << '\n';
}

int run_check(AppContext& context, const CheckOptions& options) {
    ProviderContext providers = check_providers(context, options);
    if (options.live) {
        return run_check_live(context, providers, options.ids, options.format);
    }
    if (options.ids.empty()) {
        return context.fail(Error(ErrorCode::usage, "check needs at least one dataset id, or --live"));
    }
    TermsLedger ledger = TermsLedger::open(context.paths().terms_ledger());
    nlohmann::json out = nlohmann::json::array();
    auto exit = for_each_dataset(context, options.ids, [&](const Dataset& dataset) {
        TermsStatus terms = ledger.status(dataset);
        context.warn_all(context.credentials().missing_for(dataset)); // before any request
        auto checks = probe_sources(context, dataset, providers);
        ErrorCode worst = worst_code(terms, checks);
        if (options.format == "json") {
            out.push_back(check_json(dataset, terms, checks, worst));
        } else {
            print_check(dataset, terms, checks, worst);
        }
        return exit_code(worst);
    });
    if (!exit) {
        return context.fail(exit.error());
    }
    if (options.format == "json") {
        std::cout << out.dump(2) << '\n';
    }
    return *exit;
}

} // namespace

void add_check_command(CLI::App& app, AppContext& context) {
    auto [command, options] = add_command(
        app, context, "check",
        "Preflight: are the terms accepted, are credentials present and accepted? Touches no data. With --live: "
        "do the providers' APIs still answer in the shapes cxrcat reads?",
        run_check);
    // Not required by CLI11: with --live the positionals are provider names, and none means all.
    command->add_option("ids", options->ids,
                        "Dataset ids or aliases; with --live, providers (zenodo, physionet, kaggle, huggingface, "
                        "idc, tcia; default all)");
    CLI::Option* live =
        command->add_flag("--live", options->live,
                          "Ask each provider's API (anonymously, a request or two each) whether it still answers in "
                          "the shape cxrcat expects: ok, or which field or status differs (exit 5), or unreachable "
                          "(exit 6, which wins over 5)");
    add_format_option(*command, options->format, {"text", "json"});
    add_file_option(*command, "--cacert", options->cacert, "CA bundle to trust for HTTPS");
    add_file_option(*command, "--manifest", options->manifest,
                    "IDC series manifest to probe (as for 'cxrcat fetch --manifest'), for nlst and lidc-idri")
        ->excludes(live);
}

} // namespace cxrcat::cli
