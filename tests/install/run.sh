#!/bin/sh
# run.sh BUILD_DIR: ctl as an outside project sees it. Installs BUILD_DIR
# into a temporary prefix, then
#   1. configures and builds tests/install (find_package(ctl) and
#      ctl_generate() of hello.ctl) against that prefix and runs it: the
#      generated stubs through an in-process ctl_client, and ctl_main;
#      and its function.zip from ctl_package_lambda;
#   2. runs the same project's host-only program (CONTROLLERS greeter) and
#      caller-only one (CLIENT caller, no handler defined): the caller refuses
#      bad arguments by itself, and calls the host's `serve` through the
#      Lambda Invoke transport;
#   3. compiles a one-file C program with `pkg-config ... ctl` that links
#      libctl's core and calls ctl_status_str; and the caller-only program
#      from `ctlc c --client caller` and `pkg-config ... ctl_aws` (it calls
#      Lambda), as README.md shows; checks what each part's .pc brings.
# It also checks the parts ctl_generate picked: the packaged leaf links no
# libcurl, libcrypto, libmicrohttpd or libsqlite3, and its zip bundles none:
# it is bootstrap alone, linked statically.
# Uses BUILD_DIR's compiler and generator, and its sanitizer flags when it was
# configured with CTL_SANITIZE or CTL_FUZZ (a sanitized libctl.a needs them to
# link). Needs no network. Exits non-zero on any failure.
set -eu
[ $# -eq 1 ] || { echo "usage: $0 BUILD_DIR" >&2; exit 2; }
build=$(cd "$1" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
cache=$build/CMakeCache.txt
[ -f "$cache" ] || { echo "install: $cache not found" >&2; exit 2; }

cached() { sed -n "s/^$1:[A-Z]*=//p" "$cache" | head -n 1; }
cc=$(cached CMAKE_C_COMPILER)
generator=$(cached CMAKE_GENERATOR)
libdir=$(cached CMAKE_INSTALL_LIBDIR)
libdir=${libdir:-lib}
version=$(cached CMAKE_PROJECT_VERSION)
san=""
if [ "$(cached CTL_SANITIZE)" = ON ] || [ "$(cached CTL_FUZZ)" = ON ]; then
    san="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
fi
case $libdir in /*) echo "install: CMAKE_INSTALL_LIBDIR is absolute ($libdir)" >&2; exit 2 ;; esac

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ctl-install.XXXXXX")
serve_pid=""
trap '[ -n "$serve_pid" ] && kill "$serve_pid" 2>/dev/null; rm -rf "$tmp"' EXIT
prefix=$tmp/prefix
log=$tmp/log
fail() {
    echo "install: FAIL: $*" >&2
    [ -s "$log" ] && tail -n 60 "$log" >&2
    exit 1
}
# expect NAME EXPECTED ACTUAL
expect() {
    [ "$2" = "$3" ] || fail "$1: expected
$2
got
$3"
}

echo "== cmake --install $build --prefix $prefix"
cmake --install "$build" --prefix "$prefix" >"$log" 2>&1 || fail "cmake --install"
for f in bin/ctlc "$libdir/libctl.a" include/ctl/ctl.h include/ctl/gen.h include/ctl/json.h \
         "$libdir/cmake/ctl/ctlConfig.cmake" "$libdir/cmake/ctl/ctlConfigVersion.cmake" \
         "$libdir/cmake/ctl/ctlTargets.cmake" "$libdir/cmake/ctl/CtlGenerate.cmake" \
         "$libdir/cmake/ctl/CtlPackage.cmake" \
         "$libdir/libctl_rtapi.a" "$libdir/libctl_aws.a" "$libdir/libctl_sqlite.a" "$libdir/libctl_serve.a" \
         "$libdir/pkgconfig/ctl.pc" "$libdir/pkgconfig/ctl_rtapi.pc" "$libdir/pkgconfig/ctl_aws.pc" \
         "$libdir/pkgconfig/ctl_sqlite.pc" "$libdir/pkgconfig/ctl_serve.pc"; do
    [ -f "$prefix/$f" ] || fail "not installed: $f"
done

echo "== find_package(ctl) and ctl_generate() in an outside project"
# No package registry: the installed prefix is the only ctl it may find.
cmake -S "$here" -B "$tmp/build" ${generator:+-G "$generator"} -DCMAKE_C_COMPILER="$cc" \
    -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF \
    -DCMAKE_C_FLAGS="$san" -DCMAKE_EXE_LINKER_FLAGS="$san" ${san:+-DHELLO_GLIBC_MAX=99} >"$log" 2>&1 ||
    fail "configure"
found=$(sed -n 's/^ctl_DIR:PATH=//p' "$tmp/build/CMakeCache.txt")
expect "ctl_DIR" "$prefix/$libdir/cmake/ctl" "$found"
cmake --build "$tmp/build" >"$log" 2>&1 || fail "build"
grep -q "$prefix/bin/ctlc" "$log" "$tmp/build"/*.ninja "$tmp/build"/Makefile "$tmp/build"/CMakeFiles/hello.dir/build.make 2>/dev/null ||
    fail "the build did not run the installed ctlc"

zip=$tmp/build/lambda/hello/function.zip
[ -f "$zip" ] || fail "ctl_package_lambda made no $zip"
unzip -Z "$zip" bootstrap | grep -q '^-rwxr-xr-x' || fail "bootstrap is not 0755 in $zip: $(unzip -Z "$zip")"

# Run where a dead-letter file would be harmless.
cd "$tmp"
hello=$tmp/build/hello
out=$("$hello" world ctl 2>&1) || fail "hello world ctl exited $?: $out"
expect "hello world ctl" "Hello, world!
Hello, ctl!" "$out"
status=0
out=$("$hello" nobody 2>&1) || status=$?
expect "hello nobody (exit status)" 1 "$status"
expect "hello nobody" "error hello.NoOne: nobody to greet" "$out"
out=$("$hello" invoke '{"function":"greet","name":"Lambda"}' 2>&1) || fail "hello invoke exited $?: $out"
expect "hello invoke" '{"greeting":"Hello, Lambda!"}' "$out"

# The parts ctl_generate picked (runtime/README.md, "Parts"): hello is a
# Lambda function (ctl_package_lambda) whose controllers call nobody, so it
# links neither libcurl nor libmicrohttpd nor libsqlite3; greeter_host may
# serve, greeter_caller calls Lambda.
needed() { objdump -p "$1" | sed -n 's/^ *NEEDED *//p' | tr '\n' ' '; }
for lib in libcurl libcrypto libmicrohttpd libsqlite3; do
    case " $(needed "$hello") " in *" $lib."*) fail "hello (a leaf Lambda function) needs $lib: $(needed "$hello")" ;; esac
done
unzip -Z1 "$zip" | grep -q 'libcurl\|libmicrohttpd\|libsqlite3' && fail "hello's zip bundles more than it links: $(unzip -Z1 "$zip")"
# ... and it is linked statically with the installed ctl::cjson_static
# (runtime/README.md, "A static leaf"): its zip is bootstrap alone. Not
# under the sanitizers, whose runtimes are shared libraries.
if [ -z "$san" ] && [ "$(cached CTL_STATIC_LEAF)" != OFF ]; then
    expect "hello's zip" "bootstrap" "$(unzip -Z1 "$zip")"
    readelf -l "$hello" | grep -q INTERP && fail "hello is not static: $(readelf -l "$hello")"
fi
case " $(needed "$tmp/build/greeter_host") " in *" libmicrohttpd."*) ;; *) fail "greeter_host cannot serve: $(needed "$tmp/build/greeter_host")" ;; esac
# greeter_caller calls Lambda: libctl_aws opens libcurl at its first send,
# and names it for ctl_package_lambda in its section .ctl_dlopen.
readelf -p .ctl_dlopen "$tmp/build/greeter_caller" 2>/dev/null | grep -q 'libcurl\.so' ||
    fail "greeter_caller does not say it opens libcurl: $(readelf -p .ctl_dlopen "$tmp/build/greeter_caller" 2>&1)"

