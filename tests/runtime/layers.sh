#!/bin/sh
# layers.sh SRC [LIBCTL_INTERNAL_A]: runtime/src is in layers, and each
# file may use its own layer and the layers below, never one above:
#   1. every #include "X/..." of a file in SRC/L/ names a layer X at or
#      below L (public headers, "ctl/...", and the rules
#      ctlc shares, "common/...", are anyone's);
#   2. no include circle between modules (a module is a .c/.h pair);
#   3. every .c, and every header without a .c, has its line in the layout
#      table of runtime/README.md (SRC/../README.md) (such a header may be
#      named in parentheses on the lines of the files that use it instead),
#      and every line of that table names a file that exists;
#   4. with the archive of libctl's objects as they are (ctl_internal):
#      no object calls (references a symbol of) an object of a layer above,
#      and no call circle between objects.
# The order of the layers, bottom first, is the data below.
set -eu
layers="base codec client lambda serve main"
src=$1
lib=${2:-}
status=0
fail() { echo "FAIL: $*"; status=1; }

rank() { # LAYER -> its index, or nothing
    i=0
    for l in $layers; do
        [ "$l" = "$1" ] && { echo $i; return; }
        i=$((i + 1))
    done
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# ---- files are in layers ------------------------------------------------------
for f in "$src"/*; do
    name=$(basename "$f")
    [ -d "$f" ] || { fail "$name is in src/ itself, not in a layer's folder"; continue; }
    [ -n "$(rank "$name")" ] || fail "src/$name is not a layer ($layers)"
done

# ---- the README's layout table names every file -------------------------------
readme="$src/../README.md"
sed -n 's/^| `\([a-z_]*\/[a-z_0-9]*\.[ch]\)` |.*/\1/p' "$readme" | sort -u >"$tmp/listed"
for f in "$src"/*/*.c "$src"/*/*.h; do
    rel=${f#"$src"/}
    case $rel in
    *.h)
        [ -e "${f%.h}.c" ] && continue
        # a header of several files may be named on their lines instead
        grep -q "^| \`$(dirname "$rel")/.*(.*\`$(basename "$rel")\`" "$readme" && continue ;;
    esac
    echo "$rel"
done | sort -u >"$tmp/files"
for rel in $(comm -23 "$tmp/files" "$tmp/listed"); do
    fail "src/$rel has no line in runtime/README.md's layout table"
done
for rel in $(comm -13 "$tmp/files" "$tmp/listed"); do
    fail "runtime/README.md's layout table names src/$rel, which does not exist"
done

# ---- includes -------------------------------------------------------------------
: >"$tmp/includes"
for f in "$src"/*/*.c "$src"/*/*.h; do
    layer=$(basename "$(dirname "$f")")
    own=$(rank "$layer")
    [ -n "$own" ] || continue
    module=$layer/$(basename "$f" | sed 's/\.[ch]$//')
    sed -n 's/^#include "\([^"]*\)".*/\1/p' "$f" | while read -r inc; do
        case $inc in
        ctl/* | common/*) continue ;;
        */*) ;;
        *) echo "FAIL: ${f#"$src"/} includes \"$inc\": name its layer's folder" ;;
        esac
        to=${inc%%/*}
        r=$(rank "$to")
        if [ -z "$r" ]; then
            echo "FAIL: ${f#"$src"/} includes \"$inc\", which is in no layer"
        elif [ "$r" -gt "$own" ]; then
            echo "FAIL: ${f#"$src"/} ($layer) includes \"$inc\" of the layer above ($to)"
        fi
        target=$(echo "$inc" | sed 's/\.h$//')
        [ "$target" = "$module" ] || echo "$module $target" >>"$tmp/includes"
    done
done >"$tmp/include_failures"
if [ -s "$tmp/include_failures" ]; then
    cat "$tmp/include_failures"
    status=1
fi
if ! tsort "$tmp/includes" >/dev/null 2>"$tmp/loop"; then
    fail "an include circle between modules:"
    cat "$tmp/loop"
fi

# ---- calls between objects ------------------------------------------------------
if [ -n "$lib" ]; then
    # object -> layer, from the source tree (object names are SOURCE.c.o)
    for f in "$src"/*/*.c; do
        echo "$(basename "$f").o $(basename "$(dirname "$f")")"
    done >"$tmp/layer_of"
    dups=$(cut -d' ' -f1 "$tmp/layer_of" | sort | uniq -d)
    [ -z "$dups" ] || fail "two sources share a name, so objects cannot be told apart: $dups"
    # OBJECT SYMBOL lines: defined (T D B R ...) and undefined (U)
    nm -A "$lib" 2>/dev/null | awk '{
        n = split($1, p, ":"); obj = p[n - 1]
        if (NF == 3 && $2 ~ /^[TDBRGSVW]$/) print obj, $3 > "'"$tmp"'/defs"
        else if (NF == 2 && $1 ~ /:$/) { }
        else if ($2 == "U") print obj, $3 > "'"$tmp"'/uses"
    }'
    [ -s "$tmp/defs" ] || fail "no symbols read from $lib"
    touch "$tmp/uses"
    awk -v layers="$layers" '
        BEGIN { n = split(layers, L, " "); for (i = 1; i <= n; i++) R[L[i]] = i }
        FILENAME ~ /layer_of$/ { layer[$1] = $2; next }
        FILENAME ~ /defs$/ { def[$2] = $1; next }
        {
            to = def[$2]
            if (to == "" || to == $1) next
            print $1, to > "'"$tmp"'/calls"
            if (R[layer[to]] > R[layer[$1]])
                printf "FAIL: %s (%s) calls %s of %s (%s), a layer above\n", $1, layer[$1], $2, to, layer[to]
        }' "$tmp/layer_of" "$tmp/defs" "$tmp/uses" >"$tmp/call_failures"
    if [ -s "$tmp/call_failures" ]; then
        cat "$tmp/call_failures"
        status=1
    fi
    touch "$tmp/calls"
    if ! tsort "$tmp/calls" >/dev/null 2>"$tmp/loop"; then
        fail "a call circle between objects:"
        cat "$tmp/loop"
    fi
fi

[ $status -eq 0 ] && echo "ok: every include and call of runtime/src goes down the layers ($layers), without circles; runtime/README.md's layout table names every file"
exit $status
