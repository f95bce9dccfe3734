#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The generated man page: groff -ww reports no warning, man -l renders it, and it documents every
# command and option that --help shows, the exit codes, environment and files.
# Usage: test_man_page.sh CXRCAT_BINARY MAN_PAGE
set -uo pipefail
binary=$1 page=$2
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
warnings=$(groff -ww -z -man -Tutf8 "$page" 2>&1)
[[ -z $warnings ]] && echo "ok: groff -ww reports no warnings" || fail "groff -ww warnings: $warnings"
rendered=$(MANWIDTH=100 MANPAGER=cat PAGER=cat man -l "$page" 2>&1) || fail "man -l failed: $rendered"
for section in NAME SYNOPSIS DESCRIPTION OPTIONS COMMANDS "EXIT STATUS" ENVIRONMENT FILES; do
    grep -q "^$section" <<<"$rendered" || fail "no $section section"
done
for code in 0 1 2 3 4 5 6 7 8 9; do
    grep -qE "^ +$code\b" <<<"$rendered" || fail "exit code $code is not documented"
done
for variable in CXRCAT_HOME CXRCAT_CATALOG CXRCAT_MIRRORS HF_TOKEN KAGGLE_API_TOKEN CURL_CA_BUNDLE; do
    grep -q "$variable" <<<"$rendered" || fail "$variable is not documented"
done
grep -q "accepted-terms.json" <<<"$rendered" || fail "the accepted-terms file is not documented"
# Every command --help lists, and every option of each, is in the page (they come from one definition).
commands=$("$binary" --help | awk '/^Subcommands:/{on=1; next} /^$/{on=0} on && /^  [a-z]/{print $1}')
[[ -n $commands ]] || fail "could not read the commands from cxrcat --help"
for command in $commands; do
    grep -q "cxrcat $command" <<<"$rendered" || fail "command $command is not in the man page"
    for option in $("$binary" "$command" --help | grep -E '^  -' | sed -E 's/^ +(-[a-z],)?(--[a-z][a-z-]*).*/\2/'); do
        grep -qF -- "$option" <<<"$rendered" || fail "$command $option is not in the man page"
    done
done
echo "checked $(wc -w <<<"$commands") commands; $failures failures"
((failures == 0))
