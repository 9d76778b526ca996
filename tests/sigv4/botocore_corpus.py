#!/usr/bin/python3
"""botocore_corpus.py: Lambda Invoke requests as a real botocore client puts
them on the wire, with botocore's own SigV4 Authorization, as JSON lines.

    botocore_corpus.py --out FILE [--count N] [--seed S] [--check PROG]

Each request is made by a botocore.session `lambda` client (credentials,
region and endpoint set on the client as a user would) calling invoke().
A `before-send` handler captures the prepared request and answers a canned
response, so nothing leaves the process; botocore's clock is frozen at a
seeded time for each request. The signer is botocore's pure-Python
SigV4Auth (BOTO_DISABLE_CRT is set: with python3-awscrt installed botocore
would otherwise sign through the CRT). When awscrt is importable the same
request is also signed by botocore's CRT signer (CrtSigV4Auth) and recorded
as a second reference. The format is in README.md beside this file.

With --check PROG, runs `PROG FILE` afterwards and exits with its status.
Exits 77 (CTest's SKIP) when botocore cannot be imported, saying so."""
import argparse
import base64
import datetime
import json
import os
import random
import subprocess
import sys
import types

# Before botocore is imported: sign with SigV4Auth, not the CRT.
os.environ["BOTO_DISABLE_CRT"] = "true"
# A user's ~/.aws must not change what the client does.
os.environ["AWS_CONFIG_FILE"] = os.devnull
os.environ["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull
for var in ("AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_LAMBDA", "AWS_PROFILE", "AWS_DEFAULT_REGION", "AWS_REGION"):
    os.environ.pop(var, None)

try:
    import botocore
    import botocore.auth
    import botocore.awsrequest
    import botocore.credentials
    import botocore.session
except ImportError as e:
    print(f"SKIP: botocore is not importable by {sys.executable} ({e}); install python3-botocore")
    sys.exit(77)

try:
    import botocore.crt.auth as crt_auth
except ImportError:
    crt_auth = None

REGIONS = ["us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2", "ap-northeast-1",
           "sa-east-1", "ca-central-1", "af-south-1", "us-gov-west-1"]
NAME_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_"
# Names Lambda would refuse but a caller could still pass: what botocore
# does with '%', spaces, '/', '+', unicode decides how paths are encoded.
ODD_NAMES = ["my fn", "100%", "a%3Ab", "caf\u00e9", "\u30c6\u30b9\u30c8", "a+b", "x/y", "semi;colon",
             "q?mark", "hash#1", "tilde~ok", "dots..", "..", "."]


class FrozenClock:
    """Stands in for the datetime module inside botocore's signers."""

    def __init__(self):
        self.now = None
        outer = self

        class Frozen(datetime.datetime):
            @classmethod
            def utcnow(cls):
                return outer.now

        self.datetime = Frozen
        self.timezone = datetime.timezone
        self.timedelta = datetime.timedelta


class CannedRaw:
    """The raw body of the canned response."""

    def __init__(self, data):
        self.data = data

    def stream(self, **_):
        yield self.data


def name(rng, lo=1, hi=64):
    return "".join(rng.choice(NAME_CHARS) for _ in range(rng.randint(lo, hi)))


def function_name(rng, region):
    """A FunctionName in one of the forms Lambda accepts, and its kind."""
    account = "".join(rng.choice("0123456789") for _ in range(12))
    base = name(rng)
    qual = rng.choice([None, None, name(rng, 1, 20), str(rng.randint(1, 999)), "$LATEST"])
    kind = rng.choice(["plain", "alias", "arn", "partial_arn", "odd"])
    if kind == "plain":
        return kind, base
    if kind == "alias":
        return kind, f"{base}:{qual or 'live'}"
    if kind == "arn":
        arn = f"arn:aws:lambda:{region}:{account}:function:{base}"
        return kind, arn + (f":{qual}" if qual else "")
    if kind == "partial_arn":
        return kind, f"{account}:function:{base}" + (f":{qual}" if qual else "")
    return kind, rng.choice(ODD_NAMES) + rng.choice(["", ":" + name(rng, 1, 8)])


def payload(rng):
    kind = rng.choice(["json", "unicode", "binary", "empty", "large"])
    if kind == "json":
        obj = {"function": "notifyUsers", "id": str(rng.randint(0, 10**9)), "trade": "caricatures"}
        return kind, json.dumps(obj).encode()
    if kind == "unicode":
        text = "".join(chr(rng.choice([0xe9, 0x4e2d, 0x1f600, 0x3b1, 0x20ac, 0x41])) for _ in range(rng.randint(1, 40)))
        return kind, json.dumps({"function": "f", "text": text}, ensure_ascii=False).encode("utf-8")
    if kind == "binary":
        return kind, bytes(rng.randrange(256) for _ in range(rng.randint(1, 300)))
    if kind == "empty":
        return kind, b""
    return kind, json.dumps({"function": "f", "blob": "x" * rng.randint(1000, 70000)}).encode()


def text(v):
    return v.decode("utf-8") if isinstance(v, bytes) else str(v)


def crt_authorization(clock, creds, region, method, url, headers, body, authorization):
    """The CRT signer's Authorization for the same request, or None. It is
    given the headers SigV4Auth signed (others, like amz-sdk-request, are
    added after signing) but those it adds itself: host, date, token."""
    if crt_auth is None:
        return None
    signed = authorization.split("SignedHeaders=", 1)[1].split(",", 1)[0].split(";")
    keep = set(signed) - {"host", "x-amz-date", "x-amz-security-token"}
    req = botocore.awsrequest.AWSRequest(method=method, url=url, data=body,
                                         headers={k: v for k, v in headers if k.lower() in keep})
    signer = crt_auth.CrtSigV4Auth(creds, "lambda", region)
    saved = crt_auth.datetime
    crt_auth.datetime = clock
    try:
        signer.add_auth(req)
    finally:
        crt_auth.datetime = saved
    return text(req.headers["Authorization"])


def generate(count, seed):
    rng = random.Random(seed)
    clock = FrozenClock()
    botocore.auth.datetime = clock
    session = botocore.session.get_session()
    captured = []

    def before_send(request, **_):
        captured.append(request)
        status = 204 if request.headers.get("X-Amz-Invocation-Type") == b"DryRun" else 202
        if request.headers.get("X-Amz-Invocation-Type") in (None, b"RequestResponse"):
            status = 200
        return botocore.awsrequest.AWSResponse(request.url, status, {}, CannedRaw(b"{}" if status == 200 else b""))

    for i in range(count):
        region = rng.choice(REGIONS)
        akid = "AKIA" + "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") for _ in range(16))
        secret = "".join(rng.choice(NAME_CHARS + "/+") for _ in range(40))
        token = None
        if rng.random() < 0.5:
            token = base64.b64encode(bytes(rng.randrange(256) for _ in range(rng.randint(20, 400)))).decode()
        endpoint = rng.choice([None, None, None, "http://127.0.0.1:9001", "http://localhost:%d" % rng.randint(1024, 65535),
                               f"https://lambda.{region}.amazonaws.com"])
        client = session.create_client("lambda", region_name=region, endpoint_url=endpoint,
                                       aws_access_key_id=akid, aws_secret_access_key=secret,
                                       aws_session_token=token)
        client.meta.events.register("before-send.lambda.Invoke", before_send)
        clock.now = datetime.datetime(2015, 1, 1) + datetime.timedelta(seconds=rng.randrange(16 * 365 * 86400))
        fn_kind, fn = function_name(rng, region)
        qualifier = rng.choice([None, None, name(rng, 1, 20), str(rng.randint(1, 99)), "$LATEST"])
        pl_kind, body = payload(rng)
        kwargs = {"FunctionName": fn, "InvocationType": rng.choice(["Event", "RequestResponse", "DryRun"]),
                  "Payload": body}
        if qualifier:
            kwargs["Qualifier"] = qualifier
        if rng.random() < 0.2:
            kwargs["LogType"] = "Tail"
        if rng.random() < 0.2:
            kwargs["ClientContext"] = base64.b64encode(json.dumps({"custom": {"n": i}}).encode()).decode()
        captured.clear()
        client.invoke(**kwargs)
        client.close()
        req = captured[-1]
        url = req.url
        scheme, rest = url.split("://", 1)
        path_query = "/" + rest.split("/", 1)[1]
        path, _, query = path_query.partition("?")
        headers = [[text(k), text(v)] for k, v in req.headers.items()]
        if not any(k.lower() == "host" for k, _ in headers):
            # What botocore signed and urllib3 sends: host[:port].
            headers.insert(0, ["Host", botocore.auth._host_from_url(url)])
        body_bytes = req.body or b""
        if not isinstance(body_bytes, bytes):
            body_bytes = body_bytes.read()
        authorization = next(v for k, v in headers if k.lower() == "authorization")
        signed_headers = authorization.split("SignedHeaders=", 1)[1].split(",", 1)[0].split(";")
        creds = botocore.credentials.Credentials(akid, secret, token)
        yield {
            "id": i,
            "function_name": fn,
            "function_kind": fn_kind,
            "qualifier": qualifier,
            "invocation_type": kwargs["InvocationType"],
            "payload_kind": pl_kind,
            "endpoint_url": endpoint,
            "url": url,
            "method": req.method,
            "path": path,
            "query": query,
            "headers": headers,
            "body": base64.b64encode(body_bytes).decode(),
            "creds": {"access_key_id": akid, "secret_access_key": secret, "session_token": token},
            "region": region,
            "service": "lambda",
            "amz_date": clock.now.strftime("%Y%m%dT%H%M%SZ"),
            "authorization": authorization,
            "signed_headers": signed_headers,
            "authorization_crt": crt_authorization(clock, creds, region, req.method, url, headers, body_bytes,
                                                   authorization),
        }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--count", type=int, default=400)
    ap.add_argument("--seed", type=int, default=4)
    ap.add_argument("--check")
    a = ap.parse_args()
    n = 0
    with open(a.out, "w", encoding="utf-8") as f:
        for rec in generate(a.count, a.seed):
            f.write(json.dumps(rec, sort_keys=True) + "\n")
            n += 1
    print(f"{n} requests from botocore {botocore.__version__} ({os.path.dirname(botocore.__file__)}), "
          f"CRT reference {'on' if crt_auth else 'off (python3-awscrt missing)'}, seed {a.seed}: {a.out}")
    if a.check:
        sys.stdout.flush()
        sys.exit(subprocess.call([a.check, a.out]))


if __name__ == "__main__":
    main()