echo "== a host-only program and a caller-only program"
host=$tmp/build/greeter_host
caller=$tmp/build/greeter_caller
out=$("$host" invoke '{"function":"greet","name":"host"}' 2>&1) || fail "greeter_host invoke exited $?: $out"
expect "greeter_host invoke" '{"greeting":"Hello, host!"}' "$out"
# Refused by the stub: nothing listens on port 9, and nothing is sent.
status=0
out=$("$caller" http://127.0.0.1:9 "" 2>&1) || status=$?
expect "greeter_caller, an empty name (exit status)" 1 "$status"
expect "greeter_caller, an empty name" 'error ctl.InvalidArguments: $.name: length 0 is outside 1..64' "$out"
"$host" serve --listen 127.0.0.1:0 --quiet --journal "$tmp/journal" --dead-letters "$tmp/dead.jsonl" \
    >"$tmp/serve.out" 2>"$tmp/serve.err" &
serve_pid=$!
tries=0
while ! grep -q '^listening on ' "$tmp/serve.out" 2>/dev/null; do
    tries=$((tries + 1))
    [ $tries -lt 100 ] && kill -0 "$serve_pid" 2>/dev/null || fail "greeter_host serve did not start: $(cat "$tmp/serve.err")"
    sleep 0.1
done
addr=$(sed -n 's/^listening on //p' "$tmp/serve.out")
status=0
out=$("$caller" "http://$addr" caller nobody 2>&1) || status=$?
expect "greeter_caller through serve (exit status)" 1 "$status"
expect "greeter_caller through serve" "Hello, caller!
error hello.NoOne: nobody to greet" "$out"
kill -TERM "$serve_pid"
wait "$serve_pid" || fail "greeter_host serve exited $? after SIGTERM: $(cat "$tmp/serve.err")"
serve_pid=""

echo "== pkg-config ctl"
command -v pkg-config >/dev/null 2>&1 || fail "pkg-config is not installed"
PKG_CONFIG_PATH=$prefix/$libdir/pkgconfig
export PKG_CONFIG_PATH
out=$(pkg-config --modversion ctl 2>&1) || fail "pkg-config --modversion ctl: $out"
expect "pkg-config --modversion ctl" "$version" "$out"
cflags=$(pkg-config --cflags ctl) || fail "pkg-config --cflags ctl"
libs=$(pkg-config --libs ctl) || fail "pkg-config --libs ctl"
# libctl is static: each part's libraries come with plain --libs, and the
# core's are cJSON and pthread only.
for want in -lctl -lcjson -pthread; do
    case " $libs " in *" $want "*) ;; *) fail "pkg-config --libs ctl has no $want: $libs" ;; esac
