#!/bin/sh
# run_case.sh CTLC CASE: one golden test of the front end.
#
# Runs `ctlc check` on tests/cases/CASE.ctl (from inside tests/cases, so the
# paths in diagnostics are relative) and, when the check passes, `ctlc dump`
# too. The transcript must equal CASE.expected byte for byte. A first line
# `// ctlc: ARGS` adds ARGS to both commands (e.g. `-I inc --werror`).
# With CTL_BLESS=1 the transcript is written to CASE.expected instead, for a
# person to review with `git diff`.
set -u
ctlc=$1
case_name=$2
here=$(cd "$(dirname "$0")" && pwd)
. "$here/golden.sh"
cd "$here/cases" || exit 2
spec=$case_name.ctl
expected=$case_name.expected
args=$(head -n 1 "$spec" | sed -n 's|^// ctlc: ||p')

actual=$(mktemp)
trap 'rm -f "$actual"' EXIT
{
    echo "\$ ctlc check ${args:+$args }$spec"
    # shellcheck disable=SC2086
    "$ctlc" check $args "$spec" 2>&1
    status=$?
    echo "[exit $status]"
    if [ "$status" -eq 0 ]; then
        echo "\$ ctlc dump ${args:+$args }$spec"
        # shellcheck disable=SC2086
        "$ctlc" dump $args "$spec" 2>&1
        echo "[exit $?]"
    fi
} >"$actual"

golden_check "$actual" "$expected" "$case_name" tests/bless.sh
