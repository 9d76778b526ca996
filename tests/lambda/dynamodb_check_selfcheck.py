#!/usr/bin/env python3
"""dynamodb_check_selfcheck.py: the DynamoDB checker (dynamodb_check.py)
refuses what botocore would not send and passes what it would: requests
signed here with botocore's SigV4Auth, one right and each of the others
wrong in one way."""
import http.client
import json
import os
import sys

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dynamodb_check  # noqa: E402

KEY, SECRET = "AKIDSELF", "self-secret"
GOOD = {"TableName": "tbl", "Key": {"id": {"S": "k\u00e9"}}, "ConsistentRead": True}


def send(port, body, target="DynamoDB_20120810.GetItem", ctype="application/x-amz-json-1.0", extra=None,
         secret=SECRET, sign_ua=False, path="/"):
    req = AWSRequest(method="POST", url="http://127.0.0.1:%d%s" % (port, path), data=body,
                     headers={"X-Amz-Target": target, "Content-Type": ctype})
    if sign_ua:
        req.headers["X-Ua"] = "signed"
    SigV4Auth(Credentials(KEY, secret), "dynamodb", "us-east-1").add_auth(req)
    headers = dict(req.headers.items())
    headers.update(extra or {})
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    c.putrequest("POST", path, skip_accept_encoding=True)
    for k, v in headers.items():
        c.putheader(k, v)
    c.putheader("Content-Length", str(len(body)))
    c.endheaders(body)
    r = c.getresponse()
    r.read()
    c.close()
    return r.status


def compact(v):
    return json.dumps(v, separators=(",", ":"), ensure_ascii=False).encode()


def main():
    ck = dynamodb_check.Checker(None, KEY, SECRET)
    port = ck.port
    fails = []
    cases = [
        ("right", 200, dict(body=compact(GOOD))),
        ("a wrong secret", 400, dict(body=compact(GOOD), secret="other")),
        ("an unknown member", 400, dict(body=compact(dict(GOOD, Bogus=1)))),
        ("a member of the wrong type", 400, dict(body=compact(dict(GOOD, ConsistentRead="yes")))),
        ("a required member missing", 400, dict(body=compact({"TableName": "tbl"}))),
        ("an unknown operation", 400, dict(body=compact(GOOD), target="DynamoDB_20120810.Nope")),
        ("another protocol's target", 400, dict(body=compact(GOOD), target="Lambda.GetItem")),
        ("JSON 1.1's content type", 400, dict(body=compact(GOOD), ctype="application/x-amz-json-1.1")),
        ("spaces in the body", 400, dict(body=json.dumps(GOOD, ensure_ascii=False).encode())),
        ("an escaped non-ASCII character", 400, dict(body=json.dumps(GOOD, separators=(",", ":")).encode())),
        ("a header botocore does not send", 400, dict(body=compact(GOOD), sign_ua=True)),
        ("a path other than /", 400, dict(body=compact(GOOD), path="/x")),
        ("not JSON", 400, dict(body=b"{nope")),
    ]
    for name, want, kw in cases:
        before = len(ck.problems)
        got = send(port, **kw)
        if got != want:
            fails.append("%s: answered %d, expected %d (problems: %s)" % (name, got, want, ck.problems[before:]))
        elif want == 400 and len(ck.problems) == before:
            fails.append("%s: refused without a recorded problem" % name)
    ck.close()
    for f in fails:
        print("FAIL:", f)
    if not fails:
        print("the checker passes botocore's own request and refuses %d wrong ones" % (len(cases) - 1))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
