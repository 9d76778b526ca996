#!/bin/sh
# run_doc_examples.sh CTLC CTL_ECHO NPM_PREFIX: the example events in the
# Markdown of `ctlc doc` validate against `ctlc schema`'s schemas (leedz,
# alltypes, and ok_lambda_settings and ok_destinations for the extension
# keywords), and ctl_echo
# accepts those of alltypes.
set -eu
ctlc=$1 echo_bin=$2 npm=$3
here=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for spec in "$here/../../specs/leedz.ctl" "$here/../gen/alltypes.ctl" "$here/../cases/ok_lambda_settings.ctl" \
            "$here/../cases/ok_destinations.ctl"; do
    name=$(basename "$spec" .ctl)
    mkdir -p "$out/$name"
    "$ctlc" doc -o "$out/$name" "$spec"
    "$ctlc" schema -o "$out/$name" "$spec"
done
node "$here/doc_examples.mjs" "$npm" "$out/leedz/leedz.md" "$out/leedz" ""
node "$here/doc_examples.mjs" "$npm" "$out/alltypes/alltypes.md" "$out/alltypes" "$echo_bin"
node "$here/doc_examples.mjs" "$npm" "$out/ok_lambda_settings/ok_lambda_settings.md" "$out/ok_lambda_settings" ""
node "$here/doc_examples.mjs" "$npm" "$out/ok_destinations/ok_destinations.md" "$out/ok_destinations" ""
