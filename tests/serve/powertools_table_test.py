"""powertools_table_test.py: ctl and Powertools for AWS Lambda share one
idempotency table. Powertools' TypeScript utility (npm's
@aws-lambda-powertools/idempotency, run by powertools_idem.mjs from
NPM_POWERTOOLS) and `serve --idempotency-table` keep their keys in the same
dynalite table (NPM_DYNALITE; ctl's requests through the botocore checker
of tests/lambda/dynamodb_check.py), taking turns:
  - each recognises its own duplicates with the other's items in the
    table: Powertools' handler runs once per id across two processes, and a
    ctl Event key runs once, a ctl sync duplicate gets its first answer;
  - the items of both have the attributes of Powertools' layout and no
    other, the shared ones with the same DynamoDB types, statuses and units
    (expiration epoch seconds an hour ahead, the default of both;
    in_progress_expiration epoch milliseconds), and their ids do not meet.
The one difference, stated: Powertools' TypeScript stores `data` as a map
(M), its Python as JSON text (S), which ctl writes, as Python does."""
import collections
import json
import os
import shutil
import subprocess
import sys
import time

import boto3
from botocore.config import Config

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
sys.path.insert(0, os.path.join(here, "..", "lambda"))
from servelib import Server, check, wait_for, workdir  # noqa: E402
import dynamodb_check  # noqa: E402

TESTBIN = os.environ["SERVE_TEST_BIN"]
NPM_POWERTOOLS = os.environ["NPM_POWERTOOLS"]
KEY, SECRET, TABLE = "AKIDSERVETEST", "serve-test-secret", "shared-idempotency"
os.environ.update({"AWS_ACCESS_KEY_ID": KEY, "AWS_SECRET_ACCESS_KEY": SECRET, "AWS_DEFAULT_REGION": "us-east-1",
                   "AWS_REGION": "us-east-1"})
for k in ("AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_LAMBDA", "CTL_IDEMPOTENCY_TABLE"):
    os.environ.pop(k, None)
POWERTOOLS_FUNCTION = "powertools-helper"
LAYOUT = {"id", "status", "expiration", "in_progress_expiration", "validation", "data"}


def powertools(port, *ids):
    """Powertools' handler called once per id, in a process of its own."""
    shutil.copy(os.path.join(here, "powertools_idem.mjs"), NPM_POWERTOOLS)
    env = dict(os.environ, AWS_ENDPOINT_URL_DYNAMODB="http://127.0.0.1:%d" % port,
               AWS_LAMBDA_FUNCTION_NAME=POWERTOOLS_FUNCTION, NODE_NO_WARNINGS="1")
    r = subprocess.run(["node", os.path.join(NPM_POWERTOOLS, "powertools_idem.mjs"), TABLE, *ids],
                       capture_output=True, text=True, env=env, timeout=120)
    check(r.returncode == 0, "Powertools: exit %d: %s" % (r.returncode, r.stderr[-2000:]))
    return json.loads(r.stdout.strip().splitlines()[-1])


