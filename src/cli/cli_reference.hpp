// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <span>
#include <string_view>

namespace cxrcat::cli {

// One documented exit code: the short form fits the --help footer, the long one the man page.
struct ExitCodeDoc {
    int code;
    std::string_view short_meaning;
    std::string_view meaning;
};

// A documented environment variable or file. help_label: how every command's --help footer names it
// (empty: only the man page documents it).
struct ReferenceEntry {
    std::string_view name;
    std::string_view meaning;
    std::string_view help_label = {};
};

// The exit codes, environment variables and files cxrcat documents (--help footers and the man page).
[[nodiscard]] std::span<const ExitCodeDoc> exit_code_docs();
[[nodiscard]] std::span<const ReferenceEntry> environment_docs();
[[nodiscard]] std::span<const ReferenceEntry> file_docs();

} // namespace cxrcat::cli
