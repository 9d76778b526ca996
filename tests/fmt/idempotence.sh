#!/bin/sh
# idempotence.sh CTLC ROOT: `ctlc fmt` over every .ctl file of the repository.
#
# For each file: fmt(fmt(x)) must equal fmt(x); a file fmt refuses must be
# one `ctlc check` rejects too; and the formatted file must mean the same:
# `ctlc dump` of it equals `ctlc dump` of the original, or, for a file that
# does not check, it gets the same diagnostics less their places. The
# formatted files are written into a mirror of the tree (so imports resolve
# the same way, to formatted imports), never into the source tree. A first
# line `// ctlc: ARGS` adds ARGS to check and dump, as in tests/cases.
set -u
ctlc=$1
root=$(cd "$2" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mirror=$tmp/mirror
list=$tmp/list
(cd "$root" && find . \( -name '.git' -o -name 'node_modules' -o -path './build*' \) -prune -o -name '*.ctl' -type f -print) | sort >"$list"

total=0 refused=0 failures=0
fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}
args_of() {
    head -n 1 "$1" | sed -n 's|^// ctlc: ||p'
}
# Messages without their FILE:LINE:COL places and source excerpts, sorted.
messages() {
    grep -E '(^ctlc: |: (error|warning|note): )' | sed -E 's/^[^ ]*:[0-9]+:[0-9]+: //' | sort
}

# Pass 1: format into the mirror, check idempotence.
while IFS= read -r rel; do
    total=$((total + 1))
    mkdir -p "$mirror/$(dirname "$rel")"
    if "$ctlc" fmt "$root/$rel" >"$tmp/once" 2>"$tmp/err"; then
        if ! "$ctlc" fmt "$tmp/once" >"$tmp/twice" 2>"$tmp/err2"; then
            fail "$rel: the formatted file does not format again"
            cat "$tmp/err2" >&2
        elif ! cmp -s "$tmp/once" "$tmp/twice"; then
            fail "$rel: fmt is not idempotent"
            diff -u "$tmp/once" "$tmp/twice" | head -n 40 >&2
        fi
        cp "$tmp/once" "$mirror/$rel"
    else
        status=$?
        refused=$((refused + 1))
        [ "$status" -eq 1 ] || fail "$rel: fmt exited $status"
        grep -q ': error: ' "$tmp/err" || fail "$rel: fmt refused the file without an error"
        cp "$root/$rel" "$mirror/$rel"
        dir=$(dirname "$rel") base=$(basename "$rel")
        # shellcheck disable=SC2046
        if (cd "$root/$dir" && "$ctlc" check $(args_of "$base") "$base" >/dev/null 2>&1); then
            fail "$rel: fmt refused a file that checks"
        fi
    fi
done <"$list"

# Folders named like specs (an import of one is an error to reproduce).
(cd "$root" && find . \( -name '.git' -o -name 'node_modules' -o -path './build*' \) -prune -o -name '*.ctl' -type d -print) |
    while IFS= read -r rel; do mkdir -p "$mirror/$rel"; done

# Pass 2: the formatted tree means what the original does.
while IFS= read -r rel; do
    dir=$(dirname "$rel") base=$(basename "$rel")
    args=$(args_of "$root/$rel")
    # shellcheck disable=SC2086
    (cd "$root/$dir" && "$ctlc" dump $args "$base" >"$tmp/d1" 2>"$tmp/e1"); s1=$?
    # shellcheck disable=SC2086
    (cd "$mirror/$dir" && "$ctlc" dump $args "$base" >"$tmp/d2" 2>"$tmp/e2"); s2=$?
    if [ "$s1" -ne "$s2" ]; then
        fail "$rel: dump exits $s1 on the original, $s2 on the formatted file"
    elif ! cmp -s "$tmp/d1" "$tmp/d2"; then
        fail "$rel: the formatted file dumps differently"
        diff -u "$tmp/d1" "$tmp/d2" | head -n 40 >&2
    else
        messages <"$tmp/e1" >"$tmp/m1"
        messages <"$tmp/e2" >"$tmp/m2"
        if ! cmp -s "$tmp/m1" "$tmp/m2"; then
            fail "$rel: the formatted file gets other diagnostics"
            diff -u "$tmp/m1" "$tmp/m2" | head -n 40 >&2
        fi
    fi
done <"$list"

echo "$total files, $refused refused for syntax errors, $failures failures"
[ "$total" -gt 200 ] || { echo "FAIL: expected the repository's 200+ specs, found $total" >&2; exit 1; }
[ "$failures" -eq 0 ]
