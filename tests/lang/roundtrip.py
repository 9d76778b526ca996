"""roundtrip.py C_DRIVER TS_DRIVER MODULE_DIR [COUNT] [SEED]: random values of
every type of tests/gen/alltypes.ctl, written by each language's writer and
read by every other language's reader, byte-compared.

Each value (an All, a Tree, or flat's fields, in turn) is written by Python
into an event of the echo controller and goes round the languages in both
orders: Python -> C -> TypeScript -> Python and Python -> TypeScript -> C ->
Python. A hop is the language's echo controller (C_DRIVER, TS_DRIVER:
commands of tests/lang/verdict.py's driver form, given the event files):
its reader reads the event, its writer writes the value back, and those
bytes, put in the next event, go to the next language. Every hop's bytes
must equal Python's writer's, and Python's reader must give the value back.
An int beyond 2^53-1 cannot be a JavaScript number: TypeScript's reader
must refuse such a value (ctl.InvalidPayload), and C must still take it.
Seeded; prints the counts."""
import json
import math
import os
import random
import shlex
import subprocess
import sys
import tempfile
import typing

sys.path.insert(0, sys.argv[3])
import alltypes as t  # noqa: E402  (the generated module)
import ctl_runtime  # noqa: E402  (its runtime, beside it)

JS_SAFE = 2 ** 53 - 1


class Values:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.big = True  # ints past 2^53-1 too (the int64 bounds)

    def string(self, lo: int = 0, hi: int = 6) -> str:
        r = self.rng
        out = []
        for _ in range(r.randint(lo, hi)):
            kind = r.randrange(5)
            if kind == 0:
                out.append(chr(r.randint(1, 0x7F)))  # controls, quotes, backslash, DEL
            elif kind == 1:
                out.append(chr(r.randint(0x80, 0x7FF)))
            elif kind == 2:
                c = r.randint(0x800, 0xFFFD)
                out.append(chr(c if not 0xD800 <= c <= 0xDFFF else 0x2028))
            elif kind == 3:
                out.append(chr(r.randint(0x10000, 0x10FFFF)))
            else:
                out.append(r.choice("az_ -"))
        return "".join(out)

    def int(self) -> int:
        r = self.rng
        if not self.big:
            return r.choice([0, 1, -1, JS_SAFE, -JS_SAFE, r.randint(-1000, 1000), r.randint(-JS_SAFE, JS_SAFE)])
        lo, hi = ctl_runtime._CTL_INT64_MIN, ctl_runtime._CTL_INT64_MAX
        return r.choice([0, 1, -1, lo, hi, 2 ** 53 + 1, r.randint(-1000, 1000), r.randint(lo, hi)])

    def float(self) -> float:
        r = self.rng
        while True:
            kind = r.randrange(4)
            if kind == 0:
                x = r.choice([0.0, -0.0, 0.1, 1.5, 5e-324, 2.2250738585072014e-308, 1.7976931348623157e308, 1e15, 1e-5])
            elif kind == 1:
                x = r.uniform(-1e6, 1e6)
            elif kind == 2:
                x = round(r.uniform(-1000, 1000), r.randint(0, 6))
            else:
                x = float.fromhex("%s0x1.%013xp%d" % (r.choice("+-"), r.getrandbits(52), r.randint(-1022, 1023)))
            if math.isfinite(x):
                return x

    def json(self, depth: int = 0) -> typing.Any:
        r = self.rng
        kind = r.randrange(7 if depth < 3 else 5)
        if kind == 0:
            return None
        if kind == 1:
            return r.random() < 0.5
        if kind == 2:
            return r.randint(-2 ** 53, 2 ** 53)
        if kind == 3:
            x = self.float()
            return ctl_runtime._ctl_json_number(x)  # as the reader gives a double back
        if kind == 4:
            return self.string()
        if kind == 5:
            return [self.json(depth + 1) for _ in range(r.randint(0, 3))]
        return {self.string(0, 4): self.json(depth + 1) for _ in range(r.randint(0, 3))}

    def maybe(self, make: typing.Callable[[], typing.Any]) -> typing.Any:
        return make() if self.rng.random() < 0.5 else None

    def lst(self, make: typing.Callable[[], typing.Any], hi: int = 3) -> typing.List[typing.Any]:
        return [make() for _ in range(self.rng.randint(0, hi))]

    def mp(self, make: typing.Callable[[], typing.Any], lo: int = 0) -> typing.Dict[str, typing.Any]:
        return {self.string(0, 4): make() for _ in range(self.rng.randint(lo, 3))}

    def color(self) -> t.Color:
        return self.rng.choice(list(t.Color))

    def inner(self) -> t.Inner:
        return t.Inner(name=self.string(), n=self.maybe(self.int), tags=self.maybe(lambda: self.lst(self.string)))

    def all(self) -> t.All:
        r = self.rng
        return t.All(
            s=self.string(), i=self.int(), f=self.float(), b=r.random() < 0.5, j=self.json(), c=self.color(),
            inner=self.inner(), ls=self.lst(self.string), li=self.lst(self.int), lf=self.lst(self.float),
            lb=self.lst(lambda: r.random() < 0.5), lc=self.lst(self.color), linner=self.lst(self.inner),
            lls=self.lst(lambda: self.lst(self.string)), lj=self.lst(self.json), ms=self.mp(self.string),
            mi=self.mp(self.int), minner=self.mp(self.inner), mls=self.mp(lambda: self.lst(self.string)),
            lsmall=self.lst(self.int, 3), os=self.maybe(self.string), oi=self.maybe(self.int),
            of=self.maybe(self.float), ob=self.maybe(lambda: r.random() < 0.5), oj=self.maybe(self.json),
            oc=self.maybe(self.color), oinner=self.maybe(self.inner), ols=self.maybe(lambda: self.lst(self.string)),
            oms=self.maybe(lambda: self.mp(self.int)), renamed=self.string(), di=self.int(), df=self.float(),
            db=r.random() < 0.5, dc=self.color(), ss=self.string(1, 8), ri=r.randint(-100, 100),
            rf=r.uniform(0.5, 1.5), mnonempty=self.maybe(lambda: self.mp(lambda: r.random() < 0.5, 1)))

    def tree(self, depth: int = 0) -> t.Tree:
        kids = self.rng.randint(0, 2 if depth < 4 else 0)
        return t.Tree(label=self.string(), kids=[self.tree(depth + 1) for _ in range(kids)])


