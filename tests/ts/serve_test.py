"""serve_test.py CTLC NPM_PREFIX WORK: a TypeScript caller (leedz_caller.ts,
on the stubs `ctlc ts` generates from specs/leedz.ctl over npm's
@aws-sdk/client-lambda) against `leedz_helpers serve --require-auth` (the SDK
signs): an Event, a RequestResponse with its typed result, a controller's
error as a FunctionError, arguments refused before sending. Checks here what
the C handler received. LEEDZ_HELPERS and SERVE_TMP come from CTest."""
import glob
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "serve"))
from servelib import Server, check, wait_for, workdir  # noqa: E402
from ts_lib import ROOT, fail, generate, project, tsc  # noqa: E402

ctlc, npm, work = sys.argv[1:4]
shutil.rmtree(work, ignore_errors=True)
generate(ctlc, os.path.join(ROOT, "specs", "leedz.ctl"), work)
shutil.copy(os.path.join(HERE, "leedz_caller.ts"), work)
project(work, npm)
tsc(work, npm)

wd = workdir("ts_caller")
out = os.path.join(wd, "leedz-out")
srv = Server(os.environ["LEEDZ_HELPERS"], wd, ["--require-auth", "--region", "us-east-1"],
             env={"LEEDZ_OUT": out, "LEEDZ_LATENCY_MS": "0", "AWS_ACCESS_KEY_ID": "AKIDSERVETEST",
                  "AWS_SECRET_ACCESS_KEY": "serve-test-secret"}).start()
env = dict(os.environ, CTL_FUNCTION_ASYNC_EMAIL_HELPER="async_email_helper")
p = subprocess.run(["node", os.path.join(work, "js", "leedz_caller.js"), srv.url], capture_output=True, text=True,
                   timeout=200, env=env)
print(p.stdout + p.stderr)
if p.returncode != 0:
    fail("the TypeScript caller's checks failed")
mails = wait_for(lambda: sorted(glob.glob(os.path.join(out, "outbox", "*.eml"))) if
                 len(glob.glob(os.path.join(out, "outbox", "*.eml"))) >= 2 else None, 20, "notifyUsers' emails")
check(all("ts.caller posted a caricatures leed (ts-777)" in open(m).read() for m in mails),
      "what the handler received")
check(srv.stop() == 0, "SIGTERM: exit 0")
print("ts/serve_caller: all checks passed")
