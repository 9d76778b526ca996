#!/bin/sh
# lsp_bench.sh [CTLC] [EDITS]: latency of `ctlc lsp` from a didChange to its
# publishDiagnostics on a generated spec of 1,000 functions (gen_spec.pl),
# 200 one-character edits by default, incremental next to full-text sync and
# `ctlc check` measured in the same run (lsp_bench.py). A benchmark, not a
# test: it prints figures and asserts nothing. Needs perl and python3.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
ctlc=${1:-$here/../../build/gen/ctlc}
[ -x "$ctlc" ] || { echo "no ctlc at $ctlc; build first (cmake -B build && cmake --build build)"; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "ctlc: $("$ctlc" --version)"
perl "$here/gen_spec.pl" 1000 "$work/bench.ctl" "$work/bench.proto"
python3 "$here/lsp_bench.py" "$ctlc" "$work/bench.ctl" "${2:-200}"
