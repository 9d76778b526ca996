#!/bin/sh
# check_bench.sh [CTLC]: how fast `ctlc check` is on generated specs of 1,000
# and 10,000 functions (with structs and enums), next to protoc (Debian's
# protobuf-compiler) parsing the equivalent .proto in the same run.
# A benchmark, not a test: it prints figures and asserts nothing.
# Needs perl and hyperfine; protoc is optional (the ratio is left out without it).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
ctlc=${1:-$here/../../build/gen/ctlc}
[ -x "$ctlc" ] || { echo "no ctlc at $ctlc; build first (cmake -B build && cmake --build build)"; exit 2; }
command -v hyperfine >/dev/null || { echo "needs hyperfine (apt-get install hyperfine)"; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "ctlc: $("$ctlc" --version)"
command -v protoc >/dev/null && echo "peer: $(protoc --version)"
for n in 1000 10000; do
    perl "$here/gen_spec.pl" "$n" "$work/bench$n.ctl" "$work/bench$n.proto"
    "$ctlc" check "$work/bench$n.ctl" || { echo "generated spec does not check"; exit 1; }
    lines=$(wc -l <"$work/bench$n.ctl")
    bytes=$(wc -c <"$work/bench$n.ctl")
    set -- "$ctlc check $work/bench$n.ctl"
    if command -v protoc >/dev/null; then
        set -- "$@" "protoc --proto_path=$work --descriptor_set_out=/dev/null $work/bench$n.proto"
    fi
    hyperfine -N --warmup 3 --min-runs 20 --export-json "$work/r$n.json" "$@" >/dev/null 2>&1
    python3 - "$work/r$n.json" "$n" "$lines" "$bytes" <<'PY'
import json, sys
res = json.load(open(sys.argv[1]))["results"]
n, lines, size = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
ctlc = res[0]
print(f"{n:>6} functions, {lines} lines, {size / 1e6:.2f} MB: ctlc check "
      f"median {ctlc['median']:.4f} s (mean {ctlc['mean']:.4f} ± {ctlc['stddev']:.4f}), "
      f"{lines / ctlc['median'] / 1e6:.2f} M lines/s")
if len(res) > 1:
    peer = res[1]
    print(f"{'':>6}  protoc (same schema as .proto): median {peer['median']:.4f} s; "
          f"ctlc takes {ctlc['median'] / peer['median']:.2f}x protoc's time")
PY
done
