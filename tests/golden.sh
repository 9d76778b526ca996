# golden.sh: sourced by the transcript tests (tests/run_case.sh,
# tests/fmt/run.sh, tests/diff/run.sh), which write what a command printed
# to a file and compare it with the reviewed transcript.
#
# golden_check ACTUAL EXPECTED NAME BLESS: under CTL_BLESS=1, copies ACTUAL
# to EXPECTED and exits 0 (review the result with git diff). Otherwise
# EXPECTED must exist (if not: says to run BLESS, prints ACTUAL, exits 1) and
# equal ACTUAL (if not: prints the unified diff, exits 1); returns 0 when it
# does, so the caller may check more.
golden_check() {
    if [ "${CTL_BLESS:-0}" = 1 ]; then
        cp "$1" "$2"
        echo "blessed $2"
        exit 0
    fi
    if [ ! -f "$2" ]; then
        echo "missing $2; run $4 and review the result" >&2
        cat "$1"
        exit 1
    fi
    if ! diff -u "$2" "$1"; then
        echo "FAIL: $3 differs from its expected transcript $2" >&2
        exit 1
    fi
}
