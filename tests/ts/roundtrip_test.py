"""roundtrip_test.py CTLC CTL_ECHO NPM_PREFIX WORK [COUNT SEED]: random
values of every type of tests/gen/alltypes.ctl written by the TypeScript
stub (roundtrip.mjs), read by ctl_echo (the C reader), written back by it
(the C writer) byte for byte as TypeScript's encodeAll wrote them, and read
by TypeScript again to the same bytes: TypeScript -> C -> TypeScript."""
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ts_lib import HERE, ROOT, fail, generate, project, tsc  # noqa: E402

ctlc, echo, npm, work = sys.argv[1:5]
echo = os.path.abspath(echo)
count = sys.argv[5] if len(sys.argv) > 5 else "300"
seed = sys.argv[6] if len(sys.argv) > 6 else "1"
shutil.rmtree(work, ignore_errors=True)
gen = os.path.join(work, "gen")
generate(ctlc, os.path.join(ROOT, "tests", "gen", "alltypes.ctl"), gen)
project(gen, npm)
tsc(gen, npm)
out = os.path.join(work, "values")
os.makedirs(out)
script = os.path.join(HERE, "roundtrip.mjs")
js = os.path.join(gen, "js")
p = subprocess.run(["node", script, "write", js, out, count, seed], capture_output=True, text=True)
print(p.stdout + p.stderr, end="")
if p.returncode != 0:
    fail("roundtrip.mjs write: exit %d" % p.returncode)
for i in range(int(count)):
    with open(os.path.join(out, "%d.json" % i), "rb") as f:
        r = subprocess.run([echo, "invoke", "-"], stdin=f, capture_output=True)
    with open(os.path.join(out, "%d.want" % i), "rb") as f:
        want = f.read()
    if r.returncode != 0 or r.stdout != want or r.stderr:
        fail("value %d (seed %s): ctl_echo exit %d\n  C:  %r\n  TS: %r\n%s" % (i, seed, r.returncode,
                                                                               r.stdout[:800], want[:800], r.stderr))
    with open(os.path.join(out, "%d.c" % i), "wb") as f:
        f.write(r.stdout)
p = subprocess.run(["node", script, "check", js, out, count], capture_output=True, text=True)
print(p.stdout + p.stderr, end="")
if p.returncode != 0:
    fail("roundtrip.mjs check: exit %d" % p.returncode)
print("ts/roundtrip: %s values TypeScript -> C -> TypeScript, byte for byte (seed %s)" % (count, seed))
