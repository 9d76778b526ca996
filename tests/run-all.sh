#!/bin/sh
# run-all.sh: install what is missing, build, and run every test:
#   1. gcc build, all CTest tests: front-end golden cases, repository specs,
#      robustness, generated-code goldens, runtime round trips and client,
#      the event corpus, Python interop, an install of the tree; the SigV4
#      signer (official suite, botocore), the Lambda transport and the
#      Runtime API loop against loopback doubles, packaging; `serve` with
#      boto3, awscli and npm's @aws-sdk/client-lambda, its fault tests;
#      ctlc fmt, diff, schema (ajv agreement), asyncapi (@asyncapi/cli
#      validate), doc and iam. npm packages go to build-npm/, shared by
#      both builds (node and npm from NodeSource; the npm registry is used);
#   2. clang build with AddressSanitizer + UndefinedBehaviorSanitizer, the same tests;
#   3. clang libFuzzer build, a short run of every fuzz target (front end,
#      dispatch, structure-aware dispatch, SigV4 verify, serve's journal)
#      (CTL_FUZZ_SECONDS, default 60; 0 skips it).
# Exits non-zero when anything fails.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
sh cmake/install-deps.sh cmake ninja-build gcc clang libclang-rt-14-dev re2c lemon perl libcjson-dev libssl-dev python3 python3-botocore pkg-config \
    libcurl4-openssl-dev openssl zip unzip binutils libmicrohttpd-dev libsqlite3-dev python3-boto3 awscli graphviz vim neovim mypy \
    g++ libsimdjson-dev libjansson-dev libjson-c-dev patch

jobs=$(nproc 2>/dev/null || echo 2)
fuzz_seconds=${CTL_FUZZ_SECONDS:-60}

echo "== gcc build and tests"
cmake -S . -B build -G Ninja -DCMAKE_C_COMPILER=gcc -DCTL_NPM_DIR="$top/build-npm" >/dev/null
cmake --build build -j "$jobs"
ctest --test-dir build -j "$jobs" --output-on-failure

echo "== clang build with ASan and UBSan, same tests"
cmake -S . -B build-asan -G Ninja -DCMAKE_C_COMPILER=clang -DCTL_SANITIZE=ON -DCTL_NPM_DIR="$top/build-npm" \
    -DCMAKE_BUILD_TYPE=Debug >/dev/null
cmake --build build-asan -j "$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --test-dir build-asan -j "$jobs" --output-on-failure

if [ "$fuzz_seconds" -gt 0 ]; then
    echo "== libFuzzer runs, $fuzz_seconds s for each target"
    cmake -S . -B build-fuzz -G Ninja -DCMAKE_C_COMPILER=clang -DCTL_FUZZ=ON -DCTL_TESTS=OFF >/dev/null
    cmake --build build-fuzz -j "$jobs"
    sh tests/fuzz/run.sh "$top/build-fuzz" "$fuzz_seconds"
fi
echo "== all tests passed"
