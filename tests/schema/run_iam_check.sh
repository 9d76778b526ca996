#!/bin/sh
# run_iam_check.sh CTLC SPEC: the policies of `ctlc iam` parse and grant
# exactly what the spec's `uses` lists, destinations and @idempotent
# functions need (iam_check.py reads the spec itself), with the default
# idempotency table and a given one.
set -eu
ctlc=$1 spec=$2
here=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$ctlc" iam "$spec" >"$out/vars.json"
"$ctlc" iam --region us-gov-west-1 --account 111122223333 --partition aws-us-gov --idempotency-table shared.Idem-1 \
    "$spec" >"$out/given.json"
mkdir "$out/dir"
"$ctlc" iam --region us-east-1 --account 111122223333 -o "$out/dir" "$spec"
python3 "$here/iam_check.py" "$spec" "$out/vars.json" '${AWS::Partition}' '${AWS::Region}' '${AWS::AccountId}'
python3 "$here/iam_check.py" "$spec" "$out/given.json" aws-us-gov us-gov-west-1 111122223333 shared.Idem-1
python3 "$here/iam_check.py" "$spec" "$out/dir" aws us-east-1 111122223333
