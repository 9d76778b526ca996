#!/bin/sh
# run_committed_doc.sh BUILD_DOC_DIR: the Leedz reference committed in
# examples/leedz/doc/ (linked from the README) is what the build generates:
# leedz.md and leedz.dot byte for byte. leedz.svg is only checked to exist
# and be SVG in both places, as Graphviz versions lay out differently; when
# the build could not render it (no dot), that part reports SKIP (exit 77)
# after the text files were compared. CTL_BLESS=1 copies the build's files.
set -eu
built=$1
here=$(cd "$(dirname "$0")" && pwd)
committed=$here/../../examples/leedz/doc
if [ "${CTL_BLESS:-0}" = 1 ]; then
    mkdir -p "$committed"
    cp "$built/leedz.md" "$built/leedz.dot" "$committed/"
    [ -f "$built/leedz.svg" ] && cp "$built/leedz.svg" "$committed/"
    echo "blessed $committed"
    exit 0
fi
for f in leedz.md leedz.dot; do
    [ -f "$built/$f" ] || { echo "FAIL: the build did not make $built/$f (target leedz_doc)"; exit 1; }
    diff -u "$committed/$f" "$built/$f" || { echo "FAIL: $committed/$f is stale; re-bless with CTL_BLESS=1"; exit 1; }
done
grep -q "<svg" "$committed/leedz.svg" || { echo "FAIL: $committed/leedz.svg is not SVG"; exit 1; }
if [ ! -f "$built/leedz.svg" ]; then
    echo "SKIP: Graphviz dot is not installed, so the build made no leedz.svg to check"
    exit 77
fi
grep -q "<svg" "$built/leedz.svg" || { echo "FAIL: $built/leedz.svg is not SVG"; exit 1; }
echo "examples/leedz/doc matches the build"
