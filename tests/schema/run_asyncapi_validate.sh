#!/bin/sh
# run_asyncapi_validate.sh CTLC ASYNCAPI_BIN SPEC: `ctlc asyncapi` on SPEC,
# then `asyncapi validate` (npm @asyncapi/cli) on the document. A first line
# `// ctlc: ARGS` in SPEC passes its -I options, as tests/run_case.sh does.
# SPEC "--broken" instead checks that the validator rejects a broken
# document, so that a validator that passes everything cannot go unnoticed.
set -eu
ctlc=$1 asyncapi=$2 spec=$3
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# The CLI keeps its settings under HOME and sends usage metrics over the
# network unless its analytics file says otherwise: give it one that does.
export HOME="$out" ASYNCAPI_METRICS_CONFIG_PATH="$out/.asyncapi-analytics"
printf '{"analyticsEnabled":"false","infoMessageShown":"true","userID":"ctl-tests"}\n' >"$ASYNCAPI_METRICS_CONFIG_PATH"
[ -x "$asyncapi" ] || { echo "FAIL: no AsyncAPI CLI at $asyncapi (fixture asyncapi/npm_setup)"; exit 1; }
if [ "$spec" = --broken ]; then
    printf '{"asyncapi":"3.0.0","info":{"title":"x"},"operations":{"o":{"action":"receive"}}}\n' >"$out/doc.json"
    if "$asyncapi" validate "$out/doc.json" >"$out/log" 2>&1; then
        cat "$out/log"
        echo "FAIL: asyncapi validate accepted a document without info.version and channel"
        exit 1
    fi
    grep -q "error" "$out/log" || { cat "$out/log"; echo "FAIL: the CLI failed without reporting errors"; exit 1; }
    echo "the broken document is rejected, as it should be:"
    grep "error" "$out/log" | head -5
    exit 0
fi
cd "$(dirname "$spec")"
args=""
first=$(head -n 1 "$spec")
case $first in
"// ctlc:"*)
    take=0
    for a in ${first#// ctlc:}; do
        if [ $take = 1 ]; then
            args="$args -I $a"
            take=0
        fi
        case $a in -I) take=1 ;; -I*) args="$args $a" ;; esac
    done
    ;;
esac
# shellcheck disable=SC2086
"$ctlc" asyncapi $args -o "$out/doc.json" "$(basename "$spec")"
"$asyncapi" validate "$out/doc.json" --fail-severity error >"$out/log" 2>&1 || {
    cat "$out/log"
    echo "FAIL: asyncapi validate rejects the document of $spec"
    exit 1
}
grep -i "valid" "$out/log" | head -3