def beyond_js(x: typing.Any) -> bool:
    """Whether an int field of x (not a json value: a double there) is past 2^53-1."""
    if isinstance(x, bool):
        return False
    if isinstance(x, int):
        return abs(x) > JS_SAFE
    if isinstance(x, list):
        return any(beyond_js(e) for e in typing.cast(typing.List[typing.Any], x))
    if isinstance(x, dict):
        return any(beyond_js(e) for e in typing.cast(typing.Dict[str, typing.Any], x).values())
    if hasattr(x, "__dataclass_fields__"):
        return any(beyond_js(getattr(x, k)) for k in x.__dataclass_fields__ if k not in ("j", "lj", "oj"))
    return False


class Case:
    """One value: its kind, Python's bytes of it and the event built around bytes."""

    def __init__(self, kind: str, value: typing.Any, written: bytes) -> None:
        self.kind = kind
        self.value = value
        self.written = written

    def event(self, body: bytes) -> bytes:
        if self.kind == "all":
            return b'{"function":"all","v":' + body + b"}"
        if self.kind == "tree":
            return b'{"function":"tree","t":' + body + b"}"
        return b'{"function":"flat",' + body[1:]  # flat's fields are the event's

    def read(self, body: bytes) -> typing.Any:
        if self.kind == "all":
            return t.read_All(body)
        if self.kind == "tree":
            return t.read_Tree(body)
        return ctl_runtime.from_bytes(t.CTL_T_echo_flat_result, body)


