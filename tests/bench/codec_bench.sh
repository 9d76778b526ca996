#!/bin/sh
# codec_bench.sh [BUILD_DIR]: how fast ctl's generated code and libctl read,
# dispatch, write and send events, next to quicktype's C (cJSON) output,
# bare cJSON, simdjson 3 (DOM, and On-Demand into the same C structs with the
# same checks: peers_bench.cpp), jansson and json-c on the same bytes in the
# same process, and how often it calls malloc per event. A benchmark, run by
# hand: it prints figures and asserts nothing.
#
# BUILD_DIR is a Release build of this repository (default /tmp/build-bench;
# configured and built here when it has no ctlc or libctl_internal.a). One run:
#   1. installs npm's quicktype into a scratch folder and generates its C
#      (cJSON) code for codec_bench.schema.json;
#   2. generates the C of specs/leedz.ctl (async_email_helper), of
#      codec_bench.ctl and of a 1,000-function spec (gen_wide_spec.sh);
#   3. compiles codec_bench.c with all of it (BENCH_OPT, default -O2, plus
#      -DNDEBUG and the project's -std=c11 -D_XOPEN_SOURCE=700) and runs it:
#      the small (leedz notifyUsers), the ~4 KB (placeOrder) and the 64 KB
#      (importBatch, gen_batch_event.pl) event, the
#      _send stub on the in-process transport, and a 1,000- vs a 1-function
#      dispatch table; medians of interleaved repetitions (see codec_bench.c);
#   4. counts instructions per op with valgrind --tool=callgrind, when
#      valgrind is installed (BENCH_CALLGRIND=0 skips it).
#
# quicktype's code includes <list.h> and <hashtable.h> of the c-list and
# c-hashtable libraries, which are not packaged for Debian nor on npm:
# qt_shim/ has stand-ins written for this bench (lock-free, unlike the real
# ones). Set QT_CLIST_DIR and QT_HASHTABLE_DIR to checkouts of the real
# libraries (include/ and src/ in each) to build with them instead.
# Needs: cc, c++, node and npm (the npm registry), libcjson-dev,
# libsimdjson-dev, libjansson-dev, libjson-c-dev; valgrind optional.
# simdjson's On-Demand is compiled into the bench with -march=native (its
# kernel for this CPU; the DOM parser picks one at run time).
# Other knobs: BENCH_REPS, BENCH_REP_US, BENCH_SMALL_ITERS,
# BENCH_LARGE_ITERS, BENCH_SEND_BATCHES, BENCH_SEND_BATCH (see codec_bench.c),
# BENCH_OPT (-O2), BENCH_KEEP=1 keeps the scratch folder, BENCH_PROFILE=1
# adds callgrind's costliest functions (inclusive) for some ops, BENCH_RSS=N
# runs only the RSS check: N events dispatched, RSS at each tenth.
#
# Reader figures, issue 14's third round (2026-12-07, this VM now an
# Intel Xeon with AVX-512, 2 cores; one quiet run, all peers, medians;
# the machine's speed drifts from minute to minute by up to 2x, all
# contenders alike, so only ratios within one run mean anything):
#                          ctl_dispatch   On-Demand   simdjson DOM   cJSON
#   88-byte seed event        80.5 ns       145 ns        60 ns       365 ns
#   4 KB order event         1.78 us       5.48 us       1.91 us     29.9 us   (ctl 2.21 GB/s)
#   64 KB batch event        31.2 us        105 us       38.4 us      604 us   (ctl 2.13 GB/s)
# Met in that run: 88 bytes <= 100 ns, >= 1 GB/s, faster than On-Demand
# (3.1x, 3.4x) and than the DOM parse (1.07x at 4 KB, 1.23x at 64 KB;
# other runs of the day 1.00x-1.06x and 1.08x-1.21x), writers 2.26 and
# 1.84 GB/s. The DOM parse runs its AVX-512 kernel here (chosen at run
# time); ctl's readers use SSE2 only.
# callgrind, Ir per op: 88 B 1,361 (DOM 1,147); 4 KB 29,660 (DOM 43,728);
# 64 KB 531,413 = 8.0 a byte (DOM 815,527; the second round's 831,269).
# Under valgrind the DOM parse runs a narrower kernel (valgrind 3.19 has no
# AVX-512), and On-Demand, built here with -march=native, does not run at
# all: its rows say "valgrind failed" on such a CPU.
# What the third round did (runtime/README.md, "How the one-pass readers
# keep their speed"): fields read in spec order with each key (and the ','
# before it) a constant compared in line, strings up to 31 bytes found and
# copied in one or two 16-byte steps into one run of the arena per event,
# the rare paths out of line. What is left of the 64 KB event's
# instructions (callgrind, by function): the item and tag-list readers
# with their keys, ',' and brackets 33%, strings 19%, floats 19%, list
# growth 13% (half of it memcpy's rep movsb, which callgrind counts a
# step at a time: far less of the time), enum words 9%, ints 6%. What
# would close more: the value readers' common case in line in generated
# code (each is a call that reloads the cursor from memory), and numbers
# parsed without the per-digit bounds check. Tried and dropped: numbers
# eight digits a step (SWAR), 8.4 against 4.6 ns a number on the short
# numbers events hold.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
build=${1:-/tmp/build-bench}
cc=${CC:-cc}

