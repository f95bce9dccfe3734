// SPDX-License-Identifier: Apache-2.0
// bash, zsh and fish completion scripts, generated from the command model (the CLI11 definitions).
#include "completion_scripts.hpp"

#include "cxrcat/base/text.hpp"

#include <functional>

namespace cxrcat::cli {

namespace {

void for_each_command(const CommandDoc& command, const std::function<void(const CommandDoc&)>& visit) {
    visit(command);
    for (const auto& sub : command.subcommands) {
        for_each_command(sub, visit);
    }
}

// The word a completion script uses for a value kind ("choice a b c" carries the values).
std::string bash_kind(ValueKind kind, const std::vector<std::string>& choices) {
    switch (kind) {
    case ValueKind::none: return "";
    case ValueKind::choice: return "choice " + join(choices, " ");
    case ValueKind::file: return "file";
    case ValueKind::directory: return "directory";
    case ValueKind::path: return "path";
    case ValueKind::dataset: return "dataset";
    case ValueKind::where: return "where";
    case ValueKind::text: return "text";
    }
    return "text";
}

// Single-quoted for POSIX shells and fish: ' becomes '\''.
std::string sh_quote(const std::string& text) {
    std::string out = "'";
    for (char c : text) {
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    }
    return out + "'";
}

constexpr const char* k_bash_helpers =
    R"BASH(_cxrcat_where() { # program cur: a --where term; finding names (any case) from labels --list-findings
    local want=${2//\\/} line name
    COMPREPLY=()
    if [[ ${want,,} == finding.*=* ]]; then
        COMPREPLY=("${want%%=*}=1" "${want%%=*}=0" "${want%%=*}=-1" "${want%%=*}=none")
    elif [[ ${want,,} == finding.* ]]; then
        while IFS= read -r line; do
            name="finding.${line%%$'\t'*}="
            if [[ ${name,,} == "${want,,}"* ]]; then COMPREPLY+=("${name// /\\ }"); fi
        done < <(command "$1" labels --list-findings 2>/dev/null)
        compopt -o nospace 2>/dev/null
    else
        COMPREPLY=($(compgen -W "finding. view= split= sex= labeler=" -- "$want"))
        compopt -o nospace 2>/dev/null
    fi
}

_cxrcat_pick() { # index kind... : the kind of the index-th positional; kind+ repeats
    local n=$1 k
    shift
    for k in "$@"; do
        if [[ $k == *+ ]]; then echo "${k%+}"; return; fi
        if ((n == 0)); then echo "$k"; return; fi
        ((n--))
    done
}

_cxrcat() {
    local cur prev words cword
    if declare -F _get_comp_words_by_ref >/dev/null 2>&1; then
        _get_comp_words_by_ref -n =: cur prev words cword
    else
        words=("${COMP_WORDS[@]}") cword=$COMP_CWORD cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
        if [[ $prev == = && $cword -ge 2 ]]; then prev=${words[cword-2]}; fi
    fi
    local path="" npos=0 i w kind="" catalogs=()
    for ((i = 1; i < cword; i++)); do
        w=${words[i]}
        case $w in
            --catalog) catalogs+=(--catalog "${words[i+1]}") ;;
            --catalog=*) catalogs+=("$w") ;;
        esac
        if [[ $w == -* ]]; then
            if [[ $w != *=* && -n $(_cxrcat_value "$path" "$w") ]]; then ((i++)); fi
            continue
        fi
        if ((npos == 0)) && [[ " $(_cxrcat_subcommands "$path") " == *" $w "* ]]; then
            path="${path:+$path }$w"
            continue
        fi
        ((npos++))
    done
    if [[ $cur == -*=* ]]; then
        kind=$(_cxrcat_value "$path" "${cur%%=*}")
        cur=${cur#*=}
    elif [[ $prev == -* && $prev != *=* ]]; then
        kind=$(_cxrcat_value "$path" "$prev")
    fi
    if [[ -z $kind ]]; then
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W "$(_cxrcat_options "$path")" -- "$cur"))
            return
        fi
        local subcommands=""
        ((npos == 0)) && subcommands=$(_cxrcat_subcommands "$path")
        if [[ -n $subcommands ]]; then
            COMPREPLY=($(compgen -W "$subcommands" -- "$cur"))
            return
        fi
        kind=$(_cxrcat_positional "$path" "$npos")
    fi
    case $kind in
        choice\ *) COMPREPLY=($(compgen -W "${kind#choice }" -- "$cur")) ;;
        dataset) COMPREPLY=($(compgen -W "$(command "${words[0]}" "${catalogs[@]}" list --format ids 2>/dev/null)" -- "$cur")) ;;
        where) _cxrcat_where "${words[0]}" "$cur" ;;
        file | path) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- "$cur")) ;;
        directory) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -d -- "$cur")) ;;
        *) COMPREPLY=() ;;
    esac
}

