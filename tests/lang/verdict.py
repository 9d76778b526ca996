"""verdict.py: one verdict across languages on the event corpus.

usage: verdict.py --driver NAME=COMMAND [--driver NAME=COMMAND]... --allowed FILE
                  [--generated N] [--seed S] EVENT_DIR...

Events: every *.json of the EVENT_DIRs (the runtime's corpus tests/events, the
schema agreement test's tests/schema/events), then N events generated with a
seeded PRNG from the corpus's accepted `all`, `flat` and `tree` events: a
field removed, a value replaced by one of another type or out of range, an
unknown field added, written with or without \\u escapes.

A driver is a command that takes event files as arguments and prints, per
file, one JSON line {"file": NAME, "stdout": TEXT, "exit": N}: what the C
test controller (`ctl_echo invoke -`, tests/gen/echo.c) prints for that event
and its exit status. The first driver is the reference (c); every other one
must give each event the same verdict (exit status), errorType, message and,
for an accepted event, the same written bytes. The allowed-difference list
names, one a line, `DRIVER FILE reason`: those events may differ for that
driver, and each must (an entry that no longer differs fails: remove it).
Prints the counts: events, agreed, listed differences, per driver."""
import argparse
import json
import os
import random
import shlex
import subprocess
import sys
import tempfile
import typing

Answer = typing.Dict[str, typing.Any]


def run_driver(command: str, files: typing.List[str]) -> typing.Dict[str, Answer]:
    r = subprocess.run(shlex.split(command) + files, capture_output=True, check=False)
    if r.returncode != 0:
        sys.exit("FAIL: driver %r exited %d: %s" % (command, r.returncode, r.stderr.decode()[-2000:]))
    answers: typing.Dict[str, Answer] = {}
    for line in r.stdout.decode("utf-8").splitlines():
        a = json.loads(line)
        answers[a["file"]] = a
    missing = [os.path.basename(f) for f in files if os.path.basename(f) not in answers]
    if missing:
        sys.exit("FAIL: driver %r gave no answer for %d events, first %s" % (command, len(missing), missing[0]))
    return answers


def error_of(a: Answer) -> typing.Tuple[str, str]:
    try:
        e = json.loads(a["stdout"])
        return str(e.get("errorType")), str(e.get("errorMessage"))
    except (ValueError, AttributeError):
        return "?", "?"


def difference(ref: Answer, other: Answer) -> typing.Optional[str]:
    """What differs, in the order verdict, errorType, message, bytes."""
    if ref["exit"] != other["exit"]:
        return "verdict: exit %s, reference exit %s" % (other["exit"], ref["exit"])
    if ref["stdout"] == other["stdout"]:
        return None
    if ref["exit"] != 0:
        rt, rm = error_of(ref)
        ot, om = error_of(other)
        if rt != ot:
            return "errorType %s, reference %s" % (ot, rt)
        return "message %r, reference %r" % (om[:300], rm[:300])
    return "written bytes %r, reference %r" % (other["stdout"][:300], ref["stdout"][:300])


# ---- generated events ------------------------------------------------------------------

HOSTILE: typing.List[typing.Any] = [None, True, 0, -1, 1.5, 1e300, -0.0, 2 ** 63, -(2 ** 63) - 1, 2 ** 53 + 1,
                                    "", "x", "\u00e9\u20ac", "\U0001F600", "deep-blue", "red", [], [1], ["a"],
                                    {}, {"a": 1}, {"name": "n"}, "a\u2028b", "\x7f", "\t"]


def paths(v: typing.Any, at: typing.Tuple[typing.Any, ...] = ()) -> typing.Iterator[typing.Tuple[typing.Any, ...]]:
    """Every place in v (object keys and array indexes), outermost first."""
    if isinstance(v, dict):
        for k in v:
            yield at + (k,)
            yield from paths(v[k], at + (k,))
    elif isinstance(v, list):
        for i, item in enumerate(v):
            yield at + (i,)
            yield from paths(item, at + (i,))


def mutate(rng: random.Random, event: typing.Any) -> typing.Any:
    places = [p for p in paths(event) if p != ("function",)]
    p = rng.choice(places)
    holder = event
    for step in p[:-1]:
        holder = holder[step]
    what = rng.randrange(3)
    if what == 0 and isinstance(holder, dict):
        del holder[p[-1]]
    elif what == 1 and isinstance(holder, dict):
        holder["unknown_%d" % rng.randrange(100)] = rng.choice(HOSTILE)
    else:
        holder[p[-1]] = rng.choice(HOSTILE)
    return event


