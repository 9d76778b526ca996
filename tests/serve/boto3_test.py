"""boto3_test.py: Debian's python3-boto3 against `leedz_helpers serve`,
running the seed's own caller code with endpoint_url. Checks what the
client got back (status, payload, FunctionError, service errors) and what
the C handlers received (their outbox, db.jsonl). Then --require-auth:
the right keys pass; a wrong secret, an unknown key and an unsigned
request get 403 with AWS's error types."""
import glob
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from servelib import Server, check, fail, wait_for, workdir  # noqa: E402

try:
    import boto3
    import botocore
    from botocore import UNSIGNED
    from botocore.config import Config
    from botocore.exceptions import ClientError
except ImportError as e:
    fail("Debian's python3-boto3 is needed: %s" % e)

wd = workdir("boto3")
out = os.path.join(wd, "leedz-out")
creds = {"AWS_ACCESS_KEY_ID": "AKIDSERVETEST", "AWS_SECRET_ACCESS_KEY": "serve-test-secret",
         "AWS_DEFAULT_REGION": "us-east-1"}
os.environ.update(creds)
for k in ("AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_LAMBDA", "AWS_REGION"):
    os.environ.pop(k, None)
srv = Server(os.environ["LEEDZ_HELPERS"], wd, ["--retry-delays", "10,10"],
             env={"LEEDZ_OUT": out, "LEEDZ_LATENCY_MS": "0"}).start()
print("boto3 %s, botocore %s, server %s" % (boto3.__version__, botocore.__version__, srv.url))


def client(url, **kw):
    cfg = Config(retries={"max_attempts": 1}, **kw.pop("config", {}))
    return boto3.client("lambda", endpoint_url=url, config=cfg, **kw)


def error_of(fn):
    try:
        fn()
    except ClientError as e:
        return e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"], e.response["Error"].get("Message", "")
    fail("expected a ClientError")


lambda_function = client(srv.url)

# ---- the seed's addLeed: an Event to the email controller -----------------------
payload = {
    'function': 'notifyUsers',
    'id': '123456789',
    'trade': 'caricatures',
    'seller': 'scott.gross'
}
r = lambda_function.invoke(FunctionName='async_email_helper',
                           InvocationType='Event',
                           Payload=json.dumps(payload))
check(r["StatusCode"] == 202, "Event: status %r" % r["StatusCode"])
check(r["Payload"].read() == b"", "Event: the body must be empty")
check("FunctionError" not in r, "Event: no FunctionError")
# notifyUsers mails the caricature artists subscribed by email, not the seller.
mails = wait_for(lambda: sorted(glob.glob(os.path.join(out, "outbox", "*.eml"))) if
                 len(glob.glob(os.path.join(out, "outbox", "*.eml"))) >= 2 else None, 20, "notifyUsers' emails")
check(sorted(re.sub(r"^local-[0-9]+-", "", os.path.basename(m)) for m in mails) == ["ana@example.com.eml", "cy@example.com.eml"],
      "emails went to %r" % mails)
text = open(mails[0]).read()
check("Subject: New caricatures leed 123456789" in text and "scott.gross posted a caricatures leed (123456789)" in text,
      "the handler got other fields: %r" % text)

# ---- RequestResponse: the result --------------------------------------------------
r = lambda_function.invoke(FunctionName='booking_helper', InvocationType='RequestResponse',
                           Payload=json.dumps({"function": "checkBooking", "trade": "dj", "date": "2026-12-31",
                                               "zip": "90210"}))
check(r["StatusCode"] == 200, "RequestResponse: status %r" % r["StatusCode"])
check(r.get("ExecutedVersion") == "$LATEST", "ExecutedVersion %r" % r.get("ExecutedVersion"))
check("FunctionError" not in r, "no FunctionError expected")
check(json.loads(r["Payload"].read()) == {"available": False, "conflict_id": "leed-nye-0001"}, "checkBooking result")
# The default type is RequestResponse.
r = lambda_function.invoke(FunctionName='booking_helper',
                           Payload=json.dumps({"function": "checkBooking", "trade": "magician", "date": "2026-12-31",
                                               "zip": "90210"}))
check(json.loads(r["Payload"].read()) == {"available": True}, "checkBooking (free) result")

# Every FunctionName form Lambda takes, and Qualifier.
for name, q in (("arn:aws:lambda:us-east-1:123456789012:function:booking_helper", None),
                ("arn:aws:lambda:us-east-1:123456789012:function:booking_helper:prod", None),
                ("123456789012:function:booking_helper", None),
                ("booking_helper:live", None), ("booking_helper", "$LATEST"), ("booking_helper", "7")):
    kw = {"Qualifier": q} if q else {}
    r = lambda_function.invoke(FunctionName=name, Payload=json.dumps(
        {"function": "checkBooking", "trade": "dj", "date": "2026-01-01", "zip": "10001"}), **kw)
    check(r["StatusCode"] == 200 and json.loads(r["Payload"].read()) == {"available": True}, "FunctionName %s" % name)