complete -F _cxrcat cxrcat
)BASH";

} // namespace

std::string bash_completion(const CommandDoc& root) {
    std::string subcommands = "_cxrcat_subcommands() { # path: its subcommands\n    case $1 in\n";
    std::string options = "_cxrcat_options() { # path: every option it accepts\n    case $1 in\n";
    std::string values = "_cxrcat_value() { # path option: what the option's value is (nothing: a flag)\n"
                         "    case \"$1 $2\" in\n";
    std::string positionals = "_cxrcat_positional() { # path index: what the index-th positional is\n"
                              "    case $1 in\n";
    for_each_command(root, [&](const CommandDoc& command) {
        std::string quoted = "\"" + command.path + "\"";
        std::vector<std::string> names;
        for (const auto& sub : command.subcommands) {
            names.push_back(sub.name);
        }
        if (!names.empty()) {
            subcommands += "        " + quoted + ") echo " + sh_quote(join(names, " ")) + " ;;\n";
        }
        std::vector<std::string> option_names;
        for (const OptionDoc* option : all_options(command)) {
            option_names.insert(option_names.end(), option->names.begin(), option->names.end());
            if (option->kind == ValueKind::none) {
                continue;
            }
            for (const auto& name : option->names) {
                values += "        \"" + command.path + " " + name + "\") echo " +
                          sh_quote(bash_kind(option->kind, option->choices)) + " ;;\n";
            }
        }
        options += "        " + quoted + ") echo " + sh_quote(join(option_names, " ")) + " ;;\n";
        if (!command.positionals.empty()) {
            std::vector<std::string> kinds;
            for (const auto& positional : command.positionals) {
                kinds.push_back(
                    sh_quote(bash_kind(positional.kind, positional.choices) + (positional.many ? "+" : "")));
            }
            positionals += "        " + quoted + ") _cxrcat_pick \"$2\" " + join(kinds, " ") + " ;;\n";
        }
    });
    std::string close = "    esac\n}\n\n";
    return "# bash completion for cxrcat. Generated by `cxrcat completion bash` from the command definitions;\n"
           "# do not edit. Enable: source <(cxrcat completion bash), or install it as\n"
           "# /usr/share/bash-completion/completions/cxrcat (cmake --install does).\n\n" +
           subcommands + close + options + close + values + close + positionals + close + k_bash_helpers;
}

