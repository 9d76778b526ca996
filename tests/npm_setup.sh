#!/bin/sh
# npm_setup.sh PREFIX PACKAGE...  or  npm_setup.sh PREFIX --lock DIR
# Installs npm packages into PREFIX (under CTL_NPM_DIR: the build directory,
# or a folder that several build directories share) for the tests that run
# npm's tools, once: when PREFIX/.installed already records the same
# request, nothing is done. Arguments starting with -- (such as --before=DATE)
# go to npm install. With --lock, DIR holds a
# package.json and package-lock.json, installed with `npm ci` (exact
# versions). Needs node and npm (NodeSource's nodejs) and the npm registry.
set -eu
prefix=$1
shift
if [ "$1" = --lock ]; then
    want="lock $(cksum <"$2/package-lock.json")"
else
    want="$*"
fi
if [ -f "$prefix/.installed" ] && [ "$(cat "$prefix/.installed")" = "$want" ]; then
    echo "already installed in $prefix: $want"
    exit 0
fi
for tool in node npm; do
    command -v "$tool" >/dev/null || { echo "FAIL: $tool is not installed (NodeSource nodejs)" >&2; exit 1; }
done
mkdir -p "$prefix"
if [ "$1" = --lock ]; then
    cp "$2/package.json" "$2/package-lock.json" "$prefix/"
    (cd "$prefix" && npm ci --no-audit --no-fund)
else
    npm install --prefix "$prefix" --no-audit --no-fund --no-save "$@"
fi
echo "$want" >"$prefix/.installed"
