#!/bin/sh
# run_iam_args.sh CTLC SPEC: `ctlc iam` refuses a region, account or
# partition that would widen the grant or name no real place (status 2, an
# error naming the value, nothing on stdout), and writes the partition a
# region implies when only the region is given.
set -u
ctlc=$1 spec=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
refused() { # refused EXPECTED-MESSAGE ARGS...
    want=$1
    shift
    "$ctlc" iam "$@" "$spec" >"$tmp/out" 2>"$tmp/err"
    status=$?
    if [ "$status" -ne 2 ] || [ -s "$tmp/out" ] || ! grep -qF -e "$want" "$tmp/err"; then
        echo "FAIL: ctlc iam $*: status $status (want 2), stderr:"
        cat "$tmp/err"
        failures=$((failures + 1))
    fi
}
refused "--region '*' is not a region name" --region '*'
refused "--region 'us-east-1:111122223333:function:*' is not a region name" \
    --region 'us-east-1:111122223333:function:*'
refused "--region 'US-EAST-1' is not a region name" --region US-EAST-1
refused "--region 'us-east' is not a region name" --region us-east
refused "--account '*' is not a 12-digit AWS account ID" --account '*'
refused "--account '12345678901' is not a 12-digit AWS account ID" --account 12345678901
refused "--account '1234567890123' is not a 12-digit AWS account ID" --account 1234567890123
refused "--partition '*' is not an AWS partition" --partition '*'
refused "--partition 'aws:lambda' is not an AWS partition" --partition aws:lambda
refused "region 'cn-north-1' is in partition 'aws-cn', not 'aws'" --region cn-north-1 --partition aws
refused "region 'us-east-1' is in partition 'aws', not 'aws-us-gov'" --region us-east-1 --partition aws-us-gov
refused "--idempotency-table 'table/*': a DynamoDB table name is 3..255 characters" --idempotency-table 'table/*'
refused "--idempotency-table 'x': a DynamoDB table name" --idempotency-table x

implied() { # implied REGION PARTITION: the ARNs carry PARTITION
    "$ctlc" iam --region "$1" --account 111122223333 "$spec" >"$tmp/out" 2>"$tmp/err"
    status=$?
    if [ "$status" -ne 0 ] || ! grep -q "\"arn:$2:lambda:$1:111122223333:function:" "$tmp/out" ||
        grep -q 'AWS::Partition' "$tmp/out"; then
        echo "FAIL: --region $1 should give partition $2 (status $status):"
        head -n 20 "$tmp/out" "$tmp/err"
        failures=$((failures + 1))
    fi
}
implied eu-west-3 aws
implied cn-northwest-1 aws-cn
implied us-gov-west-1 aws-us-gov
implied us-iso-east-1 aws-iso
implied us-isob-east-1 aws-iso-b
[ "$failures" -eq 0 ] || exit 1
echo "ok: bad regions, accounts and partitions refused; partitions implied by regions"
