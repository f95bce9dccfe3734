// SPDX-License-Identifier: Apache-2.0
// The command line as data: completions and the man page are generated from the same CLI11 App that
// parses arguments and prints --help, so the three cannot drift apart.
#include "command_model.hpp"

namespace cxrcat::cli {

namespace {

std::vector<std::string> split_on(const std::string& text, char separator) {
    std::vector<std::string> out;
    std::string current;
    for (char c : text) {
        if (c == separator) {
            out.push_back(current);
            current.clear();
        } else {
            current.push_back(c);
        }
    }
    out.push_back(current);
    return out;
}

// CLI11's full type name is "TYPE:validator:validator"; IsMember describes itself as "{a,b,c}".
void read_type_name(const CLI::Option& option, OptionDoc& doc) {
    std::vector<std::string> parts = split_on(option.get_type_name(), ':');
    doc.value_name = parts.front();
    for (std::size_t i = 1; i < parts.size(); ++i) {
        const std::string& part = parts[i];
        if (part.size() > 2 && part.front() == '{' && part.back() == '}') {
            doc.choices = split_on(part.substr(1, part.size() - 2), ',');
        }
    }
    if (doc.choices.empty() && doc.value_name.find('|') != std::string::npos) {
        doc.choices = split_on(doc.value_name, '|');
    }
    if (!doc.choices.empty()) {
        doc.kind = ValueKind::choice;
    } else if (doc.value_name == "FILE") {
        doc.kind = ValueKind::file;
    } else if (doc.value_name == "DIR") {
        doc.kind = ValueKind::directory;
    } else if (doc.value_name == "PATH") {
        doc.kind = ValueKind::path;
    } else if (doc.value_name == "FIELD=VALUE") {
        doc.kind = ValueKind::where;
    } else {
        doc.kind = ValueKind::text;
    }
}

OptionDoc describe_option(const CLI::Option& option) {
    OptionDoc doc;
    for (const auto& name : option.get_snames()) {
        doc.names.push_back("-" + name);
    }
    for (const auto& name : option.get_lnames()) {
        doc.names.push_back("--" + name);
    }
    doc.description = option.get_description();
    doc.default_value = option.get_default_str();
    if (option.get_items_expected_max() > 0) { // flags expect no value
        read_type_name(option, doc);
        doc.repeatable = option.get_items_expected_max() > 1;
    }
    return doc;
}

PositionalDoc describe_positional(const CLI::Option& option) {
    PositionalDoc doc;
    doc.name = option.get_name(true, false);
    doc.description = option.get_description();
    doc.many = option.get_items_expected_max() > 1;
    doc.required = option.get_required();
    OptionDoc typed;
    read_type_name(option, typed);
    if (typed.kind == ValueKind::choice) {
        doc.kind = ValueKind::choice;
        doc.choices = typed.choices;
    } else if (doc.name == "id" || doc.name == "ids") {
        doc.kind = ValueKind::dataset;
    } else if (doc.name == "dir") {
        doc.kind = ValueKind::directory;
    } else if (doc.name == "path" || doc.name == "paths") {
        doc.kind = ValueKind::path;
    }
    return doc;
}

bool visible(const std::string& group) {
    return !group.empty();
}

CommandDoc describe_at(const CLI::App& app, const std::string& path, const std::vector<OptionDoc>& inherited) {
    CommandDoc doc;
    doc.name = app.get_name();
    doc.path = path;
    doc.description = app.get_description();
    doc.footer = app.get_footer();
    doc.inherited = inherited;
    for (const CLI::Option* option : app.get_options()) {
        if (!visible(option->get_group())) {
            continue;
        }
        if (option->nonpositional()) {
            doc.options.push_back(describe_option(*option));
        } else {
            doc.positionals.push_back(describe_positional(*option));
        }
    }
    std::vector<OptionDoc> passed_down = app.get_fallthrough() ? inherited : std::vector<OptionDoc>{};
    if (app.get_fallthrough()) {
        for (const auto& option : doc.options) {
            // --help and --version belong to each command; the rest is accepted further down.
            if (option.names.back() != "--help" && option.names.back() != "--version") {
                passed_down.push_back(option);
            }
        }
    }
    for (const CLI::App* sub :
         app.get_subcommands([](const CLI::App* candidate) { return visible(candidate->get_group()); })) {
        doc.subcommands.push_back(
            describe_at(*sub, path.empty() ? sub->get_name() : path + " " + sub->get_name(), passed_down));
    }
    return doc;
}

} // namespace

CommandDoc describe_command(const CLI::App& app) {
    return describe_at(app, "", {});
}

std::vector<const OptionDoc*> all_options(const CommandDoc& command) {
    std::vector<const OptionDoc*> out;
    for (const auto& option : command.options) {
        out.push_back(&option);
    }
    for (const auto& option : command.inherited) {
        out.push_back(&option);
    }
    return out;
}

} // namespace cxrcat::cli
