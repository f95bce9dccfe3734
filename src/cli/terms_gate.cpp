// SPDX-License-Identifier: Apache-2.0
#include "terms_gate.hpp"

#include "cxrcat/access/terms_ledger.hpp"
#include "output.hpp"

#include <iostream>
#include <string>
#include <unistd.h>

namespace cxrcat::cli {

namespace {

bool ask_on_terminal(const Dataset& dataset) {
    std::cerr << dataset.id << " — " << dataset.name << "\n"
              << "  licence: " << dataset.license.name << "\n"
              << "  terms:   " << dataset.access.terms << "\n"
              << "  read:    " << dataset.access.terms_url << "\n"
              << "Do you accept these terms? [y/N] " << std::flush;
    std::string answer;
    if (!std::getline(std::cin, answer)) {
        return false;
    }
    return answer == "y" || answer == "Y" || answer == "yes" || answer == "YES";
}

} // namespace

Result<void> ensure_terms_accepted(AppContext& context, const Dataset& dataset, bool accept_now) {
    TermsLedger ledger = TermsLedger::open(context.paths().terms_ledger());
    for (const auto& warning : ledger.warnings()) {
        context.warn(warning);
    }
    TermsStatus status = ledger.status(dataset);
    if (status == TermsStatus::accepted) {
        return {};
    }
    bool interactive = ::isatty(STDIN_FILENO) == 1 && stderr_is_terminal();
    if (accept_now || (interactive && ask_on_terminal(dataset))) {
        return ledger.accept(dataset, utc_now_iso8601());
    }
    Error error(ErrorCode::access_denied, status == TermsStatus::lapsed
                                              ? "the terms of " + dataset.id + " changed since you accepted them"
                                              : "the terms of " + dataset.id + " are not accepted");
    error.note("read them: cxrcat terms " + dataset.id);
    error.note("then run: cxrcat accept " + dataset.id + "  (or add --accept-terms to this command)");
    return error;
}

} // namespace cxrcat::cli
