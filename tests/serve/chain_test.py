"""chain_test.py: the seed's chain across processes. A Python addLeed
(boto3, the seed's code) sends notifyUsers to the C async_email_helper
through serve A; its handler calls async_db_helper.findSubscribers with the
generated C stub over the Lambda transport, which AWS_ENDPOINT_URL_LAMBDA
points at serve B (--require-auth: the transport signs). Checks the emails
A's handler wrote and the call B logged."""
import glob
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from servelib import Server, check, fail, wait_for, workdir  # noqa: E402

try:
    import boto3
    from botocore.config import Config
except ImportError as e:
    fail("Debian's python3-boto3 is needed: %s" % e)

LEEDZ = os.environ["LEEDZ_HELPERS"]
wd = workdir("chain")
keys = {"AWS_ACCESS_KEY_ID": "AKIDCHAIN", "AWS_SECRET_ACCESS_KEY": "chain-secret", "AWS_REGION": "us-east-1"}
for k in ("AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_LAMBDA", "AWS_DEFAULT_REGION"):
    os.environ.pop(k, None)
db = Server(LEEDZ, wd, ["--only", "async_db_helper", "--require-auth"], name="db",
            env=dict(keys, LEEDZ_OUT=os.path.join(wd, "db-out"), LEEDZ_LATENCY_MS="0")).start()
email = Server(LEEDZ, wd, ["--only", "async_email_helper"], name="email",
               env=dict(keys, LEEDZ_OUT=os.path.join(wd, "email-out"), LEEDZ_LATENCY_MS="0",
                        AWS_ENDPOINT_URL_LAMBDA=db.url)).start()
check("other controllers: through the Lambda transport" in open(email.log).read(), "serve A uses the transport")

# addLeed.py (main branch), with endpoint_url.
payload = {
    'function': 'notifyUsers',
    'id': '123456789',
    'trade': 'caricatures',
    'seller': 'scott.gross'
}
lambda_function = boto3.client('lambda', endpoint_url=email.url, region_name='us-east-1',
                               aws_access_key_id='AKIDCHAIN', aws_secret_access_key='chain-secret',
                               config=Config(retries={"max_attempts": 1}))
r = lambda_function.invoke(FunctionName='async_email_helper',
                           InvocationType='Event',
                           Payload=json.dumps(payload))
check(r["StatusCode"] == 202, "addLeed's Event: %r" % r["StatusCode"])
outbox = os.path.join(wd, "email-out", "outbox")
mails = wait_for(lambda: sorted(glob.glob(os.path.join(outbox, "*.eml"))) if
                 len(glob.glob(os.path.join(outbox, "*.eml"))) >= 2 else None, 30, "the emails")
check(sorted(re.sub(r"^local-[0-9]+-", "", os.path.basename(m)) for m in mails) ==
      ["ana@example.com.eml", "cy@example.com.eml"], "emails: %r" % mails)
check(all("scott.gross posted a caricatures leed (123456789)" in open(m).read() for m in mails), "email text")
# B answered the stub's findSubscribers call (signed, RequestResponse).
calls = [e for e in db.access_log() if e["controller"] == "async_db_helper"]
check(len(calls) == 1 and calls[0]["type"] == "RequestResponse" and calls[0]["status"] == 200,
      "serve B's log: %r" % calls)
check(not glob.glob(os.path.join(wd, "db-out", "outbox", "*.eml")), "B sent no email")
# A does not serve the db controller itself.
code = None
try:
    lambda_function.invoke(FunctionName='async_db_helper', Payload=b'{}')
except lambda_function.exceptions.ResourceNotFoundException:
    code = 404
check(code == 404, "serve A does not serve async_db_helper")
check(email.stop() == 0 and db.stop() == 0, "both exit 0")
check(not email.dead_letters(), "no dead letters: %r" % email.dead_letters())
print("chain: addLeed (boto3) -> serve A async_email_helper.notifyUsers -> stub over Lambda -> "
      "serve B async_db_helper.findSubscribers: 2 emails")
