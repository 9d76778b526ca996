"""roundtrip.py CTL_ECHO MODULE_DIR [COUNT] [SEED]: random values of every
type of tests/gen/alltypes.ctl, written by Python, read by C and written back.

Each value goes through the generated caller stubs (echo_client.call_all,
call_tree, call_flat) over a stand-in for boto3's Lambda client that runs
`CTL_ECHO invoke -` on the payload: Python writes the event, the C reader
reads it and the C writer writes the result back, which the Python reader
reads. The C bytes must equal what Python's writer makes of the value, and
the value read back must equal the one sent. Seeded; prints the counts."""
import io
import math
import random
import subprocess
import sys
import typing

sys.path.insert(0, sys.argv[2])
import alltypes as t  # noqa: E402  (the generated module)
import ctl_runtime  # noqa: E402  (its runtime, beside it)


class EchoLambda:
    """boto3's Lambda client, as far as the stubs use it, over ctl_echo."""

    def __init__(self, echo: str) -> None:
        self.echo = echo
        self.last_body = b""

    def invoke(self, FunctionName: str, InvocationType: str, Payload: bytes) -> typing.Dict[str, typing.Any]:
        r = subprocess.run([self.echo, "invoke", "-"], input=Payload, capture_output=True, check=False)
        if r.stderr or r.returncode not in (0, 1):
            raise RuntimeError("ctl_echo exited %d: %r" % (r.returncode, r.stderr[:400]))
        self.last_body = r.stdout.rstrip(b"\n")
        answer: typing.Dict[str, typing.Any] = {"StatusCode": 200, "Payload": io.BytesIO(self.last_body)}
        if r.returncode:
            answer["FunctionError"] = "Unhandled"
        return answer


class Values:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

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


def main() -> int:
    echo, count = sys.argv[1], int(sys.argv[3]) if len(sys.argv) > 3 else 200
    seed = int(sys.argv[4]) if len(sys.argv) > 4 else 16
    rng = random.Random(seed)
    values = Values(rng)
    lam = EchoLambda(echo)
    client = t.echo_client(lambda_client=lam)
    failures = 0
    for i in range(count):
        kind = i % 3
        if kind == 0:
            v: typing.Any = values.all()
            back: typing.Any = client.call_all(t.echo_all_args(v=v))
            want = t.write_All(v)
        elif kind == 1:
            v = values.tree()
            back = client.call_tree(t.echo_tree_args(t=v))
            want = t.write_Tree(v)
        else:
            v = t.echo_flat_args(id=values.string(1, 64), n=values.int(), x=values.maybe(values.float),
                                 c=values.color())
            back = client.call_flat(v)
            v = t.echo_flat_result(id=v.id, n=v.n, x=v.x, c=v.c)
            want = ctl_runtime.write_bytes(t.CTL_T_echo_flat_result, v)
        if lam.last_body != want:
            print("FAIL: value %d: C wrote %r, Python writes %r" % (i, lam.last_body[:400], want[:400]))
            failures += 1
        elif back != v:
            print("FAIL: value %d: read back %r, sent %r" % (i, back, v))
            failures += 1
    print("%d values (seed %d) Python -> C -> Python: %d byte-identical and equal, %d failed"
          % (count, seed, count - failures, failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
