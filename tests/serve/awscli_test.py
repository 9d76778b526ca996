"""awscli_test.py: Debian's awscli (`/usr/bin/aws lambda invoke
--endpoint-url ...`) against `leedz_helpers serve`: Event and
RequestResponse, the output file, StatusCode, FunctionError, a 404; and the
README's `aws lambda invoke` block, run as it is written (but for the
port)."""
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
srv = Server(os.environ["LEEDZ_HELPERS"], wd, ["--require-auth", "--region", "us-east-1"],
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

# The README's block, as written: the shell block after the marker line,
# with the server's address for 127.0.0.1:9001.
readme = open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "README.md")).read()
marker = "<!-- tests/serve/awscli_test.py runs this block as it is written. -->"
check(marker in readme, "README.md has no block marked for this test")
block = readme.split(marker, 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
check("aws lambda invoke --endpoint-url http://127.0.0.1:9001" in block, "the README block: %r" % block)
plain = Server(os.environ["LEEDZ_HELPERS"], wd, ["--quiet"], env={"LEEDZ_OUT": out, "LEEDZ_LATENCY_MS": "0"},
               name="readme").start()
readme_env = {k: v for k, v in env.items() if not k.startswith("AWS_")}
readme_env.update({"PATH": "/usr/bin:/bin", "AWS_PAGER": "", "AWS_CONFIG_FILE": env["AWS_CONFIG_FILE"],
                   "AWS_SHARED_CREDENTIALS_FILE": env["AWS_SHARED_CREDENTIALS_FILE"]})
p = subprocess.run(["sh", "-e", "-c", block.replace("http://127.0.0.1:9001", plain.url)], cwd=wd, env=readme_env,
                   capture_output=True, text=True, timeout=120)
check(p.returncode == 0 and '{"available":false,"conflict_id":"leed-nye-0001"}' in p.stdout,
      "the README's aws lambda invoke: exit %d\n%s\n%s" % (p.returncode, p.stdout, p.stderr))
check(plain.stop() == 0, "SIGTERM: exit 0")
print("the README's aws lambda invoke block: %s" % p.stdout.strip().splitlines()[-1])
print("awscli: all checks passed")
