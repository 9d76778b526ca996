#!/bin/sh
# run_stdout_error.sh CTLC ROOT: every command that prints to stdout
# notices when the output does not arrive (stdout is /dev/full), says so,
# and exits 2. fmt used to exit 0 there: its fwrite() failed, and the final
# fflush() had nothing left to flush.
set -u
ctlc=$1 root=$2
[ -w /dev/full ] || { echo "SKIP: no writable /dev/full on this machine"; exit 77; }
err=$(mktemp)
trap 'rm -f "$err"' EXIT
cd "$root" || exit 2
failures=0
evolution=tests/diff/cases/leedz_evolution
while IFS= read -r args; do
    # shellcheck disable=SC2086
    "$ctlc" $args >/dev/full 2>"$err"
    status=$?
    if [ "$status" -ne 2 ] ||
        ! grep -qx 'ctlc: error: cannot write to standard output: No space left on device' "$err"; then
        echo "FAIL: ctlc $args >/dev/full: status $status (want 2), stderr:"
        cat "$err"
        failures=$((failures + 1))
    fi
done <<EOF_ARGS
fmt specs/leedz.ctl
fmt --help
diff $evolution/old.ctl $evolution/new.ctl
diff --json $evolution/old.ctl $evolution/new.ctl
diff --help
iam specs/leedz.ctl
asyncapi specs/leedz.ctl
dump specs/leedz.ctl
--help
--version
EOF_ARGS
[ "$failures" -eq 0 ] || exit 1
echo "ok: a full stdout is an error for every command"
