#!/bin/sh
# run.sh CTLC NAME [both-ways]: one golden test of `ctlc diff`.
#
# A case is the folder cases/NAME: old.ctl, new.ctl (and whatever they
# import), optionally `args` (options put before the two files) or `cmd`
# (the whole argument list, for usage errors), and `expected`: the
# transcript of `ctlc diff`, stdout and stderr, then the exit status. It is
# run from inside the folder, so paths in the output are relative. With
# CTL_BLESS=1 the transcript is written to `expected` instead, for a person
# to review with `git diff`.
#
# With `both-ways` the case (one without `cmd`) is run again with
# --both-ways added, against `expected-both-ways`: every rule is then seen
# in both directions.
set -u
ctlc=$1
name=$2
mode=${3:-}
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../golden.sh"
cd "$here/cases/$name" || exit 2
expected=expected
if [ -f cmd ]; then
    argv=$(cat cmd)
else
    argv="$(cat args 2>/dev/null) old.ctl new.ctl"
    argv=${argv# }
fi
if [ "$mode" = both-ways ]; then
    argv="--both-ways $argv"
    expected=expected-both-ways
fi
actual=$(mktemp)
trap 'rm -f "$actual"' EXIT
{
    echo "\$ ctlc diff $argv"
    # shellcheck disable=SC2086
    "$ctlc" diff $argv 2>&1
    echo "[exit $?]"
} >"$actual"

golden_check "$actual" "$expected" "$name" tests/diff/bless.sh
