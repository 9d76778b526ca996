"""idem_table_test.py [KEYS COPIES]: serve --idempotency-table keeps the keys of
@idempotent functions in a DynamoDB table (dynalite from NPM_DYNALITE, in
memory on a loopback port, behind the botocore checker of
tests/lambda/dynamodb_check.py): KEYS keys sent COPIES times each as Events
from 8 threads (arguments; 1000 and 10 by default), the copies of a key
at once, run once each and no event fails; a RequestResponse duplicate
gets the first answer byte for byte; another payload under a key is
ctl.IdempotencyValidationError; the table holds Powertools' items and no
SQLite file is made; every request is one botocore would send; and
--idempotency with --idempotency-table is a usage error."""
import collections
import json
import os
import subprocess
import sys
import threading
import time

import boto3
from botocore.config import Config

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
sys.path.insert(0, os.path.join(here, "..", "lambda"))
from servelib import check, lines, Server, wait_for, workdir  # noqa: E402
import dynamodb_check  # noqa: E402

TESTBIN = os.environ["SERVE_TEST_BIN"]
NKEYS, COPIES = (int(a) for a in (sys.argv[1:3] if len(sys.argv) == 3 else ("1000", "10")))
KEY, SECRET, TABLE = "AKIDSERVETEST", "serve-test-secret", "serve-idempotency"
os.environ.update({"AWS_ACCESS_KEY_ID": KEY, "AWS_SECRET_ACCESS_KEY": SECRET, "AWS_DEFAULT_REGION": "us-east-1"})
for k in ("AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_LAMBDA", "CTL_IDEMPOTENCY_TABLE"):
    os.environ.pop(k, None)



def main():
    wd = workdir("idem_table")
    rec = os.path.join(wd, "rec")
    bad = subprocess.run([TESTBIN, "serve", "--idempotency", "x", "--idempotency-table", TABLE],
                         capture_output=True, timeout=30)
    check(bad.returncode == 2 and b"give one" in bad.stderr, "both stores: exit %d, %r" % (bad.returncode, bad.stderr))
    dyn, port = dynamodb_check.start_dynalite(os.environ["NPM_DYNALITE"])
    ck = None
    try:
        table = dynamodb_check.create_table(port, TABLE, KEY, SECRET)
        ck = dynamodb_check.Checker(port, KEY, SECRET)
        srv = Server(TESTBIN, wd, ["--quiet", "--workers", "4", "--retry-delays", "200,400",
                                   "--idempotency-table", TABLE],
                     env={"SERVETEST_OUT": rec, "AWS_ENDPOINT_URL_DYNAMODB": "http://127.0.0.1:%d" % ck.port}).start()
        lam = lambda: boto3.client("lambda", endpoint_url=srv.url, config=Config(retries={"max_attempts": 1}))  # noqa: E731
        keys = ["k%04d" % i for i in range(NKEYS)]
        # each key COPIES times, the copies of a key next to each other (the 8 senders send them at once)
        todo, lock = [k for k in reversed(keys) for _ in range(COPIES)], threading.Lock()

        def sender():
            c = lam()
            while True:
                with lock:
                    if not todo:
                        return
                    key = todo.pop()
                r = c.invoke(FunctionName="idem", InvocationType="Event",
                             Payload=json.dumps({"function": "once", "id": key, "tag": key}).encode())
                check(r["StatusCode"] == 202, "event %s: %r" % (key, r["StatusCode"]))

        t0 = time.time()
        threads = [threading.Thread(target=sender) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wait_for(lambda: set(lines(rec)) >= set(keys), 120, "every key to run")
        time.sleep(1.5)  # the duplicates' retries, which must not run
        counts = collections.Counter(lines(rec))
        check(all(counts[k] == 1 for k in keys), "a key ran other than once: %r"
              % {k: n for k, n in counts.items() if n != 1})
        check(not srv.dead_letters(), "no event fails: %r" % srv.dead_letters()[:2])
        c = lam()
        pa = c.invoke(FunctionName="idem", Payload=b'{"function":"stamp","id":"s"}')["Payload"].read()
        pb = c.invoke(FunctionName="idem", Payload=b'{"id":"s","function":"stamp"}')["Payload"].read()
        check(pa == pb and b'"at"' in pa, "a RequestResponse duplicate: %r vs %r" % (pa, pb))
        r = c.invoke(FunctionName="idem", Payload=json.dumps({"function": "once", "id": "k0000", "tag": "x"}).encode())
        err = json.loads(r["Payload"].read())
        check(r.get("FunctionError") == "Unhandled" and err.get("errorType") == "ctl.IdempotencyValidationError",
              "another payload under k00: %r" % err)
        check(srv.stop() == 0, "exit 0")
        items = [i for page in table.get_paginator("scan").paginate(TableName=TABLE, ConsistentRead=True)
                 for i in page["Items"]]
        ids = sorted(i["id"]["S"].split("#")[0] for i in items)
        check(ids.count("idem.once") == NKEYS and ids.count("idem.stamp") == 1, "items: %r" % collections.Counter(ids))
        check(all(i["status"]["S"] == "COMPLETED" and "N" in i["expiration"] and "S" in i["data"] for i in items),
              "items not completed in Powertools' layout: %r" % items[:1])
        journal_dir = os.path.join(wd, "serve-journal")
        check(not os.path.exists(os.path.join(journal_dir, "idempotency.sqlite")), "a SQLite store was made")
        check(not ck.problems, "checker: %s" % ck.problems[:3])
        print("%d keys x %d Events through serve and its table in %.1f s: each ran once; requests checked: %s"
              % (NKEYS, COPIES, time.time() - t0, ck.ops))
    finally:
        if ck:
            ck.close()
        dyn.kill()
        dyn.wait()


main()
print("idem_table: all checks passed")
