#!/bin/sh
# npm_setup.sh PREFIX PACKAGE... : installs npm packages into PREFIX (a folder
# of the build directory) for the schema and AsyncAPI tests, once: when
# PREFIX/.installed already names the same packages, nothing is done.
# Needs node and npm (NodeSource's nodejs package) and the npm registry.
set -eu
prefix=$1
shift
want="$*"
if [ -f "$prefix/.installed" ] && [ "$(cat "$prefix/.installed")" = "$want" ]; then
    echo "already installed in $prefix: $want"
    exit 0
fi
for tool in node npm; do
    command -v "$tool" >/dev/null || { echo "FAIL: $tool is not installed (NodeSource nodejs)" >&2; exit 1; }
done
mkdir -p "$prefix"
npm install --prefix "$prefix" --no-audit --no-fund --no-save "$@"
echo "$want" >"$prefix/.installed"
