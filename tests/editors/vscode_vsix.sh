#!/bin/sh
# vscode_vsix.sh SRC NPM_VSCE NPM_EXT: packages editors/vscode into a .vsix
# with npm's @vscode/vsce (installed in NPM_VSCE) and the extension's own
# dependencies (installed from its package-lock.json in NPM_EXT), then
# checks what the .vsix holds (vscode_vsix.py). Run by CTest (editors/vscode_vsix).
set -eu
src=$1
vsce=$2/node_modules/.bin/vsce
[ -x "$vsce" ] || { echo "FAIL: no vsce at $vsce (the npm_setup fixture installs it)"; exit 1; }
[ -d "$3/node_modules/vscode-languageclient" ] || { echo "FAIL: $3 has no vscode-languageclient"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/ext"
# The extension's files as git has them, and the dependencies npm ci put in NPM_EXT.
(cd "$src/editors/vscode" && tar cf - --exclude=node_modules --exclude='*.vsix' .) | (cd "$work/ext" && tar xf -)
cp -R "$3/node_modules" "$work/ext/node_modules"
(cd "$work/ext" && "$vsce" package --skip-license --allow-missing-repository --out "$work/ctl.vsix") >"$work/vsce.log" 2>&1 ||
    { cat "$work/vsce.log"; echo "FAIL: vsce package"; exit 1; }
python3 "$src/tests/editors/vscode_vsix.py" "$work/ctl.vsix" "$src/editors/vscode"
