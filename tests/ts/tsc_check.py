"""tsc_check.py CTLC NPM_PREFIX WORK: `ctlc ts` on specs/leedz.ctl,
tests/gen/alltypes.ctl and every valid case of tests/cases (ok_*.ctl, with
the arguments of its `// ctlc:` line), each into a folder of its own, then
one `tsc --strict` (tests/ts/tsconfig.json) over them all: no diagnostic;
with tests/ts/names.ctl (names TypeScript takes), whose module names.mjs
runs."""
import glob
import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import subprocess  # noqa: E402

from ts_lib import HERE, ROOT, fail, generate, project, tsc  # noqa: E402

ctlc, npm, work = sys.argv[1:4]
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
specs = [os.path.join(ROOT, "specs", "leedz.ctl"), os.path.join(ROOT, "tests", "gen", "alltypes.ctl"),
         os.path.join(ROOT, "tests", "ts", "names.ctl")]
specs += sorted(glob.glob(os.path.join(ROOT, "tests", "cases", "ok_*.ctl")))
for spec in specs:
    with open(spec, encoding="utf-8-sig", errors="replace") as f:
        first = f.readline()
    args = first[len("// ctlc: "):].split() if first.startswith("// ctlc: ") else []
    # Its -I options; other spec files it names are ones it imports anyway.
    args = [a for i, a in enumerate(args) if a.startswith("-I") or (i and args[i - 1] == "-I")]
    generate(ctlc, spec, os.path.join(work, os.path.basename(spec)[:-4]), args)
project(work, npm)
tsc(work, npm)
modules = len(glob.glob(os.path.join(work, "*", "*.ts")))
p = subprocess.run(["node", os.path.join(HERE, "names.mjs"), os.path.join(work, "js")], capture_output=True, text=True)
print(p.stdout + p.stderr, end="")
if p.returncode != 0:
    fail("names.mjs: exit %d" % p.returncode)
print("tsc --strict: %d specs, %d files, no diagnostic" % (len(specs), modules))
