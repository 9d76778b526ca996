#!/bin/sh
# run.sh BUILD_DIR SECONDS [TARGET...]: runs every fuzz target (or the ones
# named) for SECONDS each, one after another (a single job each: no -jobs,
# no -fork), and prints libFuzzer's summary of each.
#   fuzz_frontend         seeded with every spec in the repository
#   fuzz_dispatch         seeded with tests/fuzz/seeds/dispatch, the
#   fuzz_dispatch_struct  reproducers in tests/fuzz/crashes and, when the
#   fuzz_reader_diff      folder exists, tests/events/*.json
#   fuzz_sigv4_verify     seeded with tests/fuzz/seeds/sigv4 (signed requests)
#   fuzz_journal          seeded with tests/fuzz/seeds/journal (journal files)
#   fuzz_rtapi_http       seeded with tests/fuzz/seeds/rtapi_http (Runtime API
#                         answers, each after its byte of piece size)
#   fuzz_lsp              seeded with tests/fuzz/seeds/lsp (ctlc lsp sessions)
# Exits non-zero when any target finds a crash, leak, timeout, sanitizer
# report or violated invariant; the input is left in BUILD_DIR/fuzz-artifacts
# and the log in BUILD_DIR/fuzz-TARGET.log (fuzz.log for the front end).
# FUZZ_FLAGS adds libFuzzer flags to every run.
set -eu
build=$(cd "$1" && pwd)
seconds=$2
shift 2
targets=${*:-fuzz_frontend fuzz_dispatch fuzz_dispatch_struct fuzz_reader_diff fuzz_sigv4_verify fuzz_journal fuzz_rtapi_http fuzz_lsp}
top=$(cd "$(dirname "$0")/../.." && pwd)
here=$top/tests/fuzz
artifacts=$build/fuzz-artifacts
mkdir -p "$artifacts"

corpus=$build/fuzz-corpus
mkdir -p "$corpus"
find "$top/specs" "$top/tests/cases" "$top/examples" -name '*.ctl' -type f 2>/dev/null |
    while read -r f; do cp "$f" "$corpus/seed-$(echo "$f" | cksum | cut -d' ' -f1).ctl"; done

# The dispatch targets take JSON events: they share one corpus.
events=$build/fuzz-corpus-dispatch
mkdir -p "$events"
for f in "$here"/seeds/dispatch/*.json "$here"/crashes/*.json "$top"/tests/events/*.json; do
    if [ -f "$f" ]; then cp "$f" "$events/seed-$(echo "$f" | cksum | cut -d' ' -f1).json"; fi
done

sigv4=$build/fuzz-corpus-sigv4
mkdir -p "$sigv4"
cp "$here"/seeds/sigv4/* "$sigv4/"

journal=$build/fuzz-corpus-journal
mkdir -p "$journal"
cp "$here"/seeds/journal/* "$journal/"

rtapi_http=$build/fuzz-corpus-rtapi_http
mkdir -p "$rtapi_http"
cp "$here"/seeds/rtapi_http/* "$rtapi_http/"

lsp=$build/fuzz-corpus-lsp
mkdir -p "$lsp"
cp "$here"/seeds/lsp/* "$lsp/"

# Imports in fuzz inputs resolve against the working folder: keep it empty.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

status=0
# run TARGET LOG CORPUS DICT MAX_LEN
run() {
    case " $targets " in *" $1 "*) ;; *) return 0 ;; esac
    echo "== $1: ${seconds}s"
    rc=0
    # shellcheck disable=SC2086
    "$build/tests/fuzz/$1" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 \
        -max_len="$5" -dict="$4" -artifact_prefix="$artifacts/$1-" -print_final_stats=1 \
        ${FUZZ_FLAGS:-} "$3" >"$2" 2>&1 || rc=$?
    grep -E '^(==[0-9]+==|SUMMARY|==dispatch_check==|==fuzz_reader_diff==|==rtapi_http_check==|artifact_prefix|Test unit written)' "$2" | head -n 20 || true
    grep -E '^fuzz_reader_diff: ' "$2" || true
    grep -E '^(#[0-9]+[[:space:]]+DONE|stat::)' "$2" || tail -n 25 "$2"
    if [ "$rc" -ne 0 ]; then
        echo "== $1 FAILED (exit $rc); see $2"
        status=1
    fi
}
run fuzz_frontend "$build/fuzz.log" "$corpus" "$here/ctl.dict" 65536
run fuzz_dispatch "$build/fuzz-fuzz_dispatch.log" "$events" "$here/json.dict" 16384
run fuzz_dispatch_struct "$build/fuzz-fuzz_dispatch_struct.log" "$events" "$here/json.dict" 16384
run fuzz_reader_diff "$build/fuzz-fuzz_reader_diff.log" "$events" "$here/json.dict" 16384
run fuzz_sigv4_verify "$build/fuzz-fuzz_sigv4_verify.log" "$sigv4" "$here/sigv4.dict" 8192
run fuzz_journal "$build/fuzz-fuzz_journal.log" "$journal" "$here/journal.dict" 8192
run fuzz_rtapi_http "$build/fuzz-fuzz_rtapi_http.log" "$rtapi_http" "$here/rtapi_http.dict" 16384
run fuzz_lsp "$build/fuzz-fuzz_lsp.log" "$lsp" "$here/lsp.dict" 65536
exit $status