done
for unwanted in -lcurl -lcrypto -lmicrohttpd -lsqlite3; do
    case " $libs " in *" $unwanted "*) fail "pkg-config --libs ctl has $unwanted: $libs" ;; esac
done
aws_libs=$(pkg-config --libs ctl_aws) || fail "pkg-config --libs ctl_aws"
for want in -lctl_aws -lctl; do
    case " $aws_libs " in *" $want "*) ;; *) fail "pkg-config --libs ctl_aws has no $want: $aws_libs" ;; esac
done
serve_libs=$(pkg-config --libs ctl_serve) || fail "pkg-config --libs ctl_serve"
for want in -Wl,-u,ctl_part_serve -lctl_serve -lctl_aws -lctl_sqlite -lmicrohttpd -lsqlite3 -lcrypto; do
    case " $serve_libs " in *" $want "*) ;; *) fail "pkg-config --libs ctl_serve has no $want: $serve_libs" ;; esac
done
cat >"$tmp/status.c" <<'C'
#include <stdio.h>

#include <ctl/ctl.h>

int main(void)
{
    const char *s = ctl_status_str(CTL_ERR_INVALID_PAYLOAD);
    if (!s || !*s)
        return 1;
    printf("ctl %s: %s\n", CTL_VERSION_STRING, s);
    return 0;
}
C
echo "$cc $san $cflags status.c $libs"
# shellcheck disable=SC2086
"$cc" -std=c11 -Wall -Wextra -Wpedantic -Werror $san $cflags "$tmp/status.c" -o "$tmp/status" $libs \
    >"$log" 2>&1 || fail "compile with pkg-config"
out=$("$tmp/status" 2>&1) || fail "status exited $?: $out"
# CTL_VERSION_STRING is the project's version (ctl/version.h, configured by CMake).
case $out in "ctl $version: "?*) ;; *) fail "status printed: $out (the version should be $version)" ;; esac
echo "$out"

echo "== ctlc c --client and pkg-config, as README.md writes them"
mkdir -p "$tmp/gen" && "$prefix/bin/ctlc" c --client caller -o "$tmp/gen" "$here/hello.ctl" >"$log" 2>&1 || fail "ctlc c --client caller"
# shellcheck disable=SC2086
"$cc" -std=c11 $san -I"$tmp/gen" $(pkg-config --cflags ctl_aws) "$here/caller.c" "$tmp/gen/hello.ctl.c" \
    -o "$tmp/caller_pc" $(pkg-config --libs ctl_aws) >"$log" 2>&1 || fail "a caller built with pkg-config"
status=0
out=$("$tmp/caller_pc" http://127.0.0.1:9 "" 2>&1) || status=$?
expect "the pkg-config caller, an empty name (exit status)" 1 "$status"
expect "the pkg-config caller, an empty name" 'error ctl.InvalidArguments: $.name: length 0 is outside 1..64' "$out"
echo "== install: ok"
