"""ts_lib.py: what the TypeScript tests share: generating modules with
`ctlc ts` and compiling them with npm's tsc (tests/npm_setup.sh installs
typescript and @aws-sdk/client-lambda into NPM_PREFIX)."""
import json
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def fail(message):
    print("FAIL: " + message, file=sys.stderr)
    sys.exit(1)


def generate(ctlc, spec, out, args=()):
    """ctlc ts -o OUT [ARGS] SPEC, from the spec's folder (as run_case.sh
    runs check): fails the test when ctlc does."""
    os.makedirs(out, exist_ok=True)
    p = subprocess.run([os.path.abspath(ctlc), "ts", *args, "-o", os.path.abspath(out), os.path.basename(spec)],
                       cwd=os.path.dirname(os.path.abspath(spec)), capture_output=True, text=True)
    if p.returncode != 0:
        fail("ctlc ts %s: exit %d\n%s" % (spec, p.returncode, p.stdout + p.stderr))


def project(folder, npm):
    """Makes folder a tsc project of ES modules that finds npm's packages."""
    shutil.copy(os.path.join(HERE, "tsconfig.json"), os.path.join(folder, "tsconfig.json"))
    with open(os.path.join(folder, "package.json"), "w") as f:
        json.dump({"type": "module"}, f)
    link = os.path.join(folder, "node_modules")
    if not os.path.lexists(link):
        os.symlink(os.path.join(npm, "node_modules"), link)


def tsc(folder, npm):
    """tsc -p folder (--strict and more, tsconfig.json): fails the test on
    any diagnostic."""
    tool = os.path.join(npm, "node_modules", "typescript", "bin", "tsc")
    if not os.path.exists(tool):
        fail("no tsc at %s (the ts/npm_setup test installs it)" % tool)
    p = subprocess.run(["node", tool, "-p", folder, "--pretty", "false"], capture_output=True, text=True)
    if p.returncode != 0:
        fail("tsc --strict on %s:\n%s" % (folder, (p.stdout + p.stderr)[:20000]))
