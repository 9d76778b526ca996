#!/bin/sh
# run_typecheck.sh CTLC PYRIGHT_DIR: the modules `ctlc py` writes for
# specs/leedz.ctl, tests/gen/alltypes.ctl, tests/py/pynames.ctl (names
# Python reserves) and every valid case of
# tests/cases (ok_*.ctl; the options of a first line `// ctlc: ARGS`, as for
# tests/run_case.sh; a spec file there is left out, ctlc py takes one) import under python3, and pass `mypy --strict` (Debian's
# mypy) and pyright in strict mode (npm, pinned in tests/py/CMakeLists.txt),
# both for Python 3.9. Every module goes into one folder, with the one
# ctl_runtime.py they import: each spec's stem is its module's name, and
# they are unique (a case's imported spec is written again, the same bytes).
set -eu
ctlc=$1 pyright=$2/node_modules/.bin/pyright
root=$(cd "$(dirname "$0")/../.." && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
command -v mypy >/dev/null || { echo "FAIL: mypy is not installed (Debian's package mypy)" >&2; exit 1; }
[ -x "$pyright" ] || { echo "FAIL: no pyright at $pyright (the py/npm_setup test installs it)" >&2; exit 1; }
n=0
for spec in "$root"/specs/leedz.ctl "$root"/tests/gen/alltypes.ctl "$root"/tests/py/pynames.ctl \
    "$root"/tests/cases/ok_*.ctl; do
    args=""
    take=false
    for word in $(head -n 1 "$spec" | sed -n 's|^// ctlc: ||p'); do
        case $word in
        -I) args="$args -I"; take=true ;;
        -*) args="$args $word" ;;
        *) if $take; then args="$args $word"; fi; take=false ;;
        esac
    done
    # shellcheck disable=SC2086
    (cd "$(dirname "$spec")" && "$ctlc" py $args -o "$out" "$(basename "$spec")") ||
        { echo "FAIL: ctlc py $spec"; exit 1; }
    n=$((n + 1))
done
[ -f "$out/ctl_runtime.py" ] || { echo "FAIL: no ctl_runtime.py beside the modules"; exit 1; }
modules=$(ls "$out"/*.py | wc -l)
# Each spec's module, and those of the specs the cases import, and the runtime.
[ "$modules" -gt "$n" ] || { echo "FAIL: $n specs gave $modules modules and the runtime"; exit 1; }
for m in "$out"/*.py; do
    name=$(basename "$m" .py)
    (cd "$out" && python3 -c "import $name") || { echo "FAIL: python3 cannot import $name"; exit 1; }
done
echo "imported $modules modules"
# An imported spec's types and the runtime's errors are one class in every
# module that reaches them: a Product read by ok_import_one holds common's
# Money, and a CtlError raised by one module is the other's.
(cd "$out" && python3 - <<'PY') || { echo "FAIL: ok_import_one and common do not share their classes"; exit 1; }
import typing
import common
import ok_import_one as store
assert typing.get_type_hints(store.Product)["price"] is common.Money
p = store.read_Product(b'{"name":"pen","price":{"cents":5,"currency":"GBP"}}')
assert isinstance(p.price, common.Money) and p.price.currency is common.Currency.GBP, p
assert p.currency is common.Currency.USD, p
assert store.write_Product(p) == b'{"name":"pen","price":{"cents":5,"currency":"GBP"},"currency":"USD"}'
assert store.CtlError is common.CtlError
try:
    common.read_Money(b'{"cents":"x"}')
except store.CtlError as e:
    assert e.error_type == "ctl.InvalidPayload", e
else:
    raise AssertionError("common.read_Money took a string for an int")
PY
(cd "$out" && mypy --strict --python-version 3.9 --no-incremental ./*.py)
printf '{"typeCheckingMode": "strict", "pythonVersion": "3.9"}\n' >"$out/pyrightconfig.json"
(cd "$out" && "$pyright" ./*.py)
echo "mypy --strict and pyright (strict): $modules modules, no issues"
