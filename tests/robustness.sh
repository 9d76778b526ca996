#!/bin/sh
# robustness.sh CTLC: hostile and huge inputs that are too big or too odd to
# keep as golden cases. Each must end with the stated exit status and first
# diagnostic, never a crash or a hang (the timeout is a hang guard, not a
# speed check). The inputs are made here, deterministically, with perl
# (perl-base is part of every Debian system).
set -u
ctlc=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cd "$dir" || exit 2
fails=0
passes=0

# expect NAME STATUS PATTERN ARGS...: run `ctlc check ARGS`, compare.
expect() {
    name=$1 want=$2 pattern=$3
    shift 3
    timeout 60 "$ctlc" check "$@" >out.txt 2>&1
    got=$?
    first=$(head -n 1 out.txt)
    if [ "$got" -ne "$want" ] || ! printf '%s\n' "$first" | grep -Eq -- "$pattern"; then
        echo "FAIL $name: exit $got (want $want), first line: $first"
        fails=$((fails + 1))
    else
        echo "ok   $name: exit $got, $(wc -l <out.txt) lines"
        passes=$((passes + 1))
    fi
}

: >empty.ctl
expect "empty file" 0 '^$' empty.ctl

perl -e 'srand(7); print map { chr(int(rand(256))) } 1..65536' >junk.bin
expect "binary junk" 1 '^junk.bin:1:[0-9]+: error: (invalid UTF-8|NUL byte)' junk.bin

printf 'struct A {\n  a: int;\n  b\000: int;\n}\n' >nul.ctl
expect "NUL byte" 1 '^nul.ctl:3:4: error: NUL byte in source' nul.ctl

printf '// caf\351\nstruct A {}\n' >latin1.ctl
expect "invalid UTF-8" 1 '^latin1.ctl:1:7: error: invalid UTF-8 \(byte 0xe9\)' latin1.ctl

printf '// \355\240\200 is a UTF-16 surrogate\n' >surrogate.ctl
expect "encoded surrogate" 1 '^surrogate.ctl:1:4: error: invalid UTF-8' surrogate.ctl

printf '// \300\257 is an overlong slash\n' >overlong.ctl
expect "overlong UTF-8" 1 '^overlong.ctl:1:4: error: invalid UTF-8' overlong.ctl

perl -e 'print "package big;\n"; for my $i (1..75000) { print "/// Struct $i.\nstruct S$i {\n    id: string;\n    \@range(min: 0) n$i: int = $i;\n    tags?: list<string>;\n    next: list<S$i>;\n}\n" } ' >big.ctl
size=$(wc -c <big.ctl)
[ "$size" -gt 10000000 ] || { echo "FAIL big.ctl is only $size bytes"; fails=$((fails + 1)); }
expect "10 MB valid spec" 0 '^$' big.ctl

perl -e 'print map { "struct S$_ { a: int; }\n" } 1..100; print "x" x 10485760, "\n"' >bigjunk.ctl
expect "10 MB identifier" 1 '^bigjunk.ctl:101:1: error: expected' bigjunk.ctl

perl -e 'print "struct S ", "{" x 10000, "\n"' >braces.ctl
expect "10,000 nested braces" 1 "^braces.ctl:1:11: error: expected identifier, '}' or '@', found '\\{'" braces.ctl

perl -e 'print "struct S ", "{" x 10485760' >braces10m.ctl
expect "10 MB of braces" 1 "^braces10m.ctl:1:11: error: expected" braces10m.ctl

perl -e 'print "struct S { a: ", "list<" x 10000, "int", ">" x 10000, "; }\n"' >types.ctl
expect "10,000 nested list types" 1 '^types.ctl:1:.*: error: type nested more than 64 levels deep' types.ctl

perl -e 'print "struct S { a: ", "map<" x 60, "int", ">" x 60, "; }\n"' >types60.ctl
expect "60 nested map types" 0 '^$' types60.ctl

printf 'struct S { s: string = "abc' >unterminated_string.ctl
expect "unterminated string at EOF" 1 '^unterminated_string.ctl:1:24: error: unterminated string literal' unterminated_string.ctl

printf 'struct S {}\n/* never closed\n\n' >unterminated_comment.ctl
expect "unterminated comment at EOF" 1 '^unterminated_comment.ctl:2:1: error: unterminated comment' unterminated_comment.ctl

printf 'import "b.ctl";\nstruct A {}\n' >a.ctl
printf 'import "a.ctl";\nstruct B {}\n' >b.ctl
expect "import cycle" 1 '^b.ctl:1:8: error: import cycle: a.ctl -> b.ctl -> a.ctl' a.ctl

mkdir -p sub.ctl
printf 'import "sub.ctl";\n' >imports_dir.ctl
expect "import of a directory" 1 "^imports_dir.ctl:1:8: error: import 'sub.ctl' is a directory" imports_dir.ctl

printf 'import "missing.ctl";\nstruct A { m: Missing; }\n' >imports_missing.ctl
expect "import of a missing file" 1 "^imports_missing.ctl:1:8: error: import 'missing.ctl' not found" imports_missing.ctl

expect "directory on the command line" 2 "^ctlc: error: cannot read 'sub.ctl'" sub.ctl
expect "missing file on the command line" 2 "^ctlc: error: cannot read 'nope.ctl'" nope.ctl

i=0
while [ $i -lt 250 ]; do
    printf 'import "chain%d.ctl";\n' $((i + 1)) >chain$i.ctl
    i=$((i + 1))
done
: >chain250.ctl
expect "import chain 250 deep" 1 'error: imports nested more than 200 levels deep' chain0.ctl

perl -e 'for (1..100000) { print "struct S$_ { a: ; }\n" }' >many_errors.ctl
expect "100,000 syntax errors" 1 '^many_errors.ctl:1:[0-9]+: error: expected a type' many_errors.ctl
n=$(grep -c ': error: ' out.txt)
if [ "$n" -ne 100000 ]; then
    echo "FAIL many_errors: $n errors reported, want 100000"
    fails=$((fails + 1))
fi

echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
