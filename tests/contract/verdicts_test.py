"""verdicts_test.py BIN TABLE WORKDIR: one verdict whichever transport carries
the event.

Each row of TABLE (verdicts.json) is an event that breaks contract.ctl: bad
arguments, which the controller refuses (ctl.InvalidPayload), or arguments
whose handler returns a bad result (ctl.InvalidResult). Every transport
must give the row's errorType and errorMessage, byte for byte:

  in-process   ctl_client_call with the event, and the generated _call and
               _send with the same mistake in C: those refuse it themselves
               (ctl.InvalidArguments, the same text, or stubMessage when C
               cannot hold the mistake as JSON does), and nothing reaches
               the handler
  invoke       BIN invoke EVENT: exit 1, the error object on stdout
  serve        BIN serve, a raw HTTP RequestResponse call: 200 with
               X-Amz-Function-Error: Unhandled and the error object
  Lambda       the generated stubs over the Lambda transport to that
               serve: the same refusals, and serve sees no request for them
  runtime API  BIN under the Lambda Runtime API loop (rtapi_double.py):
               POST .../error with Lambda-Runtime-Function-Error-Type and
               the error object
"""
import http.client
import json
import os
import subprocess
import sys

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "serve"))
sys.path.insert(0, os.path.join(here, "..", "runtime_api"))
from rtapi_double import API, Double, Event  # noqa: E402
from servelib import Server  # noqa: E402

binary, table_path, workdir = sys.argv[1:4]
rows = json.load(open(table_path))["rows"]
failures = []
seen = {}  # transport -> verdicts checked


def expect(row, via, etype, message, stub=False):
    want_type, want_message = row["errorType"], row["errorMessage"]
    if stub and want_type == "ctl.InvalidPayload":
        want_type, want_message = "ctl.InvalidArguments", row.get("stubMessage", want_message)
    seen[via] = seen.get(via, 0) + 1
    if (etype, message) != (want_type, want_message):
        failures.append("%s: %s says %s: %s\n    expected %s: %s" % (row["name"], via, etype, message, want_type,
                                                                     want_message))


def sanitizer_env(env):
    for k in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"):
        if k in os.environ:
            env[k] = os.environ[k]
    return env


# ---- in-process ----------------------------------------------------------------------
def verdict_lines(extra_env):
    env = dict(os.environ)
    env.update(extra_env)
    p = subprocess.run([binary, "verdicts", table_path], env=env, capture_output=True, timeout=120)
    if p.returncode != 0:
        failures.append("%s verdicts exited %d: %s" % (binary, p.returncode, p.stderr.decode(errors="replace")))
    return [json.loads(line) for line in p.stdout.decode().splitlines()]


by_name = {r["name"]: r for r in rows}
for v in verdict_lines({}):
    row = by_name[v["row"]]
    refused_before = row["errorType"] == "ctl.InvalidPayload"
    expect(row, v["via"], v["errorType"], v["errorMessage"], stub=v["via"] != "in-process ctl_client_call")
    if refused_before and v["sent"] != 0:
        failures.append("%s: %s: the handler ran %d times" % (row["name"], v["via"], v["sent"]))

# ---- BIN invoke ----------------------------------------------------------------------
for row in rows:
    p = subprocess.run([binary, "invoke", row["event"]], capture_output=True, timeout=60)
    if p.returncode != 1 or p.stderr:
        failures.append("%s: invoke exited %d, stderr %r" % (row["name"], p.returncode, p.stderr))
    err = json.loads(p.stdout)
    expect(row, "BIN invoke", err.get("errorType"), err.get("errorMessage"))

# ---- BIN serve, and the stubs over the Lambda transport to it --------------------------
os.makedirs(workdir, exist_ok=True)
os.environ.setdefault("SERVE_TMP", workdir)
srv = Server(binary, workdir, env={"AWS_REGION": "", "AWS_DEFAULT_REGION": "", "AWS_ENDPOINT_URL": "",
                                    "AWS_ENDPOINT_URL_LAMBDA": ""}, name="verdicts").start()