def main():
    wd = workdir("powertools_table")
    rec = os.path.join(wd, "rec")
    dyn, port = dynamodb_check.start_dynalite(os.environ["NPM_DYNALITE"])
    ck = None
    try:
        table = dynamodb_check.create_table(port, TABLE, KEY, SECRET)
        ck = dynamodb_check.Checker(port, KEY, SECRET)

        # Powertools first: a duplicate within one process.
        p1 = powertools(port, "a", "a", "b")
        check(p1["runs"] == 2 and p1["results"][0] == p1["results"][1],
              "Powertools with an empty table: %r" % p1)

        # ctl next, on the table that holds Powertools' items.
        srv = Server(TESTBIN, wd, ["--quiet", "--workers", "2", "--retry-delays", "200,400",
                                   "--idempotency-table", TABLE],
                     env={"SERVETEST_OUT": rec, "AWS_ENDPOINT_URL_DYNAMODB": "http://127.0.0.1:%d" % ck.port}).start()
        lam = boto3.client("lambda", endpoint_url=srv.url, config=Config(retries={"max_attempts": 1}))
        for _ in range(3):
            r = lam.invoke(FunctionName="idem", InvocationType="Event",
                           Payload=json.dumps({"function": "once", "id": "a", "tag": "a"}).encode())
            check(r["StatusCode"] == 202, "Event: %r" % r["StatusCode"])
        wait_for(lambda: os.path.exists(rec) and open(rec).read().strip(), 30, "ctl's key to run")
        stamp1 = lam.invoke(FunctionName="idem", Payload=b'{"function":"stamp","id":"a"}')["Payload"].read()

        # Powertools again, in a new process: its items survived ctl's.
        p2 = powertools(port, "a", "b")
        check(p2["runs"] == 0 and p2["results"] == [p1["results"][0], p1["results"][2]],
              "Powertools after ctl: ran %d times, answered %r (first %r)" % (p2["runs"], p2["results"], p1))

        # And ctl again: its items survived Powertools' second run.
        stamp2 = lam.invoke(FunctionName="idem", Payload=b'{"id":"a","function":"stamp"}')["Payload"].read()
        check(stamp1 == stamp2 and b'"at"' in stamp1, "ctl's sync duplicate: %r vs %r" % (stamp1, stamp2))
        time.sleep(1.0)  # the Event duplicates' retries, which must not run
        check(srv.stop() == 0, "serve exits 0")
        runs = collections.Counter(x.strip() for x in open(rec))
        check(runs == {"a": 1}, "ctl's once ran %r" % dict(runs))
        check(not ck.problems, "checker: %s" % ck.problems[:3])

        items = [i for page in table.get_paginator("scan").paginate(TableName=TABLE, ConsistentRead=True)
                 for i in page["Items"]]
        pt = [i for i in items if i["id"]["S"].startswith(POWERTOOLS_FUNCTION + "#")]
        ctl = [i for i in items if i["id"]["S"].startswith("idem.")]
        check(len(pt) == 2 and len(ctl) == 2 and len(items) == 4,
              "items: %d of Powertools, %d of ctl, %d in all" % (len(pt), len(ctl), len(items)))
        now = time.time()
        for who, group in (("Powertools", pt), ("ctl", ctl)):
            for it in group:
                check(set(it) <= LAYOUT, "%s's item has attributes outside the layout: %r" % (who, sorted(it)))
                for name, t in (("id", "S"), ("status", "S"), ("expiration", "N"), ("in_progress_expiration", "N")):
                    check(list(it.get(name, {})) == [t], "%s's %s is %r, not %s" % (who, name, it.get(name), t))
                check(it["status"]["S"] == "COMPLETED", "%s's status %r" % (who, it["status"]))
                exp = int(it["expiration"]["N"])
                check(abs(exp - (now + 3600)) < 300, "%s's expiration %d is not epoch seconds an hour ahead" % (who, exp))
                ipe = int(it["in_progress_expiration"]["N"])
                check(abs(ipe - now * 1000) < 3600 * 1000, "%s's in_progress_expiration %d is not epoch ms" % (who, ipe))
        check(all(list(i["data"]) == ["M"] for i in pt), "Powertools (TypeScript) data: %r" % [i["data"] for i in pt])
        check(all(list(i["data"]) == ["S"] for i in ctl), "ctl's data is a string: %r" % [i["data"] for i in ctl])
        check(sorted(i["data"]["S"] for i in ctl) == sorted(["null", stamp1.decode()]),
              "ctl's data is the results' JSON text: %r" % [i["data"] for i in ctl])
        print("one table, %d items: Powertools %s, ctl %s; same attributes, types, statuses and units"
              % (len(items), sorted(i["id"]["S"][:40] for i in pt), sorted(i["id"]["S"][:24] for i in ctl)))
    finally:
        if ck:
            ck.close()
        dyn.kill()
        dyn.wait()


main()
print("powertools_table: all checks passed")
