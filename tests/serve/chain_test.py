"""chain_test.py: the seed's chain across processes. A Python addLeed
(boto3, the seed's code) sends notifyUsers to the C async_email_helper
through serve A; its handler calls async_db_helper.findSubscribers with the
generated C stub over the Lambda transport, which AWS_ENDPOINT_URL_LAMBDA
points at serve B (--require-auth: the transport signs). Checks the emails
A's handler wrote and the call B logged.

Tracing: boto3's request carries X-Amzn-Trace-Id (set by an event hook);
A journals it with the event, its handler's stub call carries it to B, and
both access logs show the same traceId. Without the header A starts a trace
(Root=1-<8 hex>-<24 hex>) and B's log shows it; a header that breaks the
rule (too long) is dropped and a trace started instead; one with quotes and
backslashes is kept and the logs stay JSON."""
import glob
import json
import os
import re
import sys
import time

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
TRACE = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"
sent_trace = [TRACE]  # what the hook puts on the next request; None: no header


def add_trace(request, **kwargs):
    if sent_trace[0] is not None:
        request.headers["X-Amzn-Trace-Id"] = sent_trace[0]


lambda_function.meta.events.register("before-send.lambda.Invoke", add_trace)
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

# One trace end to end: boto3's header in A's log (the Event's 202) and in
# B's (the stub's call from A's handler, over the signed transport).
a_events = [e for e in email.access_log() if e.get("type") == "Event" and e.get("status") == 202]
check(len(a_events) == 1 and a_events[0].get("traceId") == TRACE, "serve A's log: %r" % a_events)
check(calls[0].get("traceId") == TRACE, "serve B's log has boto3's trace: %r" % calls)

NEW_ROOT = re.compile(r"^Root=1-([0-9a-f]{8})-[0-9a-f]{24}$")


def one_more(header, n_calls):
    """Invokes A with header (None: none) and returns A's Event line and
    B's call line for it, once B logged its n_calls-th call. Each is
    another leed: notifyUsers is @idempotent on the leed id, and the
    seed's payload again would be answered from A's store, with no call
    to B."""
    sent_trace[0] = header
    r = lambda_function.invoke(FunctionName='async_email_helper', InvocationType='Event',
                               Payload=json.dumps(dict(payload, id="12345678%d" % n_calls)))
    check(r["StatusCode"] == 202, "Event: %r" % r["StatusCode"])
    b = wait_for(lambda: [e for e in db.access_log() if e["controller"] == "async_db_helper"]
                 if len([e for e in db.access_log() if e["controller"] == "async_db_helper"]) >= n_calls
                 else None, 30, "B's call %d" % n_calls)
    a = [e for e in email.access_log() if e.get("type") == "Event" and e.get("status") == 202]
    return a[-1], b[n_calls - 1]


# No header: A starts a trace in X-Ray's format (its time is now), and B's
# log shows that same trace.
a, b = one_more(None, 2)
m = NEW_ROOT.match(a.get("traceId", ""))
check(m is not None and abs(int(m.group(1), 16) - time.time()) < 300, "A started a trace: %r" % a)
check(b.get("traceId") == a.get("traceId"), "B's log has A's new trace: %r vs %r" % (b, a))
# A header past the rule's 256 bytes: dropped (not cut), a new trace instead.
long_header = "Root=1-5759e988-bd862e3fe1be46a994272793;Lineage=" + "a" * 300
a, b = one_more(long_header, 3)
check(NEW_ROOT.match(a.get("traceId", "")) is not None, "an over-long header is replaced: %r" % a)
check(b.get("traceId") == a.get("traceId"), "B follows A's new trace: %r vs %r" % (b, a))
# Quotes and backslashes are visible ASCII: kept, and the logs (parsed as
# JSON by access_log) stay JSON.
odd = 'Root=1-5759e988-bd862e3fe1be46a994272793;X="}\\{'
a, b = one_more(odd, 4)
check(a.get("traceId") == odd, "A keeps the odd header: %r" % a)
# botocore's quote() escaping leaves '"', '}' and '{' alone and makes the
# backslash %5C: that is what B receives.
check(b.get("traceId") == odd.replace("\\", "%5C"), "B gets it quoted as botocore does: %r" % b)
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
