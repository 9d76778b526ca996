#!/bin/sh
# run-demo.sh: install what is missing, build, and run the Leedz demo:
# addLeed done the hand-written synchronous way and the async-controller
# way, side by side, with what the helpers did (see examples/leedz/demo.c).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
sh cmake/install-deps.sh cmake ninja-build gcc re2c lemon libcjson-dev libssl-dev libcurl4-openssl-dev libmicrohttpd-dev zip binutils
cmake -S . -B build -G Ninja >/dev/null
cmake --build build
echo
echo "\$ ctlc check --werror specs/leedz.ctl"
build/gen/ctlc check --werror specs/leedz.ctl
echo "specs/leedz.ctl: no errors, no warnings"
echo
out="$top/build/leedz-out"
rm -rf "$out"
echo "\$ build/examples/leedz/leedz_demo build/leedz-out"
build/examples/leedz/leedz_demo "$out"
