#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The generated bash completion in a real bash with the bash-completion package: COMP_WORDS/COMP_LINE
# are set as readline sets them, _cxrcat runs, and COMPREPLY must hold what a user would be offered.
# Usage: test_completion_bash.sh CXRCAT_BINARY COMPLETION_SCRIPT FIXTURES_DIR
set -uo pipefail
binary=$(realpath "$1") script=$(realpath "$2") fixtures=$(realpath "$3")
if [[ ! -r /usr/share/bash-completion/bash_completion ]]; then
    echo "bash-completion is not installed (scripts/install-deps --test installs it)"
    exit 1
fi
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/bin" "$scratch/work/mirror-dir"
ln -s "$(realpath "$binary")" "$scratch/bin/cxrcat"
export PATH="$scratch/bin:$PATH" HOME="$scratch/home" CXRCAT_HOME="$scratch/data" XDG_CONFIG_HOME="$scratch/config"
unset CXRCAT_CATALOG
cd "$scratch/work" || exit 1
# shellcheck disable=SC1091
source /usr/share/bash-completion/bash_completion
# shellcheck disable=SC1090
source "$script"

failures=0
# complete LINE: what <TAB> at the end of LINE offers, sorted, one line.
complete_line() {
    COMP_LINE=$1
    COMP_POINT=${#COMP_LINE}
    # readline breaks words at = as well (COMP_WORDBREAKS); bash-completion joins them back with -n =
    read -r -a COMP_WORDS <<<"${COMP_LINE//=/ = }"
    if [[ $COMP_LINE == *" " ]]; then COMP_WORDS+=(""); fi
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMPREPLY=()
    _cxrcat cxrcat "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
    printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' ' | sed 's/ $//'
}
expect() { # LINE EXPECTED
    local got
    got=$(complete_line "$1")
    if [[ $got != "$2" ]]; then
        echo "FAIL: '$1<TAB>' offered [$got], expected [$2]"
        failures=$((failures + 1))
    else
        echo "ok: '$1<TAB>' -> $got"
    fi
}
expect_contains() { # LINE WORD...
    local got word line=$1
    shift
    got=" $(complete_line "$line") "
    for word in "$@"; do
        if [[ $got != *" $word "* ]]; then
            echo "FAIL: '$line<TAB>' offered [$got], which lacks $word"
            failures=$((failures + 1))
            return
        fi
    done
    echo "ok: '$line<TAB>' offers $*"
}

expect "cxrcat fe" "fetch"
expect "cxrcat fetch js" "jsrt"
expect "cxrcat fetch jsrt mont" "montgomery"
expect "cxrcat show lun" "luna16 luna25"
expect "cxrcat list --modality " "ct cxr mri"
expect "cxrcat list --modality c" "ct cxr"
expect "cxrcat list --format=js" "json jsonl"
expect "cxrcat list --format jsonl --sort s" "size"
expect "cxrcat fetch --progress " "auto bar json none"
expect "cxrcat catalog v" "validate"
expect "cxrcat mirror e" "export"
expect "cxrcat mirror export mirror" "mirror-dir"
expect "cxrcat mirror export mirror-dir mont" "montgomery"
expect "cxrcat completion " "bash fish zsh"
expect "cxrcat search pneumo" ""
expect "cxrcat --catalog $fixtures/catalogs/minimal/lab-cxr.json show lab" "lab-cxr"
CXRCAT_CATALOG="$fixtures/catalogs/minimal/lab-cxr.json" expect "cxrcat fetch lab" "lab-cxr"
expect "cxrcat -q fetch --dry-run js" "jsrt"
expect "cxrcat fetch -j 4 js" "jsrt"
# --where: the label fields, then finding names from `cxrcat labels --list-findings` (any case; a
# name's spaces escaped), then a finding's values.
expect "cxrcat plan mimic-cxr-jpg --where " "finding. labeler= sex= split= view="
expect "cxrcat fetch mimic-cxr-jpg --where finding.Pneumo" "finding.Pneumonia= finding.Pneumothorax="
expect "cxrcat labels nih-cxr14 --where finding.pleural" 'finding.Pleural\ Effusion= finding.Pleural\ Other= finding.Pleural\ Thickening='
expect_contains "cxrcat fetch mimic-cxr-jpg --where finding.Edema=" "finding.Edema=1" "finding.Edema=-1" "finding.Edema=none"
expect_contains "cxrcat fetch --" --dry-run --include --from --jobs --accept-terms --catalog --quiet --help
expect_contains "cxrcat " list show search fetch verify check doctor sync completion
expect_contains "cxrcat --" --catalog --quiet --verbose --version --help
# The hidden manpage command is not offered.
if [[ " $(complete_line "cxrcat ") " == *" manpage "* ]]; then
    echo "FAIL: the hidden manpage command is offered"
    failures=$((failures + 1))
fi
echo "$failures failures"
((failures == 0))
