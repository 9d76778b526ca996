#!/usr/bin/env python3
"""idem_dynamodb.py BINARY NPM_DIR KEYS DELIVERIES: @idempotent functions
through the Lambda runtime loop with the DynamoDB store.

dynalite (NPM_DIR/node_modules, in memory on a loopback port) behind the
botocore checker of tests/lambda/dynamodb_check.py is the table named by
CTL_IDEMPOTENCY_TABLE; four ctl_rtapi processes (Lambda's concurrency) take
DELIVERIES invocations of rt_main.once for KEYS keys from one Runtime API
double (rtapi_double.py): each key's first copies are consecutive, so
several processes run one key at once, and later rounds repeat every key.
Then one process takes again every delivery that was refused as in
progress (as Lambda's retries would). Requires:

  - each key's side effect (a line in the RT_IDEM_LOG file) exactly once;
  - every answer of a key the same bytes, its first; the other answers
    errors of type ctl.IdempotencyInProgress, and none after the retries;
  - another payload under a used key refused with
    ctl.IdempotencyValidationError (the handler not run);
  - an item written by Python with boto3 in Powertools' layout shared: a
    COMPLETED one answered from its data without running the handler, and
    an INPROGRESS one whose in_progress_expiration passed taken over;
  - no request the checker refused (botocore's model, serialization and
    signature), and the warning about a missing table not given;
  - without CTL_IDEMPOTENCY_TABLE, the warning on stderr.
"""
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
sys.path.insert(0, os.path.join(here, "..", "lambda"))
from rtapi_double import API, Double, Event  # noqa: E402
import dynamodb_check  # noqa: E402

ACCESS_KEY, SECRET, TABLE = "AKIDLOOPTEST", "loop-secret", "ctl-loop-idempotency"
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
    return cond


def canonical(v):
    return json.dumps(v, sort_keys=True, separators=(",", ":"))


def record_id(k):
    return "rt_main.once#" + hashlib.sha256(canonical([k]).encode()).hexdigest()


def validation(payload):
    return hashlib.sha256(canonical({m: v for m, v in payload.items() if m != "function"}).encode()).hexdigest()


def event(n, k, note="same"):
    return Event("req-%d" % n, {"function": "once", "k": k, "note": note})


