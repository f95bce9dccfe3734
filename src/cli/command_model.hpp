// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace cxrcat::cli {

// What a value on the command line is, for completions and the man page.
// where: a --where FIELD=VALUE term (finding names complete after `finding.`).
enum class ValueKind { none, text, choice, file, directory, path, dataset, where };

// One option of a command, as --help shows it.
struct OptionDoc {
    std::vector<std::string> names; // "-j", "--jobs"
    std::string value_name;         // "N", "FILE", "cxr|ct|mri"; empty for a flag
    std::string description;
    std::string default_value;
    std::vector<std::string> choices; // the values the parser accepts, when it checks membership
    ValueKind kind = ValueKind::none;
    bool repeatable = false;
};

// One positional argument.
struct PositionalDoc {
    std::string name;
    std::string description;
    ValueKind kind = ValueKind::text;
    std::vector<std::string> choices;
    bool many = false;
    bool required = false;
};

// A command and everything under it, read from the CLI11 definitions that also produce --help.
struct CommandDoc {
    std::string name;
    std::string path; // "" for the program, "mirror export" for a nested command
    std::string description;
    std::string footer;
    std::vector<OptionDoc> options;   // its own, including --help
    std::vector<OptionDoc> inherited; // the parent's, accepted here too (CLI11 fallthrough)
    std::vector<PositionalDoc> positionals;
    std::vector<CommandDoc> subcommands; // hidden ones (empty group) are left out
};

// Walks app and its visible subcommands. Positionals named id/ids complete dataset ids, dir a
// directory, path/paths any path; an option's kind comes from its type name (FILE, DIR, PATH, a|b)
// and its membership validator.
[[nodiscard]] CommandDoc describe_command(const CLI::App& app);

// Every option name of a command that takes a value ("--format"), own and inherited.
[[nodiscard]] std::vector<const OptionDoc*> all_options(const CommandDoc& command);

} // namespace cxrcat::cli