namespace {

// Inside a zsh single-quoted _arguments spec: ' closes the quote; [ ] : delimit the spec.
std::string zsh_spec_text(const std::string& text) {
    return replace_chars(text, {{'\'', "'\\''"}, {'[', "\\["}, {']', "\\]"}, {':', "\\:"}, {'\\', "\\\\"}});
}

std::string zsh_action(ValueKind kind, const std::vector<std::string>& choices) {
    switch (kind) {
    case ValueKind::choice: return "(" + join(choices, " ") + ")";
    case ValueKind::file:
    case ValueKind::path: return "_files";
    case ValueKind::directory: return "_files -/";
    case ValueKind::dataset: return "_cxrcat_ids";
    case ValueKind::where: return "_cxrcat_where";
    case ValueKind::none:
    case ValueKind::text: return " ";
    }
    return " ";
}

std::string zsh_function_name(const CommandDoc& command) {
    std::string out = command.path.empty() ? "_cxrcat_command" : "_cxrcat_command_";
    for (char c : command.path) {
        out += (c == ' ' || c == '-') ? '_' : c;
    }
    return out;
}

std::string zsh_option_specs(const CommandDoc& command) {
    std::string out;
    for (const OptionDoc* option : all_options(command)) {
        for (const auto& name : option->names) {
            bool is_long = name.size() > 2;
            std::string spec = (option->repeatable ? "*" : "") + name +
                               (option->kind != ValueKind::none && is_long ? "=" : "") + "[" +
                               zsh_spec_text(option->description) + "]";
            if (option->kind != ValueKind::none) {
                spec += ":" + zsh_spec_text(option->value_name) + ":" + zsh_action(option->kind, option->choices);
            }
            out += " \\\n        '" + spec + "'";
        }
    }
    return out;
}

void zsh_function(const CommandDoc& command, std::string& out) {
    out += zsh_function_name(command) + "() {\n";
    if (command.subcommands.empty()) {
        out += "    _arguments -s" + zsh_option_specs(command);
        for (const auto& positional : command.positionals) {
            // "*:" any number, ":" one required, "::" one optional (zsh _arguments).
            std::string arity = positional.many ? "*:" : (positional.required ? ":" : "::");
            out += " \\\n        '" + arity + zsh_spec_text(positional.name) + ":" +
                   zsh_action(positional.kind, positional.choices) + "'";
        }
        out += "\n}\n\n";
        return;
    }
    out += "    local curcontext=\"$curcontext\" state line\n    _arguments -C -s" + zsh_option_specs(command) +
           " \\\n        ': :->command' \\\n        '*:: :->argument'\n    case $state in\n"
           "    command)\n        local -a subcommands=(";
    for (const auto& sub : command.subcommands) {
        out += "\n            " + sh_quote(sub.name + ":" + sub.description);
    }
    out += ")\n        _describe -t commands 'cxrcat command' subcommands ;;\n    argument)\n"
           "        case $words[1] in\n";
    for (const auto& sub : command.subcommands) {
        out += "        " + sub.name + ") " + zsh_function_name(sub) + " ;;\n";
    }
    out += "        esac ;;\n    esac\n}\n\n";
    for (const auto& sub : command.subcommands) {
        zsh_function(sub, out);
    }
}

// fish: the condition under which a command's options and arguments apply.
std::string fish_condition(const CommandDoc& command) {
    if (command.path.empty()) {
        return "";
    }
    std::string condition = "__fish_seen_subcommand_from " + command.name;
    for (const auto& sub : command.subcommands) {
        condition += "; and not __fish_seen_subcommand_from " + sub.name;
    }
    return condition;
}

std::string fish_value(ValueKind kind, const std::vector<std::string>& choices) {
    switch (kind) {
    case ValueKind::choice: return " -x -a " + sh_quote(join(choices, " "));
    case ValueKind::file:
    case ValueKind::path:
    case ValueKind::directory: return " -r -F";
    case ValueKind::dataset: return " -x -a '(__cxrcat_ids)'";
    case ValueKind::where: return " -x -a '(__cxrcat_where)'";
    case ValueKind::text: return " -x";
    case ValueKind::none: return "";
    }
    return " -x";
}

} // namespace

