#!/bin/sh
# run-demo.sh: install what is missing, build ctlc, and check the Leedz spec.
# (Until the C code generator lands, the demo is the front end on the
# seed's application: every declaration of specs/leedz.ctl, checked.)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
sh cmake/install-deps.sh cmake ninja-build gcc re2c lemon
cmake -S . -B build -G Ninja >/dev/null
cmake --build build
echo "\$ ctlc check --werror specs/leedz.ctl"
build/gen/ctlc check --werror specs/leedz.ctl
echo "specs/leedz.ctl: no errors, no warnings"
echo "\$ ctlc dump specs/leedz.ctl"
build/gen/ctlc dump specs/leedz.ctl