def make_cases(values: Values, count: int) -> typing.List[Case]:
    cases = []
    for i in range(count):
        values.big = values.rng.random() < 0.2
        if i % 3 == 0:
            v: typing.Any = values.all()
            cases.append(Case("all", v, t.write_All(v)))
        elif i % 3 == 1:
            v = values.tree()
            cases.append(Case("tree", v, t.write_Tree(v)))
        else:
            v = t.echo_flat_result(id=values.string(1, 64), n=values.int(), x=values.maybe(values.float),
                                   c=values.color())
            cases.append(Case("flat", v, ctl_runtime.write_bytes(t.CTL_T_echo_flat_result, v)))
    return cases


def hop(driver: str, bodies: typing.List[typing.Optional[bytes]], cases: typing.List[Case],
        tmp: str) -> typing.List[typing.Tuple[int, bytes]]:
    """Each case's event (around its body) through the driver: (exit, answer bytes)."""
    files = []
    for i, (case, body) in enumerate(zip(cases, bodies)):
        if body is None:
            continue
        path = os.path.join(tmp, "%05d.json" % i)
        with open(path, "wb") as f:
            f.write(case.event(body))
        files.append(path)
    r = subprocess.run(shlex.split(driver) + files, capture_output=True, check=False)
    if r.returncode != 0:
        sys.exit("FAIL: driver %r exited %d: %s" % (driver, r.returncode, r.stderr.decode()[-2000:]))
    answers = {}
    for line in r.stdout.decode("utf-8").splitlines():
        a = json.loads(line)
        answers[a["file"]] = (int(a["exit"]), a["stdout"].encode("utf-8", "surrogatepass").rstrip(b"\n"))
    for path in files:
        os.unlink(path)
    return [answers.get("%05d.json" % i, (-1, b"")) for i in range(len(cases))]


def main() -> int:
    drivers = {"C": sys.argv[1], "TypeScript": sys.argv[2]}
    count = int(sys.argv[4]) if len(sys.argv) > 4 else 600
    seed = int(sys.argv[5]) if len(sys.argv) > 5 else 16
    rng = random.Random(seed)
    cases = make_cases(Values(rng), count)
    big = [beyond_js(c.value) for c in cases]
    failures = 0
    compared = 0
    with tempfile.TemporaryDirectory() as tmp:
        for order in (("C", "TypeScript"), ("TypeScript", "C")):
            bodies: typing.List[typing.Optional[bytes]] = [c.written for c in cases]
            writer = "Python"
            for lang in order:
                answers = hop(drivers[lang], bodies, cases, tmp)
                for i, (case, (code, out)) in enumerate(zip(cases, answers)):
                    if bodies[i] is None:
                        continue
                    if lang == "TypeScript" and big[i]:
                        refused = code == 1 and json.loads(out).get("errorType") == "ctl.InvalidPayload"
                        if not refused:
                            print("FAIL: value %d (%s): an int past 2^53-1, TypeScript answered %d %r"
                                  % (i, case.kind, code, out[:300]))
                            failures += 1
                        bodies[i] = None
                        continue
                    compared += 1
                    if code != 0 or out != case.written:
                        print("FAIL: value %d (%s), %s -> %s: %s wrote %r, Python writes %r"
                              % (i, case.kind, writer, lang, lang, out[:300], case.written[:300]))
                        failures += 1
                        bodies[i] = None
                    else:
                        bodies[i] = out
                writer = lang
            for i, (case, body) in enumerate(zip(cases, bodies)):
                if body is None:
                    continue
                compared += 1
                back = case.read(body)
                if back != case.value:
                    print("FAIL: value %d (%s), %s -> Python: read %r, sent %r" % (i, case.kind, writer, back,
                                                                                  case.value))
                    failures += 1
            print("Python -> %s -> %s -> Python: %d of %d values all the way round, byte-identical at each hop"
                  % (order[0], order[1], sum(b is not None for b in bodies), count))
    kinds = {k: sum(c.kind == k for c in cases) for k in ("all", "tree", "flat")}
    print("%d values (seed %d; %d All, %d Tree, %d flat), %d with an int past 2^53-1 refused by TypeScript's "
          "reader; %d hops compared, %d failed" % (count, seed, kinds["all"], kinds["tree"], kinds["flat"],
                                                   sum(big), compared, failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
