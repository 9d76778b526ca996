"""verdict_test.py CTLC CTL_ECHO NPM_PREFIX WORK [COUNT SEED [SUITE...]]: the
TypeScript reader and writer of tests/gen/alltypes.ctl against the C ones.

`ctlc ts` generates the module, tsc compiles it, and echo_driver.mjs (the
TypeScript twin of ctl_echo) answers every event: the corpus tests/events
(compared with each NAME.expected, the transcript of ctl_echo), the events
of tests/schema/events, the y_, n_ and i_ files of Seriot's JSONTestSuite
(the first SUITE folder that exists, as tests/jsonsuite feeds them to
ctl_echo; left out when none does) and COUNT events generated with SEED
(mutations of the corpus's valid events: values replaced by hostile ones,
floats of random bits, fields dropped or repeated, bytes changed; compared
with ctl_echo run
on each). Each event must get the same verdict (exit status), errorType,
message and written bytes from both, except the events of
allowed_differences.txt, each of which must still differ; a generated event
may differ only by the reader refusing an integer past 2^53-1 (which C
reads, and then accepts or refuses something after it), and those are
counted."""
import json
import os
import random
import shutil
import struct
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ts_lib import HERE, ROOT, fail, generate, project, tsc  # noqa: E402

ctlc, echo, npm, work = sys.argv[1:5]
echo = os.path.abspath(echo)
count = int(sys.argv[5]) if len(sys.argv) > 5 else 400
seed = int(sys.argv[6]) if len(sys.argv) > 6 else 1
suite = next((c for c in sys.argv[7:] if os.path.isdir(os.path.join(c, "test_parsing"))), None)
shutil.rmtree(work, ignore_errors=True)
gen = os.path.join(work, "gen")
generate(ctlc, os.path.join(ROOT, "tests", "gen", "alltypes.ctl"), gen)
project(gen, npm)
tsc(gen, npm)

corpus = os.path.join(ROOT, "tests", "events")
schema_events = os.path.join(ROOT, "tests", "schema", "events")
events = []  # (path, kind)
events += [(os.path.join(corpus, f), "corpus") for f in sorted(os.listdir(corpus)) if f.endswith(".json")]
events += [(os.path.join(schema_events, f), "schema") for f in sorted(os.listdir(schema_events))
           if f.endswith(".json")]

if suite:
    parsing = os.path.join(suite, "test_parsing")
    events += [(os.path.join(parsing, f), "jsonsuite") for f in sorted(os.listdir(parsing))
               if f.endswith(".json") and f[:2] in ("y_", "n_", "i_")]

# ---- generated events ----------------------------------------------------------------------
rng = random.Random(seed)


def rand_float():
    while True:
        d = struct.unpack("<d", struct.pack("<Q", rng.getrandbits(64)))[0]
        if d == d and abs(d) != float("inf"):
            return d


def float_text(d):
    return rng.choice([repr(d), "%.17g" % d, "%.3e" % d, "%r" % d]).replace("inf", "1e999")


def rand_int_text():
    return rng.choice([str(rng.randint(-1000, 1000)), str(rng.randint(-2**53 + 1, 2**53 - 1)),
                       str(rng.randint(-2**63, 2**63 - 1)), str(rng.choice([2**53, -2**53, 2**63, -2**63 - 1])),
                       "%d.0" % rng.randint(-99, 99), "%de%d" % (rng.randint(1, 9), rng.randint(0, 20)),
                       "1.5", "-0", "1e-1"])


def rand_string_text():
    return rng.choice(['""', '"abc"', '"caf\u00e9"', '"\\u0000"', '"\\ud800"', '"\\ud83d\\ude00"', '"\\udc00x"',
                       '"a\\"b\\\\c\\n\\u0001"', '"\U0001F600\U0001F600"', '"' + "x" * rng.randint(0, 70) + '"',
                       '"red"', '"deep-blue"', '"blue"', '"\\u007f"'])


