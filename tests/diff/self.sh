#!/bin/sh
# self.sh CTLC ROOT: `ctlc diff` of every valid spec of the repository
# (specs/ and tests/cases/ok_*) against itself, and against its formatted
# copy, must find nothing and exit 0: matching is complete, and layout,
# comments and order of declarations are not on the wire.
set -u
ctlc=$1
root=$(cd "$2" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
count=0 failures=0
fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}
for spec in "$root"/specs/*.ctl "$root"/tests/cases/ok_*.ctl; do
    dir=$(dirname "$spec") base=$(basename "$spec")
    args=$(head -n 1 "$spec" | sed -n 's|^// ctlc: ||p')
    case "$args" in *.ctl*) continue ;; esac   # a case of several root specs
    # shellcheck disable=SC2086
    (cd "$dir" && "$ctlc" check $args "$base" >/dev/null 2>&1) || continue
    count=$((count + 1))
    # shellcheck disable=SC2086
    (cd "$dir" && "$ctlc" diff --both-ways $args "$base" "$base" >"$tmp/out" 2>&1)
    status=$?
    [ "$status" -eq 0 ] && [ ! -s "$tmp/out" ] || { fail "$base against itself: exit $status"; cat "$tmp/out" >&2; }
    # The formatted copy goes beside the spec in a private copy of its
    # folder, so that both resolve their imports to the same files.
    mirror=$tmp/$(echo "$dir" | cksum | cut -d' ' -f1)
    [ -d "$mirror" ] || cp -R "$dir" "$mirror"
    "$ctlc" fmt "$spec" >"$mirror/formatted-copy.ctl" 2>/dev/null || { fail "$base does not format"; continue; }
    # shellcheck disable=SC2086
    (cd "$mirror" && "$ctlc" diff --both-ways $args "$base" formatted-copy.ctl >"$tmp/out" 2>&1)
    status=$?
    [ "$status" -eq 0 ] && [ ! -s "$tmp/out" ] || { fail "$base against its formatted copy: exit $status"; cat "$tmp/out" >&2; }
done
echo "$count specs, $failures failures"
[ "$count" -gt 50 ] || { echo "FAIL: expected 50+ valid specs, found $count" >&2; exit 1; }
[ "$failures" -eq 0 ]