def run_loops(binary, double, env, n):
    env = dict(env, AWS_LAMBDA_RUNTIME_API=double.address)
    procs = [subprocess.Popen([binary], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
             for _ in range(n)]
    errs = []
    for p in procs:
        try:
            errs.append(p.communicate(timeout=120)[1].decode(errors="replace"))
        except subprocess.TimeoutExpired:
            p.kill()
            errs.append(p.communicate()[1].decode(errors="replace"))
            check(False, "a loop did not exit within 120 s")
        check(p.returncode == 1, "a loop exited %s, not 1 (the double's 500 once the events end): %s"
              % (p.returncode, errs[-1][-500:]))
    return errs


def answers(double):
    """request id -> (kind, body): kind 'response' or the error type."""
    out = {}
    for r in double.requests():
        if r.method != "POST" or not r.path.startswith(API + "/invocation/"):
            continue
        rid, what = r.path[len(API + "/invocation/"):].split("/", 1)
        kind = "response" if what == "response" else r.header("Lambda-Runtime-Function-Error-Type")
        out[rid] = (kind, r.body)
    return out


def main():
    if len(sys.argv) != 5:
        print(__doc__, file=sys.stderr)
        return 2
    binary, npm_dir, nkeys, ndeliveries = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    dyn, port = dynamodb_check.start_dynalite(npm_dir)
    checker = None
    tmp = tempfile.mkdtemp()
    try:
        client = dynamodb_check.create_table(port, TABLE, ACCESS_KEY, SECRET)
        checker = dynamodb_check.Checker(port, ACCESS_KEY, SECRET)
        log = os.path.join(tmp, "side-effects")
        env = {"PATH": "/usr/bin:/bin", "_HANDLER": "rt_main", "AWS_REGION": "eu-west-1",
               "AWS_ACCESS_KEY_ID": ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": SECRET,
               "AWS_ENDPOINT_URL_DYNAMODB": "http://127.0.0.1:%d" % checker.port,
               "AWS_ENDPOINT_URL_LAMBDA": "http://127.0.0.1:1",
               "CTL_IDEMPOTENCY_TABLE": TABLE, "RT_IDEM_LOG": log}
        for k in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"):
            if k in os.environ:
                env[k] = os.environ[k]

        # Python's items in Powertools' layout: one completed, one whose claim expired.
        now = time.time()
        done_k, stale_k = nkeys + 1, nkeys + 2
        stored = '{"k":%d,"run":"written by Python"}' % done_k
        client.put_item(TableName=TABLE, Item={
            "id": {"S": record_id(done_k)}, "status": {"S": "COMPLETED"},
            "expiration": {"N": str(int(now) + 600)}, "in_progress_expiration": {"N": str(int(now * 1000))},
            "validation": {"S": validation({"k": done_k, "note": "same"})}, "data": {"S": stored}})
        client.put_item(TableName=TABLE, Item={
            "id": {"S": record_id(stale_k)}, "status": {"S": "INPROGRESS"},
            "expiration": {"N": str(int(now) + 600)}, "in_progress_expiration": {"N": str(int(now * 1000) - 5000)},
            "validation": {"S": validation({"k": stale_k, "note": "same"})}})

        # each key: four copies in a row (the four loops take them at once), then again in later rounds
        evs, n = [], 0
        per_key = max(ndeliveries // nkeys, 4)
        rounds = [4] + [1] * (per_key - 4)
        for burst in rounds:
            for k in range(nkeys):
                for _ in range(burst):
                    evs.append(event(n, k))
                    n += 1
        for k in (done_k, stale_k):
            evs.append(event(n, k))
            n += 1
        mismatch = []
        for k in range(0, nkeys, 10):
            evs.append(event(n, k, note="another"))
            mismatch.append("req-%d" % n)
            n += 1
        t0 = time.time()
        with Double(evs) as d:
            errs = run_loops(binary, d, env, 4)
        got = answers(d)
        check(len(got) == len(evs), "%d of %d deliveries answered" % (len(got), len(evs)))
        for e in errs:
            check("names no DynamoDB table" not in e, "the missing-table warning with a table set: " + e[:300])
            check("DynamoDB table" not in e, "a store error on stderr: " + e[:500])

        # the retries of those refused as in progress, one loop
        busy = [rid for rid, (kind, _) in got.items() if kind == "ctl.IdempotencyInProgress"]
        retry = []
        for rid in busy:
            body = next(e.body for e in evs if e.request_id == rid)
            retry.append(Event(rid + "-retry", json.loads(body)))
        with Double(retry) as d2:
            run_loops(binary, d2, env, 1)
        again = answers(d2)
        took = time.time() - t0

        lines = open(log).read().split() if os.path.exists(log) else []
        runs = {}
        for line in lines:
            runs[int(line)] = runs.get(int(line), 0) + 1
        for k in range(nkeys):
            check(runs.get(k) == 1, "key %d's side effect happened %s times" % (k, runs.get(k, 0)))
        check(runs.get(done_k) is None, "the handler ran for the key Python completed")
        check(runs.get(stale_k) == 1, "the expired claim was not taken over (%s runs)" % runs.get(stale_k))

        by_key = {}
        for e in evs + retry:
            rid = e.request_id
            a = got.get(rid) or again.get(rid)
            if rid in mismatch:
                check(a and a[0] == "ctl.IdempotencyValidationError", "another payload: %s answered %r" % (rid, a))
                continue
            if a is None or (a[0] == "ctl.IdempotencyInProgress" and rid in busy):
                continue
            k = json.loads(e.body)["k"]
            check(a[0] == "response", "%s (key %d): %r" % (rid, k, a))
            if a[0] == "response":
                by_key.setdefault(k, set()).add(a[1])
        for rid, a in again.items():
            check(a[0] == "response", "the retry %s: %r" % (rid, a))
        for k, bodies in by_key.items():
            check(len(bodies) == 1, "key %d answered %d different bodies: %s" % (k, len(bodies), list(bodies)[:2]))
        check(by_key.get(done_k) == {stored.encode()}, "the key Python completed: %r" % by_key.get(done_k))
        check(len(by_key) == nkeys + 2, "%d keys answered" % len(by_key))
        check(not checker.problems, "checker: %s" % checker.problems[:5])
        check(checker.ops.get("PutItem") and checker.ops.get("UpdateItem"), "requests seen: %s" % checker.ops)
        print("%d deliveries of %d keys on 4 loops, %d refused in progress and delivered again, %d of another "
              "payload refused, in %.1f s; requests checked by botocore: %s"
              % (len(evs), nkeys + 2, len(busy), len(mismatch), took, checker.ops))

        # without a table: the warning, and the function runs as any other
        env_none = {k: v for k, v in env.items() if k != "CTL_IDEMPOTENCY_TABLE"}
        with Double([event(0, 0)]) as d3:
            errs = run_loops(binary, d3, env_none, 1)
        check("rt_main.once is @idempotent, but CTL_IDEMPOTENCY_TABLE names no DynamoDB table" in errs[0],
              "no warning without a table: %r" % errs[0][:300])
        # a table name DynamoDB would refuse: the loop's init fails, saying why
        with Double([event(0, 0)]) as d4:
            bad = subprocess.run([binary], env=dict(env, CTL_IDEMPOTENCY_TABLE="no", AWS_LAMBDA_RUNTIME_API=d4.address),
                                 capture_output=True,
                                 timeout=30)
        inits = [r for r in d4.requests() if r.path.endswith("/init/error")]
        check(bad.returncode == 1 and len(inits) == 1 and b"not a DynamoDB table name" in inits[0].body
              and inits[0].header("Lambda-Runtime-Function-Error-Type") == "ctl.UsageError",
              "a bad table name: exit %d, %r" % (bad.returncode, [r.body for r in inits]))
    finally:
        if checker:
            checker.close()
        dyn.kill()
        dyn.wait()
    for f in failures[:30]:
        print("FAIL:", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
