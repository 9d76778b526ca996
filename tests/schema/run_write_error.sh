#!/bin/sh
# run_write_error.sh CTLC SPEC: a file that cannot be written is an error
# said once, with exit status 2, for every command that writes into -o DIR.
# The files are links to /dev/full, which takes the open and the buffered
# write and fails only when the stream is flushed at fclose(): the path where
# ctlc once closed the stream a second time (a double free under ASan).
set -u
ctlc=$1 spec=$2
[ -w /dev/full ] || { echo "SKIP: no writable /dev/full on this machine"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
check() { # check KIND FILE: `ctlc KIND -o $tmp/KIND SPEC` with FILE linked to /dev/full
    kind=$1 file=$2
    mkdir -p "$tmp/$kind"
    ln -s /dev/full "$tmp/$kind/$file"
    "$ctlc" "$kind" -o "$tmp/$kind" "$spec" >"$tmp/out" 2>"$tmp/err"
    status=$?
    if [ "$status" -ne 2 ]; then
        echo "FAIL: ctlc $kind exited $status, not 2"
        failures=$((failures + 1))
    fi
    if ! grep -q "^ctlc: error: cannot write '$tmp/$kind/$file': No space left on device\$" "$tmp/err" ||
        [ "$(grep -c 'cannot write' "$tmp/err")" -ne 1 ]; then
        echo "FAIL: ctlc $kind did not report the full disk once:"
        cat "$tmp/err"
        failures=$((failures + 1))
    fi
}
check schema db.schema.json
check doc ok_client_uses.md
check iam one.policy.json
[ "$failures" -eq 0 ] || exit 1
echo "ok: schema, doc and iam report an unwritable file once, with status 2"
