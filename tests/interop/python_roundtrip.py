#!/usr/bin/env python3
"""python_roundtrip.py CTL_ECHO [COUNT]: random values of `All` through
Python's json and ctl_echo, and back.

For COUNT (default 300) random values of the struct `All` of
tests/gen/alltypes.ctl, made from a fixed seed, this writes the event
{"function": "all", "v": VALUE} twice, as a Python caller would:

  - json.dumps(event)                          ASCII with \\u escapes (the default)
  - json.dumps(event, ensure_ascii=False)      raw UTF-8

runs each through `CTL_ECHO invoke -` (the echo handler returns its
argument) and checks that

  (a) the response, parsed with json.loads, equals VALUE with the defaults
      filled in (wire-name "dflt", di -7, df 2.5, db true, dc "deep-blue",
      ss "x", ri 0, rf 1.0) and without the optional fields that were absent
      or null; ints come back exactly, floats bit for bit (the sign of a
      zero included), values of json fields as the same JSON (a number is
      equal when its value is, 1 and 1.0 alike; -0.0 keeps its sign);
  (b) the response is strict UTF-8 and strict JSON: json.loads(strict=True),
      no NaN or Infinity, no number beyond a double (1.79769313486232e+308),
      no key twice in an object, no lone surrogate.

Values cover every type: random strings from the whole of Unicode (astral
characters, controls, quotes and backslashes, U+2028, noncharacters; never
U+0000 or a surrogate, which ctl rejects by contract), ints over the whole
int64 range, floats with subnormals, the extremes and -0.0, nested lists and
maps, optional fields present, absent or null.

Prints one line per failure (the first few in full), then
`N passed, M failed`; exits 1 when anything failed, 2 on usage errors.
Processes run in parallel; the run is deterministic for a given seed.
"""
import concurrent.futures
import json
import math
import os
import random
import re
import struct
import subprocess
import sys

SEED = 0x5EED_C71
DEFAULT_COUNT = 300
INT64_MIN = -(1 << 63)
INT64_MAX = (1 << 63) - 1
COLORS = ["red", "green", "deep-blue"]
DEFAULTS = {
    "wire-name": "dflt", "di": -7, "df": 2.5, "db": True, "dc": "deep-blue",
    "ss": "x", "ri": 0, "rf": 1.0,
}
OPTIONAL = ["os", "oi", "of", "ob", "oj", "oc", "oinner", "ols", "oms", "mnonempty"]


# ---- random values ------------------------------------------------------------------

def rand_char(rng):
    k = rng.random()
    if k < 0.40:
        return chr(rng.randint(0x20, 0x7E))
    if k < 0.50:
        return chr(rng.choice([*range(0x01, 0x20), 0x7F]))  # controls, never U+0000
    if k < 0.56:
        return rng.choice(['"', '\\', '/', '\u2028', '\u2029', '\ufeff', '\ufffe', '\uffff', '\u0085'])
    if k < 0.78:
        while True:  # the BMP without surrogates
            cp = rng.randint(0x80, 0xFFFF)
            if not 0xD800 <= cp <= 0xDFFF:
                return chr(cp)
    return chr(rng.randint(0x10000, 0x10FFFF))  # astral


def rand_str(rng, lo=0, hi=10):
    return "".join(rand_char(rng) for _ in range(rng.randint(lo, hi)))


def rand_int(rng):
    k = rng.random()
    if k < 0.15:
        return rng.choice([0, 1, -1, INT64_MIN, INT64_MAX, INT64_MIN + 1, INT64_MAX - 1,
                           (1 << 53) + 1, -(1 << 53) - 1, 1 << 53, 10 ** 18, -10 ** 18])
    if k < 0.50:
        return rng.randint(INT64_MIN, INT64_MAX)
    if k < 0.80:  # spread over the magnitudes
        bits = rng.randint(0, 63)
        return rng.choice([1, -1]) * rng.randint(0, (1 << bits) - 1)
    return rng.randint(-1000, 1000)


def rand_float(rng):
    k = rng.random()
    if k < 0.15:
        return rng.choice([0.0, -0.0, 5e-324, -5e-324, 2.2250738585072014e-308,
                           2.225073858507201e-308, 1.7976931348623157e308, -1.7976931348623157e308,
                           0.1, 0.30000000000000004, 1e-7, 1e16, 1e21, 123456789012345680000.0,
                           9007199254740993.0, 2.5, 1.0, -1.0])
    if k < 0.55:  # any finite double, from its bits
        while True:
            d = struct.unpack("<d", struct.pack("<Q", rng.getrandbits(64)))[0]
            if math.isfinite(d):
                return d
    if k < 0.70:  # subnormals
        d = struct.unpack("<d", struct.pack("<Q", rng.getrandbits(52)))[0]
        return -d if rng.random() < 0.5 else d
    if k < 0.85:
        return rng.uniform(-1e6, 1e6)
    return float(rng.randint(-(1 << 60), 1 << 60))  # integral doubles


