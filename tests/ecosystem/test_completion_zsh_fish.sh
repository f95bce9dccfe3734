#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The generated zsh and fish scripts: zsh parses its script (zsh -n); fish loads its script and answers
# real completion queries (complete -C), including dataset ids from the running binary.
# Usage: test_completion_zsh_fish.sh CXRCAT_BINARY ZSH_SCRIPT FISH_SCRIPT
set -uo pipefail
binary=$(realpath "$1") zsh_script=$(realpath "$2") fish_script=$(realpath "$3")
failures=0
for shell in zsh fish; do
    if ! command -v "$shell" >/dev/null; then
        echo "FAIL: $shell is not installed (scripts/install-deps --test installs it)"
        exit 1
    fi
done
if zsh -n "$zsh_script"; then echo "ok: zsh -n accepts the zsh script"; else echo "FAIL: zsh -n"; failures=$((failures + 1)); fi
for name in _cxrcat_command _cxrcat_command_list _cxrcat_command_mirror_export _cxrcat_ids _cxrcat_where; do
    if ! grep -q "^$name() {" "$zsh_script"; then echo "FAIL: zsh script lacks $name"; failures=$((failures + 1)); fi
done
if ! grep -q "'\*--modality=\[Only this modality (repeatable)\]:cxr|ct|mri:(cxr ct mri)'" "$zsh_script"; then
    echo "FAIL: zsh script: --modality is not completed with its values"
    failures=$((failures + 1))
fi
if ! grep -q "'\*--where=\[.*\]:FIELD=VALUE:_cxrcat_where'" "$zsh_script"; then
    echo "FAIL: zsh script: --where is not completed by _cxrcat_where"
    failures=$((failures + 1))
fi

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/bin"
ln -s "$(realpath "$binary")" "$scratch/bin/cxrcat"
export PATH="$scratch/bin:$PATH" HOME="$scratch/home" XDG_CONFIG_HOME="$scratch/config" XDG_DATA_HOME="$scratch/data"
fish_complete() { # LINE: the candidates fish offers (first column), sorted, one line
    fish --no-config -c "source '$fish_script'; complete -C '$1'" | cut -f1 | sort | tr '\n' ' ' | sed 's/ $//'
}
expect_fish() {
    local got
    got=$(fish_complete "$1")
    if [[ $got != "$2" ]]; then
        echo "FAIL: fish '$1<TAB>' offered [$got], expected [$2]"
        failures=$((failures + 1))
    else
        echo "ok: fish '$1<TAB>' -> $got"
    fi
}
expect_fish "cxrcat fe" "fetch"
expect_fish "cxrcat fetch js" "jsrt"
expect_fish "cxrcat list --modality c" "ct cxr"
expect_fish "cxrcat catalog v" "validate"
expect_fish "cxrcat fetch mimic-cxr-jpg --where finding.Pneumo" "finding.Pneumonia= finding.Pneumothorax="
expect_fish "cxrcat labels nih-cxr14 --where sp" "split="
echo "$failures failures"
((failures == 0))