# What the C handler received, field by field: logActivity's db record.
act = {"function": "logActivity", "username": "scott.gross", "action": "posted", "leed_id": "123456789",
       "ts": 1767225600, "request": {"ip": "203.0.113.9", "ua": "boto3"}}
r = lambda_function.invoke(FunctionName='async_db_helper', InvocationType='Event', Payload=json.dumps(act))
check(r["StatusCode"] == 202, "logActivity Event")
db = os.path.join(out, "db.jsonl")
line = wait_for(lambda: [json.loads(x) for x in open(db)] if os.path.exists(db) else None, 20, "db.jsonl")
check({"table": "activity", "user": "scott.gross", "action": "posted", "leed_id": "123456789",
       "ts": 1767225600} in line, "db.jsonl holds %r" % line)

# ---- function errors: HTTP 200, FunctionError Unhandled, the error object -----------
r = lambda_function.invoke(FunctionName='async_db_helper', Payload=json.dumps({"function": "getLeed", "id": "L-42"}))
check(r["StatusCode"] == 200 and r.get("FunctionError") == "Unhandled", "getLeed: %r" % r)
err = json.loads(r["Payload"].read())
check(err == {"errorType": "leedz.NotFound", "errorMessage": "no leed L-42 in the demo table"}, "getLeed error %r" % err)
r = lambda_function.invoke(FunctionName='booking_helper', Payload=json.dumps(
    {"function": "checkBooking", "trade": "dj", "date": "2026-12-31", "zip": "9"}))
err = json.loads(r["Payload"].read())
check(r.get("FunctionError") == "Unhandled" and err["errorType"] == "ctl.InvalidPayload" and "$.zip" in err["errorMessage"],
      "a payload error is a function error: %r" % err)
r = lambda_function.invoke(FunctionName='booking_helper', Payload=json.dumps({"function": "nope"}))
check(json.loads(r["Payload"].read())["errorType"] == "ctl.UnknownFunction", "unknown function in the payload")

# ---- service errors ------------------------------------------------------------------
code, status, msg = error_of(lambda: lambda_function.invoke(FunctionName='no_such_helper', InvocationType='Event',
                                                            Payload=b'{}'))
check((code, status) == ("ResourceNotFoundException", 404) and "Function not found" in msg, "404: %r" % ((code, status, msg),))
code, status, _ = error_of(lambda: lambda_function.invoke(FunctionName='booking_helper', Payload=b'{"function": '))
check((code, status) == ("InvalidRequestContentException", 400), "not JSON (sync): %r" % code)
code, status, _ = error_of(lambda: lambda_function.invoke(FunctionName='async_db_helper', InvocationType='Event',
                                                          Payload=b'not json'))
check((code, status) == ("InvalidRequestContentException", 400), "not JSON (Event): %r" % code)
big_async = json.dumps({"function": "logActivity", "username": "x" * (1024 * 1024 + 10), "action": "posted", "ts": 1})
code, status, msg = error_of(lambda: lambda_function.invoke(FunctionName='async_db_helper', InvocationType='Event',
                                                            Payload=big_async))
check((code, status) == ("RequestTooLargeException", 413), "async over 1 MB: %r" % ((code, status, msg),))
big_sync = json.dumps({"function": "checkBooking", "trade": "dj", "date": "2026-12-31", "zip": "y" * (6 * 1024 * 1024 + 10)})
code, status, _ = error_of(lambda: lambda_function.invoke(FunctionName='booking_helper', Payload=big_sync))
check((code, status) == ("RequestTooLargeException", 413), "sync over 6 MB: %r" % code)
# Under the sync limit, 2 MB is fine for RequestResponse (and reaches the handler's checks).
r = lambda_function.invoke(FunctionName='booking_helper', Payload=json.dumps(
    {"function": "checkBooking", "trade": "dj", "date": "2026-12-31", "zip": "z" * (2 * 1024 * 1024)}))
check(r.get("FunctionError") == "Unhandled", "2 MB sync call runs")
r = lambda_function.invoke(FunctionName='booking_helper', InvocationType='DryRun', Payload=b'{}')
check(r["StatusCode"] == 204, "DryRun: %r" % r["StatusCode"])

# The access log has a line per invocation.
log = srv.access_log()
check(any(e["type"] == "Event" and e["status"] == 202 and e["controller"] == "async_email_helper" for e in log),
      "access log: the Event")
check(all({"requestId", "function", "controller", "type", "status", "durationMs"} <= set(e) for e in log),
      "access log fields")
check(srv.stop() == 0, "SIGTERM: exit 0")