std::string zsh_completion(const CommandDoc& root) {
    std::string out =
        "#compdef cxrcat\n"
        "# zsh completion for cxrcat. Generated by `cxrcat completion zsh` from the command definitions;\n"
        "# do not edit. Enable: source <(cxrcat completion zsh), or install it as _cxrcat in $fpath\n"
        "# (cmake --install puts it in share/zsh/vendor-completions).\n\n"
        "_cxrcat_ids() {\n"
        "    local -a ids catalogs\n"
        "    local i\n"
        "    for ((i = 2; i < CURRENT; i++)); do\n"
        "        [[ ${words[i]} == --catalog ]] && catalogs+=(--catalog ${words[i+1]})\n"
        "        [[ ${words[i]} == --catalog=* ]] && catalogs+=(${words[i]})\n"
        "    done\n"
        "    ids=(${(f)\"$(command ${words[1]:-cxrcat} $catalogs list --format ids 2>/dev/null)\"})\n"
        "    _wanted datasets expl 'dataset id' compadd -a ids\n"
        "}\n\n"
        "_cxrcat_where() {\n"
        "    local -a names\n"
        "    if [[ $PREFIX == (#i)finding.* ]]; then\n"
        "        names=(${${(f)\"$(command cxrcat labels --list-findings 2>/dev/null)\"}%%$'\\t'*})\n"
        "        compadd -M 'm:{a-zA-Z}={A-Za-z}' -S '=' -- ${names/#/finding.}\n"
        "    else\n"
        "        compadd -S '' -- finding. view= split= sex= labeler=\n"
        "    fi\n"
        "}\n\n";
    zsh_function(root, out);
    out += "if [[ $funcstack[1] == _cxrcat ]]; then\n    _cxrcat_command \"$@\"\nelse\n"
           "    compdef _cxrcat_command cxrcat\nfi\n";
    return out;
}

std::string fish_completion(const CommandDoc& root) {
    std::string out =
        "# fish completion for cxrcat. Generated by `cxrcat completion fish` from the command definitions;\n"
        "# do not edit. Enable: cxrcat completion fish | source, or install it as\n"
        "# share/fish/vendor_completions.d/cxrcat.fish (cmake --install does).\n\n"
        "function __cxrcat_ids\n"
        "    set -l words (commandline -opc)\n"
        "    set -l catalogs\n"
        "    for i in (seq 2 (count $words))\n"
        "        if test \"$words[$i]\" = --catalog; and test $i -lt (count $words)\n"
        "            set -a catalogs --catalog $words[(math $i + 1)]\n"
        "        else if string match -q -- '--catalog=*' $words[$i]\n"
        "            set -a catalogs $words[$i]\n"
        "        end\n"
        "    end\n"
        "    command $words[1] $catalogs list --format ids 2>/dev/null\n"
        "end\n\n"
        "function __cxrcat_where\n"
        "    if string match -qi -- 'finding.*' (commandline -ct)\n"
        "        set -l words (commandline -opc)\n"
        "        command $words[1] labels --list-findings 2>/dev/null | string replace -r '\\t.*' '' |\n"
        "            string replace -r '(.*)' 'finding.$1='\n"
        "    else\n"
        "        printf '%s\\n' finding. view= split= sex= labeler=\n"
        "    end\n"
        "end\n\n"
        "complete -c cxrcat -f\n";
    for_each_command(root, [&](const CommandDoc& command) {
        std::string condition = fish_condition(command);
        std::string when = condition.empty() ? "" : " -n " + sh_quote(condition);
        if (command.path.empty()) {
            when = " -n '__fish_use_subcommand'";
        }
        for (const auto& sub : command.subcommands) {
            out +=
                "complete -c cxrcat" + when + " -a " + sh_quote(sub.name) + " -d " + sh_quote(sub.description) + "\n";
        }
        for (const auto& option : command.options) {
            std::string names;
            for (const auto& name : option.names) {
                names += (name.size() == 2 ? " -s " + name.substr(1) : " -l " + name.substr(2));
            }
            // The program's own options are accepted after any subcommand too (CLI11 fallthrough).
            std::string option_when = command.path.empty() ? "" : when;
            out += "complete -c cxrcat" + option_when + names + fish_value(option.kind, option.choices) + " -d " +
                   sh_quote(option.description) + "\n";
        }
        for (const auto& positional : command.positionals) {
            if (positional.kind == ValueKind::dataset) {
                out += "complete -c cxrcat" + when + " -a '(__cxrcat_ids)'\n";
            } else if (positional.kind == ValueKind::choice) {
                out += "complete -c cxrcat" + when + " -a " + sh_quote(join(positional.choices, " ")) + "\n";
            } else if (positional.kind != ValueKind::text) {
                out += "complete -c cxrcat" + when + " -F\n";
            }
        }
    });
    return out;
}

} // namespace cxrcat::cli
