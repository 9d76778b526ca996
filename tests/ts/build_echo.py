"""build_echo.py CTLC NPM_PREFIX OUT [SPEC]: generates the TypeScript module of
tests/gen/alltypes.ctl (or SPEC) into OUT and compiles it with tsc; prints the folder
of the compiled JavaScript, which tests/ts/echo_driver.mjs takes:

    node tests/ts/echo_driver.mjs "$(python3 tests/ts/build_echo.py ...)" EVENT.json...

For harnesses that compare the languages' verdicts (verdict_test.py does
the same itself)."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ts_lib import ROOT, generate, project, tsc  # noqa: E402

ctlc, npm, out = sys.argv[1:4]
spec = sys.argv[4] if len(sys.argv) > 4 else os.path.join(ROOT, "tests", "gen", "alltypes.ctl")
generate(ctlc, spec, out)
project(out, npm)
tsc(out, npm)
print(os.path.join(os.path.abspath(out), "js"))