def rand_value(depth=0):
    k = rng.randrange(9 if depth < 3 else 6)
    if k == 0:
        return rand_int_text()
    if k == 1:
        return float_text(rand_float())
    if k == 2:
        return rand_string_text()
    if k == 3:
        return rng.choice(["true", "false", "null"])
    if k == 4:
        return "[" + ",".join(float_text(rand_float()) for _ in range(rng.randrange(4))) + "]"
    if k == 5:
        return "[]"
    if k == 6:
        return "[" + ",".join(rand_value(depth + 1) for _ in range(rng.randrange(4))) + "]"
    keys = [rand_string_text() for _ in range(rng.randrange(4))]
    return "{" + ",".join("%s:%s" % (key, rand_value(depth + 1)) for key in keys) + "}"


class Obj(list):
    """An object's members, in order, as (key, value) pairs."""


class Num(str):
    """A number's text, as written."""


def members(text):
    """The parsed event, objects as Obj and numbers as Num."""
    value, _ = json.JSONDecoder(object_pairs_hook=Obj, parse_float=Num, parse_int=Num).raw_decode(text)
    return value


def dump(pairs):
    return "{" + ",".join("%s:%s" % (json.dumps(k, ensure_ascii=False), v) for k, v in pairs) + "}"


def raw(value):
    """A parsed value back as JSON text."""
    if isinstance(value, Obj):
        return dump([(k, raw(v)) for k, v in value])
    if isinstance(value, list):
        return "[" + ",".join(raw(v) for v in value) + "]"
    if isinstance(value, Num):
        # The bases stay within JavaScript's exact integers, so that what
        # a mutation breaks is compared, not the refusal past 2^53-1.
        if value.lstrip("-").isdigit() and abs(int(value)) > 2**53 - 1:
            return str(2**53 - 1) if int(value) > 0 else str(-(2**53 - 1))
        return str(value)
    return json.dumps(value, ensure_ascii=False)


bases = []
for name in sorted(os.listdir(corpus)):
    if name.startswith("valid_all") and name.endswith(".json"):
        with open(os.path.join(corpus, name), encoding="utf-8") as f:
            ev = members(f.read())
        v = [p for p in ev if p[0] == "v"][0][1]
        bases.append([(k, raw(x)) for k, x in v])
gen_dir = os.path.join(work, "generated")
os.makedirs(gen_dir)
for i in range(count):
    fields = list(rng.choice(bases))
    if i % 20 == 0:
        # A valid event of 200 floats of random bits: C's float text, exactly.
        fields = [(k, x) for k, x in bases[-1] if k != "lf"]
        fields.append(("lf", "[" + ",".join(float_text(rand_float()) for _ in range(200)) + "]"))
    for _ in range(rng.randint(1, 3) if i % 20 else 0):
        op = rng.randrange(6)
        j = rng.randrange(len(fields))
        if op <= 1:
            fields[j] = (fields[j][0], rand_value())
        elif op == 2:
            del fields[j]
            if not fields:
                fields.append(("s", '"x"'))
        elif op == 3:
            fields.append((fields[j][0], rand_value()))
        elif op == 4:
            fields.append(("lf", "[" + ",".join(float_text(rand_float()) for _ in range(5)) + "]"))
        else:
            fields.append(("zz" + str(rng.randrange(3)), rand_value()))
    text = ('{"function":"all","v":' + dump(fields) + "}").encode("utf-8")
    if rng.randrange(20) == 0:
        b = bytearray(text)
        b[rng.randrange(len(b))] = rng.randrange(256)
        text = bytes(b)
    path = os.path.join(gen_dir, "gen_%04d.json" % i)
    with open(path, "wb") as f:
        f.write(text)
    events.append((path, "generated"))

