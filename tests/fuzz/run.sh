#!/bin/sh
# run.sh BUILD_DIR SECONDS: fuzz the front end for SECONDS, seeded with every
# spec in the repository. Prints libFuzzer's summary; exits non-zero on a
# crash, leak or sanitizer report (the crashing input is left in BUILD_DIR).
set -eu
build=$1
seconds=$2
top=$(cd "$(dirname "$0")/../.." && pwd)
corpus=$build/fuzz-corpus
mkdir -p "$corpus" "$build/fuzz-artifacts"
find "$top/specs" "$top/tests/cases" "$top/examples" -name '*.ctl' -type f 2>/dev/null |
    while read -r f; do cp "$f" "$corpus/seed-$(echo "$f" | cksum | cut -d' ' -f1).ctl"; done
# Imports in fuzz inputs resolve against the working folder: keep it empty.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
status=0
"$build/tests/fuzz/fuzz_frontend" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 \
    -max_len=65536 -dict="$top/tests/fuzz/ctl.dict" -artifact_prefix="$build/fuzz-artifacts/" \
    -print_final_stats=1 "$corpus" >"$build/fuzz.log" 2>&1 || status=$?
tail -n 25 "$build/fuzz.log"
exit $status