# Configured once, brought up to date every run: a ctlc or libctl left
# from an older tree would measure code that is not this one's.
if [ ! -f "$build/CMakeCache.txt" ]; then
    echo "configuring $repo in $build (Release) ..."
    cmake -S "$repo" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
ninja -C "$build" ctlc ctl ctl_internal >/dev/null
ctlc=$build/gen/ctlc
# The breakdown rows call libctl's internal functions (the ctx, the arena):
# libctl with its internal symbols global.
libctl=$build/runtime/libctl_internal.a
build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$build/CMakeCache.txt" 2>/dev/null || true)
release_flags=$(sed -n 's/^CMAKE_C_FLAGS_RELEASE:[A-Z]*=//p' "$build/CMakeCache.txt" 2>/dev/null || true)

work=$(mktemp -d "${TMPDIR:-/tmp}/codec_bench.XXXXXX")
if [ "${BENCH_KEEP:-0}" = 1 ]; then
    echo "scratch folder (kept): $work"
else
    trap 'rm -rf "$work"' EXIT
fi
mkdir -p "$work/gen" "$work/obj"

# ---- the machine ------------------------------------------------------------------
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')," \
    "$(uname -sr), load average $(cut -d' ' -f1-3 /proc/loadavg) (other work shares the machine)"
echo "compiler: $($cc --version | head -n1)"
echo "ctlc: $("$ctlc" --version 2>&1 | head -n1); libctl: $libctl (CMAKE_BUILD_TYPE=${build_type:-?}, flags ${release_flags:-?})"
[ "$build_type" = Release ] || echo "NOTE: $build is not a Release build; figures are not comparable"
cjson_version=$(sed -n 's/^#define CJSON_VERSION_\(MAJOR\|MINOR\|PATCH\) \([0-9]*\)/\2/p' /usr/include/cjson/cJSON.h |
    paste -sd. -)
echo "cJSON: $cjson_version (the system's libcjson, shared by ctl and quicktype)"

# ---- quicktype --------------------------------------------------------------------------
echo "installing quicktype from npm into $work/npm ..."
npm install --prefix "$work/npm" --no-audit --no-fund --loglevel=error quicktype >"$work/npm.log" 2>&1 ||
    { cat "$work/npm.log"; echo "npm install quicktype failed"; exit 2; }
