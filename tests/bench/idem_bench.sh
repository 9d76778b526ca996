#!/bin/sh
# idem_bench.sh [BUILD_DIR]: what @idempotent adds to an invocation, on each
# store, next to the handler-less dispatch cost measured in the same run,
# and next to Powertools for AWS Lambda (TypeScript)'s idempotency utility
# on the same DynamoDB. One run:
#   1. generates the C of idem_bench.ctl and compiles idem_bench.c against
#      BUILD_DIR's libctl (a Release build, default /tmp/build-bench; built
#      here when missing);
#   2. runs it on the local store (a SQLite file in a scratch folder);
#   3. installs npm's dynalite, @aws-lambda-powertools/idempotency and
#      @aws-sdk/client-dynamodb and lib-dynamodb (BENCH_NPM_DIR, default
#      /tmp/idem-bench-npm, kept between runs), starts dynalite in memory on
#      a free loopback port, creates a table with Powertools' default layout
#      (partition key id; Debian's AWS CLI), and runs idem_bench.c on it,
#      then idem_bench_powertools.mjs (the same three rows in Node).
# Each prints the median microseconds per call of interleaved repetitions:
# plain (no store), once/new (claim + handler + completion), once/dup (a
# completed key's stored result). A benchmark, run by hand: it asserts only
# that each handler ran as often as it should.
# Needs cc, the project's build dependencies, node and npm (the npm
# registry), awscli. Knobs: BENCH_N (calls per batch: 2000 on SQLite, a
# tenth of it on dynalite), BENCH_REPS (7).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
build=${1:-/tmp/build-bench}
cc=${CC:-cc}
n=${BENCH_N:-2000}
nd=$((n / 10))
reps=${BENCH_REPS:-7}
npmdir=${BENCH_NPM_DIR:-/tmp/idem-bench-npm}

if [ ! -x "$build/gen/ctlc" ] || [ ! -f "$build/runtime/libctl.a" ]; then
    echo "building $repo in $build (Release) ..."
    cmake -S "$repo" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
    ninja -C "$build" ctlc ctl >/dev/null
fi
build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$build/CMakeCache.txt" 2>/dev/null || true)
work=$(mktemp -d "${TMPDIR:-/tmp}/idem_bench.XXXXXX")
dynalite_pid=
trap '[ -z "$dynalite_pid" ] || kill "$dynalite_pid" 2>/dev/null; rm -rf "$work"' EXIT

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')," \
    "$(uname -sr), load average $(cut -d' ' -f1-3 /proc/loadavg) (other work shares the machine)"
echo "libctl: $build (CMAKE_BUILD_TYPE=${build_type:-?}); SQLite $(pkg-config --modversion sqlite3)"
[ "$build_type" = Release ] || echo "NOTE: $build is not a Release build; figures are not comparable"

"$build/gen/ctlc" c -o "$work" "$here/idem_bench.ctl"
$cc -std=c11 -O2 -DNDEBUG -D_XOPEN_SOURCE=700 -Wall -Wextra -Wpedantic -Werror -I"$work" \
    -I"$repo/runtime/include" -I"$build/runtime/include" -o "$work/idem_bench" "$here/idem_bench.c" \
    "$work/idem_bench.ctl.c" "$build/runtime/libctl.a" \
    $(pkg-config --libs libcurl libcjson libcrypto libmicrohttpd sqlite3) -pthread -lm

echo
echo "== ctl, local store (SQLite file, WAL): $n calls per batch, $reps repetitions"
"$work/idem_bench" "sqlite:$work/idem.sqlite" "$n" "$reps" | tee "$work/sqlite.out"

# ---- dynalite ---------------------------------------------------------------------------
sh "$repo/tests/npm_setup.sh" "$npmdir" dynalite@4.0.0 @aws-lambda-powertools/idempotency@2.35.0 \
    @aws-sdk/client-dynamodb@3 @aws-sdk/lib-dynamodb@3 >/dev/null 2>&1
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# Tables active at once (dynalite makes a new one wait 500 ms by default).
node "$npmdir/node_modules/dynalite/cli.js" --host 127.0.0.1 --port "$port" --createTableMs 0 \
    >"$work/dynalite.log" 2>&1 &
dynalite_pid=$!
export AWS_ENDPOINT_URL_DYNAMODB="http://127.0.0.1:$port" AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1 \
    AWS_ACCESS_KEY_ID=AKIDBENCH AWS_SECRET_ACCESS_KEY=bench-secret
unset AWS_SESSION_TOKEN AWS_PROFILE AWS_ENDPOINT_URL || true
i=0
until aws dynamodb create-table --table-name IdempotencyTable --attribute-definitions AttributeName=id,AttributeType=S \
    --key-schema AttributeName=id,KeyType=HASH --billing-mode PAY_PER_REQUEST >/dev/null 2>&1; do
    i=$((i + 1)); [ $i -lt 50 ] || { echo "dynalite did not start:"; cat "$work/dynalite.log"; exit 2; }
    sleep 0.2
done
echo
echo "== ctl, DynamoDB store on dynalite $(node -p "require('$npmdir/node_modules/dynalite/package.json').version") (Node $(node --version), 127.0.0.1:$port): $nd calls per batch, $reps repetitions"
"$work/idem_bench" dynamodb:IdempotencyTable "$nd" "$reps" | tee "$work/ctl-dynamo.out"
echo
echo "== Powertools for AWS Lambda (TypeScript) $(node -p "require('$npmdir/node_modules/@aws-lambda-powertools/idempotency/package.json').version"), the same dynalite: $nd calls per batch, $reps repetitions"
cp "$here/idem_bench_powertools.mjs" "$npmdir/"
(cd "$npmdir" && NODE_NO_WARNINGS=1 node idem_bench_powertools.mjs IdempotencyTable "$nd" "$reps") | tee "$work/pt.out"

# ---- ratios -----------------------------------------------------------------------------
adds() { awk -v row="$2" '$1 == row { print $3 }' "$1"; }
echo
for row in once/new once/dup; do
    c=$(adds "$work/ctl-dynamo.out" "$row")
    p=$(adds "$work/pt.out" "$row")
    echo "$row on dynalite: ctl adds $c us, Powertools adds $p us: Powertools/ctl = $(awk -v c="$c" -v p="$p" 'BEGIN { printf "%.2f", p / c }')"
done