# ---- both readers ------------------------------------------------------------------------------
p = subprocess.run(["node", os.path.join(HERE, "echo_driver.mjs"), os.path.join(gen, "js")] + [e for e, _ in events],
                   capture_output=True, text=True)
if p.returncode != 0:
    fail("echo_driver.mjs: exit %d\n%s" % (p.returncode, p.stderr[-4000:]))
ts = [json.loads(line) for line in p.stdout.split("\n") if line]
if len(ts) != len(events):
    fail("echo_driver.mjs answered %d events of %d" % (len(ts), len(events)))


def c_answer(path, kind):
    if kind == "corpus":
        with open(path[:-5] + ".expected", encoding="utf-8") as f:
            text = f.read()
        body, _, last = text.rstrip("\n").rpartition("\n")
        return body + "\n", int(last[len("[exit "):-1])
    with open(path, "rb") as f:
        r = subprocess.run([echo, "invoke", "-"], stdin=f, capture_output=True)
    if r.stderr:
        fail("%s: ctl_echo wrote to stderr: %s" % (path, r.stderr[:2000]))
    return r.stdout.decode("utf-8"), r.returncode


def describe(out, code):
    if code == 0:
        return None, None
    e = json.loads(out)
    return e["errorType"], e["errorMessage"]


allowed = {}
with open(os.path.join(HERE, "allowed_differences.txt"), encoding="utf-8") as f:
    for line in f:
        if line.strip() and not line.startswith("#"):
            name, reason = line.rstrip("\n").split("\t", 1)
            allowed[name] = reason
counts = {"same": 0, "allowed": 0, "refused_past_2^53": 0}
kinds = {"corpus": 0, "schema": 0, "jsonsuite": 0, "generated": 0}
accepted = 0
problems = []
for (path, kind), t in zip(events, ts):
    kinds[kind] += 1
    name = os.path.basename(path)
    c_out, c_exit = c_answer(path, kind)
    same = (c_out, c_exit) == (t["stdout"], t["exit"])
    if same:
        counts["same"] += 1
        accepted += c_exit == 0
        if kind != "generated" and name in allowed:
            problems.append("%s is in allowed_differences.txt but no longer differs: remove it" % name)
        continue
    if kind != "generated" and name in allowed:
        counts["allowed"] += 1
        continue
    t_type, t_msg = describe(t["stdout"], t["exit"])
    if kind == "generated" and t_type == "ctl.InvalidPayload" and "beyond JavaScript's exact integers" in t_msg:
        counts["refused_past_2^53"] += 1
        continue
    c_type, c_msg = describe(c_out, c_exit)
    if c_exit != t["exit"]:
        what = "verdict: C exit %d, TypeScript exit %d" % (c_exit, t["exit"])
    elif c_type != t_type:
        what = "errorType: C %s, TypeScript %s" % (c_type, t_type)
    elif c_msg != t_msg:
        what = "message: C %r, TypeScript %r" % (c_msg, t_msg)
    else:
        what = "written bytes"
    problems.append("%s (%s): %s\n  C:  %s\n  TS: %s" % (name, kind, what, c_out[:600].rstrip(),
                                                      t["stdout"][:600].rstrip()))
for name in allowed:
    if not any(os.path.basename(e) == name for e, k in events if k != "generated"):
        problems.append("allowed_differences.txt names %s, which is no event" % name)
print("events: %d (corpus %d, schema %d, JSONTestSuite %s, generated %d with seed %d)" % (
    len(events), kinds["corpus"], kinds["schema"], kinds["jsonsuite"] if suite else "not found",
    kinds["generated"], seed))
print("same verdict, errorType, message and bytes: %d (%d accepted and written back); allowed differences: %d; "
      "generated events TypeScript refused past 2^53-1: %d" % (counts["same"], accepted, counts["allowed"],
                                                   counts["refused_past_2^53"]))
if problems:
    print("\n".join(problems[:40]))
    fail("%d events differ" % len(problems))
print("ts/verdict: passed")
