#!/usr/bin/env python3
"""idem_dynamodb.py NPM_DIR TEST_BINARY KEYS DELIVERIES [--all-old]

The DynamoDB idempotency store against a real DynamoDB: dynalite (npm, in
memory on a loopback port, from NPM_DIR/node_modules) behind the botocore
checker (dynamodb_check.py). Runs `TEST_BINARY fault TABLE KEYS DELIVERIES`
with the environment pointing at the checker; then requires that the
binary passed, that the checker found no request botocore would not send,
that each operation the store uses was seen, and that the table's items
have Powertools' layout: read back with boto3, every item has `id` (S,
"idem.FUNCTION#" and 64 hex digits), `status` (S, INPROGRESS or COMPLETED),
`expiration` (N, epoch seconds), `in_progress_expiration` (N, epoch
milliseconds), `validation` (S, 64 hex digits), and a completed one `data`
(S, JSON text), and nothing else. With --all-old the checker adds the item
to condition failures as DynamoDB does (dynalite does not)."""
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dynamodb_check  # noqa: E402

ACCESS_KEY, SECRET = "AKIDIDEMTEST", "idem-test-secret"
TABLE = "ctl-idempotency"


def check_items(client, prefix_re):
    fails = []
    items, start = [], None
    while True:
        kw = {"TableName": TABLE, "ConsistentRead": True}
        if start:
            kw["ExclusiveStartKey"] = start
        page = client.scan(**kw)
        items += page["Items"]
        start = page.get("LastEvaluatedKey")
        if not start:
            break
    now = time.time()
    counts = {"COMPLETED": 0, "INPROGRESS": 0}
    for it in items:
        def typed(name, t):
            v = it.get(name)
            if not v or list(v) != [t]:
                fails.append("item %s: %s is %r, not of type %s" % (it.get("id"), name, v, t))
                return None
            return v[t]
        ident = typed("id", "S")
        status = typed("status", "S")
        exp = typed("expiration", "N")
        ipe = typed("in_progress_expiration", "N")
        val = typed("validation", "S")
        extra = set(it) - {"id", "status", "expiration", "in_progress_expiration", "validation", "data"}
        if extra:
            fails.append("item %s: attributes Powertools does not have: %s" % (ident, sorted(extra)))
        if ident and not re.fullmatch(prefix_re + r"#[0-9a-f]{64}", ident):
            fails.append("item id %r is not CONTROLLER.FUNCTION#sha256" % ident)
        if status not in counts:
            fails.append("item %s: status %r" % (ident, status))
            continue
        counts[status] += 1
        if exp and not (now - 3600 < int(exp) < now + 3600):
            fails.append("item %s: expiration %s is not epoch seconds near now" % (ident, exp))
        if ipe and not ((now - 3600) * 1000 < int(ipe) < (now + 3600) * 1000):
            fails.append("item %s: in_progress_expiration %s is not epoch milliseconds near now" % (ident, ipe))
        if val and not re.fullmatch(r"[0-9a-f]{64}", val):
            fails.append("item %s: validation %r" % (ident, val))
        if status == "COMPLETED":
            data = typed("data", "S")
            try:
                __import__("json").loads(data or "")
            except ValueError:
                fails.append("item %s: data %r is not JSON text" % (ident, data))
    return items, counts, fails


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    all_old = "--all-old" in sys.argv
    if len(args) != 4:
        print(__doc__)
        return 2
    npm_dir, binary, keys, deliveries = args
    dyn, port = dynamodb_check.start_dynalite(npm_dir)
    checker = None
    try:
        client = dynamodb_check.create_table(port, TABLE, ACCESS_KEY, SECRET)
        checker = dynamodb_check.Checker(port, ACCESS_KEY, SECRET, all_old=all_old)
        env = dict(os.environ, AWS_REGION="us-east-1", AWS_ACCESS_KEY_ID=ACCESS_KEY, AWS_SECRET_ACCESS_KEY=SECRET,
                   AWS_ENDPOINT_URL_DYNAMODB="http://127.0.0.1:%d" % checker.port,
                   AWS_ENDPOINT_URL="http://127.0.0.1:1")  # the service's own variable wins
        env.pop("AWS_SESSION_TOKEN", None)
        t0 = time.time()
        r = subprocess.run([binary, "fault", TABLE, keys, deliveries], env=env, timeout=300)
        took = time.time() - t0
        fails = []
        if r.returncode != 0:
            fails.append("%s exited %d" % (binary, r.returncode))
        fails += ["checker: " + p for p in checker.problems]
        for op in ("PutItem", "GetItem" if not all_old else "PutItem", "UpdateItem", "DeleteItem"):
            if not checker.ops.get(op):
                fails.append("no %s request was seen" % op)
        if all_old and checker.items_added == 0:
            fails.append("no condition failure carried the item (ALL_OLD)")
        items, counts, item_fails = check_items(client, r"idem\.(count|flaky)")
        fails += item_fails
        if counts["COMPLETED"] < int(keys):
            fails.append("%d completed items, fewer than the %s keys" % (counts["COMPLETED"], keys))
        print("%.1f s; requests checked by botocore: %s; %d items (%s), ALL_OLD items added: %d"
              % (took, dict(sorted((k or "?", v) for k, v in checker.ops.items())), len(items), counts,
                 checker.items_added))
        for f in fails[:30]:
            print("FAIL:", f)
        return 1 if fails else 0
    finally:
        if checker:
            checker.close()
        dyn.kill()
        dyn.wait()


if __name__ == "__main__":
    sys.exit(main())