try:
    for row in rows:
        c = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=30)
        c.request("POST", "/2015-03-31/functions/media/invocations", body=row["event"].encode(),
                  headers={"Content-Type": "application/json"})
        r = c.getresponse()
        body = r.read()
        c.close()
        if r.status != 200 or r.getheader("X-Amz-Function-Error") != "Unhandled":
            failures.append("%s: serve answered %d, X-Amz-Function-Error %r" % (row["name"], r.status,
                                                                                 r.getheader("X-Amz-Function-Error")))
        err = json.loads(body)
        expect(row, "BIN serve", err.get("errorType"), err.get("errorMessage"))
    calls_before = len(srv.access_log())
    lambda_env = {"CTL_VERDICTS_LAMBDA": "1", "AWS_ENDPOINT_URL_LAMBDA": srv.url, "AWS_REGION": "eu-west-1",
                  "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "secret"}
    lines = verdict_lines(lambda_env)
    results_sent = 0
    for v in lines:
        row = by_name[v["row"]]
        expect(row, v["via"], v["errorType"], v["errorMessage"], stub=True)
        if row["errorType"] == "ctl.InvalidPayload" and v["sent"] != 0:
            failures.append("%s: %s sent %d requests" % (row["name"], v["via"], v["sent"]))
        if row["errorType"] == "ctl.InvalidResult":
            results_sent += 1
    # serve saw the result rows' calls alone: the refused arguments never left.
    import time
    deadline = time.time() + 10
    while len(srv.access_log()) - calls_before < results_sent and time.time() < deadline:
        time.sleep(0.05)
    got = len(srv.access_log()) - calls_before
    if got != results_sent:
        failures.append("serve saw %d requests from the Lambda transport's stubs, expected %d (the result rows)"
                        % (got, results_sent))
finally:
    rc = srv.stop()
if rc != 0:
    failures.append("serve exited %d" % rc)

# ---- the Lambda Runtime API loop ---------------------------------------------------------
events = [Event("req-%d" % i, row["event"].encode()) for i, row in enumerate(rows)]
with Double(events) as double:
    env = sanitizer_env({"AWS_LAMBDA_RUNTIME_API": double.address, "_HANDLER": "media", "PATH": "/usr/bin:/bin"})
    p = subprocess.run([binary], env=env, capture_output=True, timeout=120)
    posts = {r.path: r for r in double.requests() if r.method == "POST"}
if p.returncode != 1:  # the double's 500 after the last event ends the loop
    failures.append("the runtime loop exited %d: %s" % (p.returncode, p.stderr.decode(errors="replace")[-2000:]))
for i, row in enumerate(rows):
    req = posts.get("%s/invocation/req-%d/error" % (API, i))
    if not req:
        failures.append("%s: the runtime loop posted no error (posts: %s)" % (row["name"], sorted(posts)))
        continue
    err = json.loads(req.body)
    if req.header("Lambda-Runtime-Function-Error-Type") != err.get("errorType"):
        failures.append("%s: Lambda-Runtime-Function-Error-Type %r" % (row["name"],
                                                                       req.header("Lambda-Runtime-Function-Error-Type")))
    expect(row, "Lambda Runtime API", err.get("errorType"), err.get("errorMessage"))

for f in failures:
    print("FAIL: " + f)
print("%d rows; verdicts checked per transport: %s" % (len(rows), json.dumps(seen, sort_keys=True)))
want = {"in-process ctl_client_call", "in-process _call", "in-process _send", "BIN invoke", "BIN serve",
        "Lambda transport _call", "Lambda transport _send", "Lambda Runtime API"}
if set(seen) != want:
    print("FAIL: transports: %s" % sorted(set(seen) ^ want))
    sys.exit(1)
sys.exit(1 if failures else 0)