def rand_json_int(rng):
    """An int for a json field: within +-2^53, the range where RFC 8259 (6)
    says JSON numbers interoperate; a json field holds a cJSON double, so
    larger ints are not expected to stay exact (int fields are)."""
    if rng.random() < 0.2:
        return rng.choice([0, -1, 1 << 53, -(1 << 53), (1 << 53) - 1, 10 ** 15, 999999999999999])
    bits = rng.randint(0, 53)
    return rng.choice([1, -1]) * rng.randint(0, 1 << bits)


def rand_json(rng, depth=0):
    k = rng.random()
    if depth >= 4 or k < 0.45:
        kind = rng.randrange(6)
        if kind == 0:
            return None
        if kind == 1:
            return rng.random() < 0.5
        if kind == 2:
            return rand_json_int(rng)
        if kind == 3:
            return rand_float(rng)
        return rand_str(rng)
    if k < 0.75:
        return [rand_json(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    return {rand_str(rng, 0, 6): rand_json(rng, depth + 1) for _ in range(rng.randint(0, 4))}


def rand_list(rng, f, hi=4):
    return [f(rng) for _ in range(rng.randint(0, hi))]


def rand_map(rng, f, hi=4, lo=0):
    m = {}
    while len(m) < lo or (len(m) < hi and rng.random() < 0.7):
        m[rand_str(rng, 0, 8)] = f(rng)
    return m


def maybe_null(rng, value):
    """An optional value as sent: the value, or null now and then."""
    return None if rng.random() < 0.25 else value


def rand_inner(rng):
    v = {"name": rand_str(rng)}
    if rng.random() < 0.5:
        v["n"] = maybe_null(rng, rand_int(rng))
    if rng.random() < 0.5:
        v["tags"] = maybe_null(rng, rand_list(rng, rand_str))
    return v


def rand_all(rng):
    v = {
        "s": rand_str(rng, 0, 30), "i": rand_int(rng), "f": rand_float(rng),
        "b": rng.random() < 0.5, "j": rand_json(rng), "c": rng.choice(COLORS),
        "inner": rand_inner(rng),
        "ls": rand_list(rng, rand_str), "li": rand_list(rng, rand_int),
        "lf": rand_list(rng, rand_float), "lb": rand_list(rng, lambda r: r.random() < 0.5),
        "lc": rand_list(rng, lambda r: r.choice(COLORS)), "linner": rand_list(rng, rand_inner, 3),
        "lls": rand_list(rng, lambda r: rand_list(r, rand_str, 3), 3),
        "lj": rand_list(rng, rand_json, 3),
        "ms": rand_map(rng, rand_str), "mi": rand_map(rng, rand_int),
        "minner": rand_map(rng, rand_inner, 3),
        "mls": rand_map(rng, lambda r: rand_list(r, rand_str, 3), 3),
        "lsmall": rand_list(rng, rand_int, 3),
    }
    optional = {
        "os": lambda: rand_str(rng), "oi": lambda: rand_int(rng), "of": lambda: rand_float(rng),
        "ob": lambda: rng.random() < 0.5, "oj": lambda: rand_json(rng),
        "oc": lambda: rng.choice(COLORS), "oinner": lambda: rand_inner(rng),
        "ols": lambda: rand_list(rng, rand_str), "oms": lambda: rand_map(rng, rand_int),
        "mnonempty": lambda: rand_map(rng, lambda r: r.random() < 0.5, 4, 1),
    }
    for name, make in optional.items():
        if rng.random() < 0.5:
            v[name] = maybe_null(rng, make())
    with_default = {
        "wire-name": lambda: rand_str(rng), "di": lambda: rand_int(rng),
        "df": lambda: rand_float(rng), "db": lambda: rng.random() < 0.5,
        "dc": lambda: rng.choice(COLORS),
        "ss": lambda: rand_str(rng, 1, 8),  # @length(1..8) in code points
        "ri": lambda: rng.randint(-100, 100),
        "rf": lambda: rng.choice([0.5, 1.5, rng.uniform(0.5, 1.5)]),
    }
    for name, make in with_default.items():
        if rng.random() < 0.5:
            v[name] = make()
    items = list(v.items())
    rng.shuffle(items)  # field order must not matter
    return dict(items)


def expected_of(value):
    """What the echo must answer: defaults filled in, null optionals gone."""
    out = {k: x for k, x in value.items() if not (k in OPTIONAL and x is None)}
    for k, d in DEFAULTS.items():
        out.setdefault(k, d)

    def inner(x):
        return {k: y for k, y in x.items() if y is not None}

    out["inner"] = inner(out["inner"])
    out["linner"] = [inner(x) for x in out["linner"]]
    out["minner"] = {k: inner(x) for k, x in out["minner"].items()}
    if "oinner" in out:
        out["oinner"] = inner(out["oinner"])
    return out


# ---- comparison ------------------------------------------------------------------------

def is_number(x):
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def same_float(want, got):
    if not is_number(got) or got != want:  # int == float compares exactly
        return False
    return math.copysign(1.0, float(got)) == math.copysign(1.0, want)


def same_int(want, got):
    return isinstance(got, int) and not isinstance(got, bool) and got == want


def diff_json(want, got, path):
    """The first difference as JSON values: numbers by value (1 == 1.0),
    the sign of zero kept. 'PATH: ...' or None."""
    bad = "%s: sent %r, got %r" % (path, want, got)
    if isinstance(want, bool) or want is None or isinstance(want, str):
        return None if type(got) is type(want) and got == want else bad
    if is_number(want):
        if not is_number(got) or got != want:
            return bad
        if isinstance(want, float) and want == 0 and \
                math.copysign(1.0, float(got)) != math.copysign(1.0, want):
            return bad
        return None
    if isinstance(want, list):
        if not isinstance(got, list) or len(got) != len(want):
            return bad
        for i, (a, b) in enumerate(zip(want, got)):
            d = diff_json(a, b, "%s[%d]" % (path, i))
            if d:
                return d
        return None
    if not isinstance(got, dict) or got.keys() != want.keys():
        return bad
    for k in want:
        d = diff_json(want[k], got[k], "%s[%r]" % (path, k))
        if d:
            return d
    return None


# What each field of All holds: 's' string, 'i' int, 'f' float, 'b' bool,
# 'c' enum, 'j' json, ('l', T) list, ('m', T) map, 'inner' the struct Inner.
ALL_FIELDS = {
    "s": "s", "i": "i", "f": "f", "b": "b", "j": "j", "c": "c", "inner": "inner",
    "ls": ("l", "s"), "li": ("l", "i"), "lf": ("l", "f"), "lb": ("l", "b"), "lc": ("l", "c"),
    "linner": ("l", "inner"), "lls": ("l", ("l", "s")), "lj": ("l", "j"),
    "ms": ("m", "s"), "mi": ("m", "i"), "minner": ("m", "inner"), "mls": ("m", ("l", "s")),
    "os": "s", "oi": "i", "of": "f", "ob": "b", "oj": "j", "oc": "c", "oinner": "inner",
    "ols": ("l", "s"), "oms": ("m", "i"), "wire-name": "s", "di": "i", "df": "f", "db": "b",
    "dc": "c", "ss": "s", "ri": "i", "rf": "f", "lsmall": ("l", "i"), "mnonempty": ("m", "b"),
}
INNER_FIELDS = {"name": "s", "n": "i", "tags": ("l", "s")}


def diff(kind, want, got, path):
    """The first difference between want and got as 'PATH: ...', or None."""
    if isinstance(kind, tuple):
        container = list if kind[0] == "l" else dict
        if not isinstance(got, container):
            return "%s: expected %s, got %r" % (path, container.__name__, got)
        if len(got) != len(want):
            return "%s: %d items, got %d" % (path, len(want), len(got))
        if container is dict and got.keys() != want.keys():
            return "%s: keys %r, got %r" % (path, sorted(want), sorted(got))
        keys = range(len(want)) if container is list else want.keys()
        for k in keys:
            sub = "%s[%r]" % (path, k)
            d = diff(kind[1], want[k], got[k], sub)
            if d:
                return d
        return None
    if kind in ("inner", "all"):
        fields = INNER_FIELDS if kind == "inner" else ALL_FIELDS
        if not isinstance(got, dict):
            return "%s: expected an object, got %r" % (path, got)
        if got.keys() != want.keys():
            return "%s: fields %s, got %s" % (path, sorted(want), sorted(got))
        for k in want:
            d = diff(fields[k], want[k], got[k], "%s.%s" % (path, k))
            if d:
                return d
        return None
    if kind == "j":
        return diff_json(want, got, path)
    ok = {"s": lambda: isinstance(got, str) and got == want, "c": lambda: got == want,
          "b": lambda: got is want, "i": lambda: same_int(want, got),
          "f": lambda: same_float(want, got)}[kind]()
    return None if ok else "%s: sent %r, got %r" % (path, want, got)


# ---- strict parsing of the response -------------------------------------------------------

class NotStrict(ValueError):
    pass


def no_constants(name):
    raise NotStrict("the response holds %s" % name)


def no_duplicates(pairs):
    obj = {}
    for k, v in pairs:
        if k in obj:
            raise NotStrict("the response has the key %r twice in an object" % k)
        obj[k] = v
    return obj


def check_no_surrogates(x):
    if isinstance(x, str):
        if any(0xD800 <= ord(ch) <= 0xDFFF for ch in x):
            raise NotStrict("the response holds a lone surrogate: %r" % x)
    elif isinstance(x, list):
        for y in x:
            check_no_surrogates(y)
    elif isinstance(x, dict):
        for k, y in x.items():
            check_no_surrogates(k)
            check_no_surrogates(y)


def finite_float(text):
    d = float(text)
    if not math.isfinite(d):
        raise NotStrict("the response holds the number %s, beyond a double" % text)
    return d


def parse_strict(raw):
    text = raw.decode("utf-8")  # strict: invalid UTF-8 raises
    value = json.loads(text, strict=True, parse_constant=no_constants,
                       parse_float=finite_float, object_pairs_hook=no_duplicates)
    check_no_surrogates(value)
    return value


# ---- running ----------------------------------------------------------------------------------

def run_one(ctl_echo, event_bytes):
    p = subprocess.run([ctl_echo, "invoke", "-"], input=event_bytes, capture_output=True,
                       timeout=60)
    return p.returncode, p.stdout, p.stderr


def check(ctl_echo, index, style, value, event_bytes):
    """None when the round trip holds, else a description of the failure."""
    rc, out, err = run_one(ctl_echo, event_bytes)
    where = "value %d (%s)" % (index, style)
    if rc != 0 or err:
        return "%s: exit %d, stdout %s, stderr %s" % (
            where, rc, out[:300].decode("utf-8", "backslashreplace").strip(),
            err[:300].decode("utf-8", "backslashreplace").strip())
    try:
        got = parse_strict(out.rstrip(b"\n"))
    except (UnicodeDecodeError, ValueError) as e:
        return "%s: the response is not strict JSON: %s" % (where, e)
    d = diff("all", expected_of(value), got, "$.v")
    return "%s: %s" % (where, d) if d else None


def main(argv):
    if len(argv) not in (2, 3):
        print(__doc__.split("\n\n")[0], file=sys.stderr)
        return 2
    ctl_echo = argv[1]
    count = int(argv[2]) if len(argv) == 3 else DEFAULT_COUNT
    if not os.access(ctl_echo, os.X_OK):
        print("python_roundtrip: %s is not an executable" % ctl_echo, file=sys.stderr)
        return 2
    rng = random.Random(SEED)
    jobs = []
    for index in range(count):
        value = rand_all(rng)
        event = {"function": "all", "v": value}
        jobs.append((index, "ascii", value, json.dumps(event).encode("ascii")))
        jobs.append((index, "utf-8", value, json.dumps(event, ensure_ascii=False).encode("utf-8")))

    # A few fixed events beside the random ones: the defaults, and values
    # that Python writes in its own way (1e+16, -0.0, 5e-324, "\ud83d\ude00").
    fixed = {
        "s": "\U0001F600\u2028\x7f\x01\"\\", "i": INT64_MIN, "f": -0.0, "b": False, "j": [],
        "c": "deep-blue", "inner": {"name": ""}, "ls": [], "li": [INT64_MAX], "lf": [1e16, 5e-324],
        "lb": [], "lc": [], "linner": [], "lls": [], "lj": [], "ms": {"": ""}, "mi": {},
        "minner": {}, "mls": {}, "lsmall": [],
    }
    fixed_event = {"function": "all", "v": fixed}
    jobs.append((count, "ascii", fixed, json.dumps(fixed_event).encode("ascii")))
    jobs.append((count, "utf-8", fixed, json.dumps(fixed_event, ensure_ascii=False).encode("utf-8")))

    failures = []
    workers = max(2, min(16, (os.cpu_count() or 2)))
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        results = pool.map(lambda job: check(ctl_echo, *job), jobs)
        for result in results:
            if result:
                failures.append(result)

    shown = int(os.environ.get("CTL_INTEROP_SHOW", "20"))
    for f in failures[:shown]:
        print("FAIL", f if len(f) < 2000 else f[:2000] + "...")
    if len(failures) > shown:
        print("... and %d more failures" % (len(failures) - shown))
    if failures:
        # Where the failures are, to tell one bug from many.
        by_field = {}
        for f in failures:
            m = re.search(r"\$\.v\.([A-Za-z-]+)", f)
            key = m.group(1) if m else "strict JSON"
            by_field[key] = by_field.get(key, 0) + 1
        print("failures by field:", ", ".join("%s %d" % kv for kv in sorted(by_field.items())))
    passed = len(jobs) - len(failures)
    print("%d passed, %d failed" % (passed, len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
