"""contract_test.py CTLC NPM_PREFIX WORK: tests/contract/verdicts.json
through the TypeScript module of tests/contract/contract.ctl
(contract.mjs): the reader and the stubs refuse each row's arguments with
the controller's words."""
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ts_lib import HERE, ROOT, fail, generate, project, tsc  # noqa: E402

ctlc, npm, work = sys.argv[1:4]
shutil.rmtree(work, ignore_errors=True)
generate(ctlc, os.path.join(ROOT, "tests", "contract", "contract.ctl"), work)
project(work, npm)
tsc(work, npm)
p = subprocess.run(["node", os.path.join(HERE, "contract.mjs"), os.path.join(work, "js"),
                    os.path.join(ROOT, "tests", "contract", "verdicts.json")], capture_output=True, text=True)
print(p.stdout + p.stderr)
if p.returncode != 0:
    fail("contract.mjs: exit %d" % p.returncode)
