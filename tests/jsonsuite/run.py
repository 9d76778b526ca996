"""run.py CTL_ECHO SUITE_DIR...: Seriot's JSON parsing suite
(JSONTestSuite, kept outside the repository: tests/shared.cmake) through
libctl's reader, one `CTL_ECHO invoke -` per file:

  y_*  valid JSON: accepted as JSON. None is an event of echo's (no
       "function", or not an object), so each must get ctl.InvalidEvent,
       never ctl.InvalidJSON;
  n_*  not JSON: each must get ctl.InvalidJSON;
  i_*  the grammar leaves it to the parser: each answer (verdict and
       message) must equal tests/i_answers.expected, which writes down
       what libctl does with each (CTL_BLESS=1 rewrites it for review).

Every run must end with an answer on stdout and exit 1, nothing on stderr
(a crash, or a sanitizer's report, fails). Exits 77 (skip) when no suite
directory exists."""
import json
import os
import subprocess
import sys

here = os.path.dirname(os.path.abspath(__file__))
echo, candidates = sys.argv[1], sys.argv[2:]
suite = next((c for c in candidates if os.path.isdir(os.path.join(c, "test_parsing"))), None)
if not suite:
    print("SKIP: JSONTestSuite not found in %s" % " ".join(candidates))
    sys.exit(77)
files = sorted(os.listdir(os.path.join(suite, "test_parsing")))
failures, counts, i_lines = [], {"y": 0, "n": 0, "i": 0}, []
for name in files:
    kind = name[0]
    if kind not in counts or not name.endswith(".json"):
        continue
    counts[kind] += 1
    data = open(os.path.join(suite, "test_parsing", name), "rb").read()
    p = subprocess.run([echo, "invoke", "-"], input=data, capture_output=True, timeout=60)
    if p.stderr or p.returncode != 1:
        failures.append("%s: exit %d, stderr %r" % (name, p.returncode, p.stderr[:300]))
        continue
    try:
        answer = json.loads(p.stdout)
        etype, message = answer["errorType"], answer["errorMessage"]
    except (ValueError, KeyError, TypeError):
        failures.append("%s: not an error object: %r" % (name, p.stdout[:300]))
        continue
    if kind == "y" and etype != "ctl.InvalidEvent":
        failures.append("%s: valid JSON answered %s: %s" % (name, etype, message))
    elif kind == "n" and etype != "ctl.InvalidJSON":
        failures.append("%s: not JSON, answered %s: %s" % (name, etype, message))
    elif kind == "i":
        verdict = "accepted" if etype != "ctl.InvalidJSON" else "refused"
        i_lines.append("%s: %s (%s: %s)\n" % (name[:-5], verdict, etype, message))
golden = os.path.join(here, "i_answers.expected")
got = "".join(i_lines)
if os.environ.get("CTL_BLESS") == "1":
    open(golden, "w").write(got)
    print("wrote %s" % golden)
elif not os.path.exists(golden) or open(golden).read() != got:
    want = open(golden).read().splitlines(True) if os.path.exists(golden) else []
    import difflib
    failures.append("i_ answers differ from %s:\n%s" % (golden, "".join(difflib.unified_diff(want, i_lines))))
accepted = sum(1 for line in i_lines if ": accepted " in line)
print("JSONTestSuite %s: %d y_ accepted as JSON, %d n_ refused as ctl.InvalidJSON, %d i_ answered (%d accepted, "
      "%d refused)" % (suite, counts["y"], counts["n"], counts["i"], accepted, counts["i"] - accepted))
for f in failures:
    print("FAIL: " + f)
sys.exit(1 if failures else 0)