qt=$work/npm/node_modules/.bin/quicktype
echo "quicktype: $("$qt" --version | head -n1)"
schema=$here/codec_bench.schema.json
# -l cjson: quicktype's C target (cJSON); compact printing like ctl's writers;
# a header of declarations and one .c of definitions.
"$qt" --telemetry disable -s schema -l cjson --print-style print-unformatted --no-header-only \
    --source-style single-source -o "$work/gen/qt.h" \
    "$schema#/definitions/NotifyEvent" "$schema#/definitions/OrderEvent" >"$work/qt.log" 2>&1 ||
    { cat "$work/qt.log"; echo "quicktype failed"; exit 2; }
[ -f "$work/gen/qt.c" ] || { echo "quicktype wrote no qt.c"; exit 2; }

if [ -n "${QT_CLIST_DIR:-}" ] && [ -n "${QT_HASHTABLE_DIR:-}" ]; then
    qt_inc="-I$QT_CLIST_DIR/include -I$QT_HASHTABLE_DIR/include"
    qt_src="$QT_CLIST_DIR/src/list.c $QT_HASHTABLE_DIR/src/hashtable.c"
    echo "quicktype's list and hashtable: c-list and c-hashtable from $QT_CLIST_DIR, $QT_HASHTABLE_DIR"
else
    qt_inc="-I$here/qt_shim"
    qt_src="$here/qt_shim/qt_shim.c"
    echo "quicktype's list and hashtable: tests/bench/qt_shim (lock-free stand-ins for c-list, c-hashtable)"
fi

# ---- ctl ----------------------------------------------------------------------------------
# The helper that dispatches the small event, and addLeed's stubs for _send.
"$ctlc" c --host async_email_helper --client addLeed -o "$work/gen" "$repo/specs/leedz.ctl"
"$ctlc" c -o "$work/gen" "$here/codec_bench.ctl"
sh "$here/gen_wide_spec.sh" "$work/gen/wide.ctl" "$work/gen/wide_handlers.c"
"$ctlc" c -o "$work/gen" "$work/gen/wide.ctl"

# ---- build ---------------------------------------------------------------------------------
opt=${BENCH_OPT:--O2}
cflags="$opt -DNDEBUG -std=c11 -D_XOPEN_SOURCE=700"
echo "bench compiled with: $cflags (ctl's generated code, quicktype's code and the driver alike)"
inc="-I$work/gen -I$repo/runtime/include -I$build/runtime/include -I$repo/runtime/src -I/usr/include/cjson $qt_inc"
objs=
compile() { # SOURCE [extra flags]
    src=$1
    shift
    obj=$work/obj/$(basename "$src" .c).o
    # shellcheck disable=SC2086
    $cc $cflags $inc "$@" -c "$src" -o "$obj"
    objs="$objs $obj"
}
compile "$work/gen/leedz.ctl.c" -Wall -Wextra -Werror
compile "$work/gen/codec_bench.ctl.c" -Wall -Wextra -Werror
compile "$work/gen/wide.ctl.c" -Wall -Wextra -Werror
compile "$work/gen/wide_handlers.c" -Wall -Wextra -Werror
compile "$work/gen/qt.c" -w
for s in $qt_src; do compile "$s" -w; done
compile "$here/codec_bench.c" -Wall -Wextra
compile "$here/peers_jansson.c" -Wall -Wextra
compile "$here/peers_jsonc.c" -Wall -Wextra
cxx=${CXX:-c++}
echo "c++: $($cxx --version | head -n1); simdjson $(sed -n 's/^#define SIMDJSON_VERSION //p' /usr/include/simdjson.h | head -n1)"
# shellcheck disable=SC2086
$cxx $opt -march=native -DNDEBUG -std=c++17 -Wall -Wextra $inc -c "$here/peers_bench.cpp" -o "$work/obj/peers_bench.o"
objs="$objs $work/obj/peers_bench.o"
# shellcheck disable=SC2086
$cxx $opt -o "$work/codec_bench" $objs "$libctl" -lsimdjson -ljansson -ljson-c -lcjson -lcurl -lcrypto -lmicrohttpd \
    -lsqlite3 -lpthread -lm

