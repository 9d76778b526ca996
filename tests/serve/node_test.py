"""node_test.py: npm's @aws-sdk/client-lambda against `leedz_helpers serve`
(--require-auth: the SDK signs). node_client.mjs checks what the client got;
this checks what the C handler received."""
import glob
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from servelib import Server, check, fail, skip, wait_for, workdir  # noqa: E402

prefix = os.environ["NPM_PREFIX"]
if not os.path.isdir(os.path.join(prefix, "node_modules", "@aws-sdk", "client-lambda")):
    fail("@aws-sdk/client-lambda is not installed in %s (serve/npm_install sets it up)" % prefix)
wd = workdir("node")
out = os.path.join(wd, "leedz-out")
srv = Server(os.environ["LEEDZ_HELPERS"], wd, ["--require-auth", "--region", "us-east-1"],
             env={"LEEDZ_OUT": out, "LEEDZ_LATENCY_MS": "0", "AWS_ACCESS_KEY_ID": "AKIDSERVETEST",
                  "AWS_SECRET_ACCESS_KEY": "serve-test-secret"}).start()
p = subprocess.run(["node", os.path.join(os.path.dirname(os.path.abspath(__file__)), "node_client.mjs"), srv.url],
                   capture_output=True, text=True, timeout=200)
print(p.stdout + p.stderr)
check(p.returncode == 0, "the node client's checks failed")
mails = wait_for(lambda: sorted(glob.glob(os.path.join(out, "outbox", "*.eml"))) if
                 len(glob.glob(os.path.join(out, "outbox", "*.eml"))) >= 2 else None, 20, "notifyUsers' emails")
check(all("node.sdk posted a caricatures leed (777)" in open(m).read() for m in mails), "what the handler received")
check(srv.stop() == 0, "SIGTERM: exit 0")
print("node: all checks passed")