# ---- --require-auth ----------------------------------------------------------------------
auth = Server(os.environ["LEEDZ_HELPERS"], wd, ["--require-auth", "--quiet"], name="auth",
              env={"LEEDZ_OUT": out, "LEEDZ_LATENCY_MS": "0"}).start()
ok = client(auth.url)
r = ok.invoke(FunctionName='booking_helper', Payload=json.dumps(
    {"function": "checkBooking", "trade": "dj", "date": "2026-12-31", "zip": "90210"}))
check(r["StatusCode"] == 200 and json.loads(r["Payload"].read())["available"] is False, "signed call passes")
r = ok.invoke(FunctionName='arn:aws:lambda:us-east-1:123456789012:function:async_db_helper:prod', InvocationType='Event',
              Payload=json.dumps({"function": "bumpCounters", "trade": "dj", "posted": 1}))
check(r["StatusCode"] == 202, "signed Event to an ARN with a qualifier passes")
wrong_secret = client(auth.url, aws_access_key_id="AKIDSERVETEST", aws_secret_access_key="wrong")
code, status, _ = error_of(lambda: wrong_secret.invoke(FunctionName='booking_helper', Payload=b'{}'))
check((code, status) == ("InvalidSignatureException", 403), "wrong secret: %r" % ((code, status),))
wrong_key = client(auth.url, aws_access_key_id="AKIDOTHER", aws_secret_access_key="serve-test-secret")
code, status, _ = error_of(lambda: wrong_key.invoke(FunctionName='booking_helper', Payload=b'{}'))
check((code, status) == ("UnrecognizedClientException", 403), "unknown key: %r" % ((code, status),))
unsigned = client(auth.url, config={"signature_version": UNSIGNED})
code, status, _ = error_of(lambda: unsigned.invoke(FunctionName='booking_helper', Payload=b'{}'))
check((code, status) == ("MissingAuthenticationTokenException", 403), "unsigned: %r" % ((code, status),))
# The credential scope: serve's region (AWS_DEFAULT_REGION here) and lambda.
other_region = client(auth.url, region_name="eu-west-1")
code, status, msg = error_of(lambda: other_region.invoke(FunctionName='booking_helper', Payload=b'{}'))
check((code, status) == ("InvalidSignatureException", 403) and "'us-east-1'" in msg and "'eu-west-1'" in msg,
      "signed for another region: %r" % ((code, status, msg),))
x_region = client(auth.url, region_name="x")
code, status, msg = error_of(lambda: x_region.invoke(FunctionName='booking_helper', Payload=b'{}'))
check((code, status) == ("InvalidSignatureException", 403) and "'us-east-1'" in msg,
      "signed for region x: %r" % ((code, status, msg),))


def signed_for(service, region, url):
    """A ListFunctions signed by botocore's SigV4 for service and region."""
    import urllib.error
    import urllib.request
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
    req = AWSRequest(method="GET", url=url + "/2015-03-31/functions/")
    SigV4Auth(Credentials("AKIDSERVETEST", "serve-test-secret"), service, region).add_auth(req)
    try:
        with urllib.request.urlopen(urllib.request.Request(req.url, headers=dict(req.headers.items()))) as r:
            return r.status, r.headers.get("x-amzn-ErrorType"), r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("x-amzn-ErrorType"), e.read()


check(signed_for("lambda", "us-east-1", auth.url)[0] == 200, "botocore SigV4 for lambda, us-east-1: 200")
st, etype, body = signed_for("s3", "us-east-1", auth.url)
check((st, etype) == (403, "InvalidSignatureException") and b"'lambda'" in body,
      "signed for s3: %r" % ((st, etype, body),))
check(auth.stop() == 0, "auth server: exit 0")

# --region sets serve's own region: the one signatures must be scoped to.
paris = Server(os.environ["LEEDZ_HELPERS"], wd, ["--require-auth", "--quiet", "--region", "eu-west-3"],
               name="paris", env={"LEEDZ_OUT": out, "LEEDZ_LATENCY_MS": "0"}).start()
r = client(paris.url, region_name="eu-west-3").invoke(FunctionName='booking_helper', Payload=json.dumps(
    {"function": "checkBooking", "trade": "dj", "date": "2026-12-31", "zip": "90210"}))
check(r["StatusCode"] == 200, "--region eu-west-3: a call signed for eu-west-3 passes")
code, status, msg = error_of(lambda: client(paris.url).invoke(FunctionName='booking_helper', Payload=b'{}'))
check((code, status) == ("InvalidSignatureException", 403) and "'eu-west-3'" in msg,
      "--region eu-west-3, signed for us-east-1: %r" % ((code, status, msg),))
arn = client(paris.url, region_name="eu-west-3").get_function(FunctionName="booking_helper")
check(":eu-west-3:" in arn["Configuration"]["FunctionArn"], "ARNs in serve's region: %r" % arn["Configuration"])
check(paris.stop() == 0, "paris server: exit 0")
print("boto3: all checks passed")