# ---- run -----------------------------------------------------------------------------------
small=$here/notify_event.json
large=$here/order_event.json
batch=$work/batch_event.json
perl "$here/gen_batch_event.pl" "$batch"
echo
if [ -n "${BENCH_RSS:-}" ]; then
    # Only RSS over BENCH_RSS events (by hand: 10000000 takes about 15 s).
    "$work/codec_bench" "$small" "$large" "$batch" --rss "$BENCH_RSS"
    exit 0
fi
"$work/codec_bench" "$small" "$large" "$batch"

# ---- callgrind -----------------------------------------------------------------------------
if [ "${BENCH_CALLGRIND:-1}" = 0 ] || ! command -v valgrind >/dev/null; then
    echo
    echo "(callgrind cross-check skipped)"
    exit 0
fi
echo
echo "== callgrind cross-check: instructions per op (Ir), deterministic, no timing noise =="
echo "  (valgrind --tool=callgrind --instr-atstart=no; 2000 small, 200 large or 20 64 KB ops after 100 warm ones)"
"$work/codec_bench" --ops >"$work/ops"
while read -r op size; do
    case $size in small) n=2000 ;; large) n=200 ;; *) n=20 ;; esac
    valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$work/cg.$op" \
        "$work/codec_bench" "$small" "$large" "$batch" --ir "$op" "$n" >/dev/null 2>"$work/cg.$op.log" ||
        { echo "  $op: valgrind failed (see $work/cg.$op.log)"; continue; }
    ir=$(sed -n 's/^totals: *\([0-9]*\).*/\1/p' "$work/cg.$op" | head -n1)
    [ -n "$ir" ] || ir=$(sed -n 's/^summary: *\([0-9]*\).*/\1/p' "$work/cg.$op" | head -n1)
    [ -n "$ir" ] || { echo "  $op: no totals in $work/cg.$op"; continue; }
    echo "$op $((ir / n))" >>"$work/ir"
done <"$work/ops"
awk '
    function r(a, b) { return ir[b] > 0 ? ir[a] / ir[b] : 0 }
    { ir[$1] = $2; order[++n] = $1 }
    END {
        for (i = 1; i <= n; i++) printf "  %-26s %9d Ir/op\n", order[i], ir[order[i]]
        print "  ratios by instructions:"
        split("small large", sz, " ")
        for (k = 1; k <= 2; k++) {
            s = sz[k]
            printf "    %s: quicktype parse / ctl dispatch %.2fx, quicktype print / ctl write %.2fx, ctl dispatch / cJSON parse %.2fx\n", \
                s, r("qt_parse_" s, "ctl_dispatch_" s), r("qt_print_" s, "ctl_write_" s), \
                r("ctl_dispatch_" s, "cjson_parse_" s)
        }
        printf "    dispatch 1,000-function / 1-function: %.3fx\n", r("dispatch_1000fn", "dispatch_1fn")
    }' "$work/ir"

if [ "${BENCH_PROFILE:-0}" = 1 ]; then
    for op in ctl_dispatch_small ctl_dispatch_large ctl_dispatch_batch ondemand_large ctl_write_large qt_parse_small \
        qt_print_large; do
        echo
        echo "-- callgrind_annotate --inclusive=yes, $op: Ir per op, top 14 --"
        n=$(awk -v o="$op" '$1 == o { print ($2 == "small") ? 2000 : ($2 == "large") ? 200 : 20 }' "$work/ops")
        callgrind_annotate --inclusive=yes "$work/cg.$op" 2>/dev/null | sed -n '/file:function/,$p' |
            sed -n 's/^ *\([0-9,]*\) ([ 0-9.]*%) *\([^ ]*\).*/\1 \2/p' | tr -d , |
            awk -v n="$n" '{ f = $2; sub(/^.*:/, "", f) }
                f == "main" || f ~ /\047/ { next }
                ++k <= 14 { printf "  %9d  %s\n", $1 / n, f }'
    done
fi
