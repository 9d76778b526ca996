"""idem_keys_test.py CTLC IDEM_KEYS SPEC EVENTS [COUNT] [SEED]: the
idempotency key of an @idempotent function's event, as the Python module
computes it, must be libctl's (codec/idem.c through IDEM_KEYS,
tests/py/idem_keys.c): the same key, or the same error. SPEC is
tests/cases/ok_idempotent.ctl (a whole-payload key, two key fields, a wire
name with a '/'); the events are EVENTS's lines, then COUNT generated ones
(seeded): the key fields' values written in other forms (member order,
1.0 for 1, 1e3, -0, \\u escapes, unknown members). A valid event also goes
through the controller's dispatch, whose handler must be told the key.
Prints the counts."""
import json
import random
import subprocess
import sys
import tempfile
import typing


def spellings(rng: random.Random, v: typing.Any) -> str:
    """v as JSON text, in one of the forms that must give the same key."""
    if isinstance(v, bool) or v is None:
        return json.dumps(v)
    if isinstance(v, int):
        return rng.choice([str(v), "%d.0" % v, "%de0" % v, "-0" if v == 0 else str(v)])
    if isinstance(v, float):
        return rng.choice([repr(v), "%.17g" % v, "%.17e" % v])
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=rng.random() < 0.5)
    if isinstance(v, list):
        return "[" + ",".join(spellings(rng, x) for x in v) + "]"
    items = list(typing.cast(typing.Dict[str, typing.Any], v).items())
    rng.shuffle(items)
    return "{" + ",".join(json.dumps(k, ensure_ascii=rng.random() < 0.5) + ":" + spellings(rng, x)
                          for k, x in items) + "}"


def value(rng: random.Random, depth: int = 0) -> typing.Any:
    kind = rng.randrange(8 if depth < 2 else 6)
    if kind == 0:
        return rng.choice([True, False, None])
    if kind == 1:
        return rng.choice([0, 1, -1, 2 ** 53, -2 ** 63, rng.randint(-10 ** 6, 10 ** 6)])
    if kind == 2:
        return rng.choice([0.5, -2.25, 1e-7, 1e21, rng.uniform(-1e6, 1e6)])
    if kind in (3, 4, 5):
        chars = ["a", "é", "\"", "\\", "/", "~", "\u2028", "😀", "\n"]
        return "".join(rng.choice(chars) for _ in range(rng.randint(0, 5)))
    if kind == 6:
        return [value(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    return {rng.choice(["a", "b", "é", "x/y", "~"]): value(rng, depth + 1) for _ in range(rng.randint(0, 3))}


def generated(rng: random.Random, count: int) -> typing.List[str]:
    out = []
    for i in range(count):
        fn = ("ping", "claim", "tier")[i % 3]
        if fn == "ping":
            payload: typing.Dict[str, typing.Any] = {"n": value(rng), "other": value(rng)}
        elif fn == "claim":
            payload = {"leed": {"leed/id": value(rng), "tier": "gold", "score": value(rng)}, "trade": value(rng)}
        else:
            payload = {"leed": {"tier": value(rng), "score": value(rng)}}
        payload["function"] = fn
        out.append(spellings(rng, payload))
    return out


def main() -> int:
    ctlc, tool, spec, events = sys.argv[1:5]
    count = int(sys.argv[5]) if len(sys.argv) > 5 else 600
    seed = int(sys.argv[6]) if len(sys.argv) > 6 else 16
    with open(events, encoding="utf-8") as f:
        lines = [line.rstrip("\n") for line in f if line.strip()]
    lines += generated(random.Random(seed), count)
    with tempfile.TemporaryDirectory() as out:
        subprocess.run([ctlc, "py", "-o", out, spec], check=True)
        sys.path.insert(0, out)
        import ctl_runtime as rt
        import ok_idempotent as mod
        table = mod._CTL_F_leedz  # the dispatch table: each function's key fields
        by_fn: typing.Dict[str, typing.List[str]] = {}
        for line in lines:
            try:
                fn = json.loads(line).get("function", "ping")
            except (ValueError, AttributeError):
                fn = "ping"
            by_fn.setdefault(fn, []).append(line)
        failures = keys = errors = told = 0

        class Handlers:
            key: typing.Optional[str] = None

            def ping(self, args: typing.Any, ctx: typing.Any) -> None:
                self.key = ctx.idempotency_key

            def claim(self, args: typing.Any, ctx: typing.Any) -> typing.Any:
                self.key = ctx.idempotency_key
                return mod.leedz_claim_result(ok=True)

            def tier(self, args: typing.Any, ctx: typing.Any) -> None:
                self.key = ctx.idempotency_key

        for fn, group in sorted(by_fn.items()):
            f = table[fn.encode()]
            assert f.idempotent is not None, fn
            c = subprocess.run([tool, "leedz", fn] + list(f.idempotent), input="\n".join(group) + "\n",
                               capture_output=True, check=True, text=True)
            answers = c.stdout.splitlines()
            assert len(answers) == len(group), (len(answers), len(group))
            for line, want in zip(group, answers):
                data = line.encode("utf-8", "surrogatepass")
                try:
                    root = rt._ctl_parse(data)
                    got = "OK leedz.%s#%s" % (fn, rt._ctl_idempotency_key(f, root))
                except rt.CtlError as e:
                    got = "JSON" if e.error_type == "ctl.InvalidJSON" else "ERR " + e.message
                if got != want:
                    print("FAIL: %s\n  C:      %s\n  Python: %s" % (line[:300], want, got))
                    failures += 1
                    continue
                if got.startswith("OK"):
                    keys += 1
                    h = Handlers()
                    resp = mod.leedz_dispatch(h, data)  # type: ignore[arg-type]
                    if resp.error is None:
                        told += 1
                        if "leedz.%s#%s" % (fn, h.key) != want[3:]:
                            print("FAIL: %s: the handler was told %s, not %s" % (line[:300], h.key, want))
                            failures += 1
                else:
                    errors += 1
        print("%d events (%d generated, seed %d): %d keys and %d errors the same in C and Python, the key told to "
              "%d handlers; %d differ" % (len(lines), count, seed, keys, errors, told, failures))
        return 1 if failures or not keys or not errors or not told else 0


if __name__ == "__main__":
    sys.exit(main())