def generate(rng: random.Random, seeds: typing.List[bytes], n: int, folder: str) -> typing.List[str]:
    files = []
    for i in range(n):
        event = mutate(rng, json.loads(rng.choice(seeds)))
        text = json.dumps(event, ensure_ascii=rng.random() < 0.5, separators=(",", ":"))
        path = os.path.join(folder, "generated_%04d.json" % i)
        with open(path, "wb") as f:
            f.write(text.encode("utf-8"))
        files.append(path)
    return files


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--driver", action="append", required=True, help="NAME=COMMAND; the first is the reference")
    ap.add_argument("--allowed", required=True)
    ap.add_argument("--generated", type=int, default=0)
    ap.add_argument("--seed", type=int, default=16)
    ap.add_argument("dirs", nargs="+")
    opt = ap.parse_args()
    drivers = []
    for d in opt.driver:
        name, sep, command = d.partition("=")
        if not sep or not name or not command:
            sys.exit("FAIL: --driver wants NAME=COMMAND, got %r" % d)
        drivers.append((name, command))
    with tempfile.TemporaryDirectory() as tmp:
        return verdict(opt, drivers, tmp)


def verdict(opt: argparse.Namespace, drivers: typing.List[typing.Tuple[str, str]], tmp: str) -> int:
    # The events of every folder but the first are copied with the name of
    # the folder's parent before theirs (schema_float_overflow.json): names
    # are the answers' keys, and folders share some.
    files = []
    for i, d in enumerate(opt.dirs):
        for f in sorted(os.listdir(d)):
            if not f.endswith(".json"):
                continue
            if i == 0:
                files.append(os.path.join(d, f))
                continue
            copy = os.path.join(tmp, "%s_%s" % (os.path.basename(os.path.dirname(os.path.abspath(d))), f))
            with open(os.path.join(d, f), "rb") as src, open(copy, "wb") as dst:
                dst.write(src.read())
            files.append(copy)
    names = [os.path.basename(f) for f in files]
    if len(set(names)) != len(names):
        sys.exit("FAIL: two event files share a name")

    allowed: typing.Dict[typing.Tuple[str, str], str] = {}
    with open(opt.allowed, encoding="utf-8") as f:
        for line in f:
            if line.strip() and not line.startswith("#"):
                driver, name, reason = line.split(None, 2)
                allowed[(driver, name)] = reason.strip()

    ref_name, ref_command = drivers[0]
    ref = run_driver(ref_command, files)
    if opt.generated:
        seeds = []
        for f in files:
            a = ref[os.path.basename(f)]
            with open(f, "rb") as fh:
                data = fh.read()
            if a["exit"] == 0 and any(b'"function":"%s"' % k in data for k in (b"all", b"flat", b"tree")):
                try:
                    json.loads(data)
                    seeds.append(data)
                except ValueError:
                    pass
        gen = generate(random.Random(opt.seed), seeds, opt.generated, tmp)
        ref.update(run_driver(ref_command, gen))
        files += gen
    failed = False
    print("%d events (%d generated, seed %d); reference driver %s: %d accepted, %d refused"
          % (len(files), opt.generated, opt.seed, ref_name, sum(a["exit"] == 0 for a in ref.values()),
             sum(a["exit"] != 0 for a in ref.values())))
    for name, command in drivers[1:]:
        answers = run_driver(command, files)
        agreed = listed = 0
        for f in files:
            base = os.path.basename(f)
            diff = difference(ref[base], answers[base])
            if diff is None:
                agreed += 1
                if (name, base) in allowed:
                    print("FAIL: %s %s is listed as a difference but agrees now: remove it from %s"
                          % (name, base, opt.allowed))
                    failed = True
            elif (name, base) in allowed:
                listed += 1
                print("listed: %s %s: %s (%s)" % (name, base, allowed[(name, base)], diff))
            else:
                print("FAIL: %s %s: %s" % (name, base, diff))
                failed = True
        unknown = [k for k in allowed if k[0] == name and k[1] not in ref]
        for k in unknown:
            print("FAIL: %s %s is listed but is no event" % k)
            failed = True
        print("driver %s: %d events, %d agreed, %d listed differences, %d other differences"
              % (name, len(files), agreed, listed, len(files) - agreed - listed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
