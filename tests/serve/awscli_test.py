"""awscli_test.py: Debian's awscli (`/usr/bin/aws lambda invoke
--endpoint-url ...`) against `leedz_helpers serve`: Event and
RequestResponse, the output file, StatusCode, FunctionError, a 404."""
import glob
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from servelib import Server, check, fail, wait_for, workdir  # noqa: E402

AWS = "/usr/bin/aws"
if not os.path.exists(AWS):
    fail("Debian's awscli (/usr/bin/aws) is needed")
wd = workdir("awscli")
out = os.path.join(wd, "leedz-out")
env = dict(os.environ)
env.update({"AWS_ACCESS_KEY_ID": "AKIDSERVETEST", "AWS_SECRET_ACCESS_KEY": "serve-test-secret",
            "AWS_DEFAULT_REGION": "us-east-1", "AWS_PAGER": "",
            "AWS_CONFIG_FILE": os.path.join(wd, "no-config"),
            "AWS_SHARED_CREDENTIALS_FILE": os.path.join(wd, "no-credentials")})
for k in ("AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_LAMBDA"):
    env.pop(k, None)
srv = Server(os.environ["LEEDZ_HELPERS"], wd, ["--require-auth"],
             env={"LEEDZ_OUT": out, "LEEDZ_LATENCY_MS": "0", "AWS_ACCESS_KEY_ID": "AKIDSERVETEST",
                  "AWS_SECRET_ACCESS_KEY": "serve-test-secret"}).start()
print(subprocess.run([AWS, "--version"], capture_output=True, text=True).stdout.strip(), srv.url)


def invoke(function, payload, itype=None, outfile="response.json"):
    cmd = [AWS, "lambda", "invoke", "--endpoint-url", srv.url, "--function-name", function,
           "--cli-binary-format", "raw-in-base64-out", "--payload", payload]
    if itype:
        cmd += ["--invocation-type", itype]
    path = os.path.join(wd, outfile)
    if os.path.exists(path):
        os.unlink(path)
    p = subprocess.run(cmd + [path], capture_output=True, text=True, env=env, timeout=120)
    body = open(path, "rb").read() if os.path.exists(path) else None
    meta = json.loads(p.stdout) if p.returncode == 0 and p.stdout.strip() else None
    return p.returncode, meta, body, p.stderr


rc, meta, body, err = invoke("async_email_helper", json.dumps(
    {"function": "notifyUsers", "id": "555", "trade": "caricatures", "seller": "ana.draws"}), "Event")
check(rc == 0 and meta["StatusCode"] == 202, "Event: %r %r %s" % (rc, meta, err))
check(body == b"", "Event: the output file must be empty, got %r" % body)
# The seller (ana.draws) is skipped: only cy.inks gets mail.
mails = wait_for(lambda: glob.glob(os.path.join(out, "outbox", "*.eml")), 20, "notifyUsers' email")
wait_for(lambda: True, 0.3, "")
mails = glob.glob(os.path.join(out, "outbox", "*.eml"))
check(len(mails) == 1 and mails[0].endswith("-cy@example.com.eml"), "emails: %r" % mails)
check("ana.draws posted a caricatures leed (555)" in open(mails[0]).read(), "email text")

rc, meta, body, err = invoke("booking_helper", json.dumps(
    {"function": "checkBooking", "trade": "dj", "date": "2026-12-31", "zip": "90210"}), "RequestResponse")
check(rc == 0 and meta == {"StatusCode": 200, "ExecutedVersion": "$LATEST"}, "RequestResponse: %r %s" % (meta, err))
check(json.loads(body) == {"available": False, "conflict_id": "leed-nye-0001"}, "result file: %r" % body)

rc, meta, body, err = invoke("async_db_helper", json.dumps({"function": "getLeed", "id": "L-7"}))
check(rc == 0 and meta.get("FunctionError") == "Unhandled" and meta["StatusCode"] == 200,
      "function error: %r %s" % (meta, err))
check(json.loads(body) == {"errorType": "leedz.NotFound", "errorMessage": "no leed L-7 in the demo table"},
      "error file: %r" % body)

rc, meta, body, err = invoke("no_such_helper", "{}")
check(rc != 0 and "ResourceNotFoundException" in err and "Function not found" in err, "404: rc %d, %s" % (rc, err))

check(srv.stop() == 0, "SIGTERM: exit 0")
print("awscli: all checks passed")
