#!/usr/bin/env python3
"""double_selfcheck.py: the Invoke double's signature check is not vacuous.

Starts invoke_double.py and sends it requests signed by boto3 itself: with
the right credentials the double must find no signature problem; with a
wrong secret, a wrong session token or no Authorization at all it must
report each one. (boto3 sends no Content-Type and headers of its own, which
the double reports too; only the signature findings are looked at here.)
Usage: double_selfcheck.py invoke_double.py. Exit 0 when all hold."""
import json
import os
import subprocess
import sys
import urllib.request

import boto3
import botocore.config

KEY, SECRET, TOKEN = "AKIDSELF", "self/check+secret", "self-token"


def main():
    env = dict(os.environ, DOUBLE_ACCESS_KEY=KEY, DOUBLE_SECRET=SECRET, DOUBLE_TOKEN=TOKEN,
               DOUBLE_REGION="us-east-1", DOUBLE_REQUIRE_SIG="1")
    double = subprocess.Popen([sys.executable, sys.argv[1]], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              env=env, text=True)
    port = int(double.stdout.readline().split()[1])
    base = "http://127.0.0.1:%d" % port
    failures = []

    def problems():
        with urllib.request.urlopen(base + "/_problems") as r:
            return json.load(r)

    def invoke(name, secret, token):
        client = boto3.client("lambda", region_name="us-east-1", endpoint_url=base, aws_access_key_id=KEY,
                              aws_secret_access_key=secret, aws_session_token=token,
                              config=botocore.config.Config(retries={"max_attempts": 1}))
        client.invoke(FunctionName=name, InvocationType="Event", Payload=b'{"function":"x"}')

    def findings(name):
        return [p for p in problems() if ("/functions/%s/" % name) in p and
                ("signature" in p or "Authorization" in p or "Security-Token" in p)]

    invoke("good", SECRET, TOKEN)
    invoke("good:prod", SECRET, TOKEN)
    invoke("arn:aws:lambda:us-east-1:123456789012:function:good", SECRET, TOKEN)
    bad = [p for p in problems() if "signature" in p or "Authorization" in p]
    if bad:
        failures.append("boto3's own signatures were refused: %s" % bad[:2])

    invoke("wrongsecret", SECRET + "x", TOKEN)
    if not any("signature mismatch" in p for p in findings("wrongsecret")):
        failures.append("a wrong secret was not noticed")
    invoke("wrongtoken", SECRET, TOKEN + "x")
    if not any("Security-Token" in p for p in findings("wrongtoken")):
        failures.append("a wrong session token was not noticed")

    req = urllib.request.Request(base + "/2015-03-31/functions/unsigned/invocations", data=b'{"function":"x"}',
                                 method="POST", headers={"Content-Type": "application/json"})
    urllib.request.urlopen(req).read()
    if not any("no Authorization" in p for p in findings("unsigned")):
        failures.append("an unsigned request was not noticed")

    double.stdin.close()
    double.wait()
    for f in failures:
        print("FAIL:", f)
    print("double_selfcheck: %d failures" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
