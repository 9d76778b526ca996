#!/bin/sh
# error_types.sh SRC README: runtime/README.md's table of errorTypes lists
# every errorType the runtime's sources name (ctl.*, and the Lambda types
# Sandbox.* and Runtime.* that serve gives), and the scaffold's
# NotImplemented; and names none that no source gives.
set -eu
src=$1
readme=$2
table=$(sed -n '/^## Errors a caller sees/,/^## Stubs/p' "$readme")
status=0
types=$(grep -rhoE '(ctl|Sandbox|Runtime)\.[A-Z][A-Za-z]+' "$src" | sort -u)
for t in $types NotImplemented Unhandled; do
    if ! printf '%s\n' "$table" | grep -qF "\`$t\`"; then
        echo "FAIL: $t is not in the errorType table of $readme"
        status=1
    fi
done
for t in $(printf '%s\n' "$table" | grep -oE '`(ctl|Sandbox|Runtime)\.[A-Z][A-Za-z]+`' | tr -d '`' | sort -u); do
    if ! printf '%s\n' "$types" | grep -qxF "$t"; then
        echo "FAIL: the table lists $t, which no source gives"
        status=1
    fi
done
[ $status = 0 ] && echo "every errorType of the sources is in the table: $(echo $types | wc -w) of them"
exit $status
