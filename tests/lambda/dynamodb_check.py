#!/usr/bin/env python3
"""dynamodb_check.py: a loopback checker of DynamoDB requests, in front of a
real DynamoDB (dynalite) it forwards them to; and dynalite's start.

Every request must be what botocore itself would send for the operation
its X-Amz-Target names, over DynamoDB's JSON 1.0 protocol:

  - POST to "/", X-Amz-Target "DynamoDB_20120810.OP" of an operation of
    botocore's DynamoDB model, Content-Type "application/x-amz-json-1.0";
  - the body valid for the operation's input shape (botocore's
    ParamValidator), and byte for byte the compact JSON (no spaces, UTF-8
    unescaped) of what botocore's JSON serializer makes of those
    parameters: the same members in the same order with the same values
    (botocore itself writes the same with spaces and ASCII escapes);
  - SignedHeaders exactly those botocore's SigV4Auth signs for that
    request, and the signature recomputed by it (service dynamodb).

A request that passes is forwarded to the upstream and its answer sent
back as is (with no upstream, the answer is 200 "{}"); one that fails is recorded in `problems` and answered 400
ValidationException. With all_old, a ConditionalCheckFailedException of a
request that asked ReturnValuesOnConditionCheckFailure=ALL_OLD gets the item
added (read with a consistent GetItem), as DynamoDB answers and dynalite
does not, so both paths of the C store are exercised.
"""
import http.client
import json
import os
import socket
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import botocore.session
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.serialize import create_serializer
from botocore.validate import ParamValidator

MODEL = botocore.session.get_session().get_service_model("dynamodb")
SERIALIZER = create_serializer("json", include_validation=False)
VALIDATOR = ParamValidator()
ALL_OLD = "ReturnValuesOnConditionCheckFailure"


class Checker:
    def __init__(self, upstream_port, access_key, secret, token=None, all_old=False):
        self.upstream_port = upstream_port
        self.creds = Credentials(access_key, secret, token)
        self.all_old = all_old
        self.lock = threading.Lock()
        self.problems = []
        self.ops = {}
        self.items_added = 0
        self.local = threading.local()
        checker = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def setup(self):
                super().setup()
                # the answer goes in two writes: without this, Nagle and
                # delayed ACKs cost 40 ms a request
                self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

            def do_POST(self):
                checker.handle(self)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()

    def problem(self, text):
        with self.lock:
            if len(self.problems) < 50:
                self.problems.append(text)
        return text

    def check(self, path, headers, body):
        """The problems of one request, or []; and the operation's name."""
        out = []
        target = headers.get("x-amz-target", "")
        op_name = target[len("DynamoDB_20120810."):] if target.startswith("DynamoDB_20120810.") else None
        if path != "/":
            out.append("path %r is not /" % path)
        if op_name not in MODEL.operation_names:
            return out + ["X-Amz-Target %r names no DynamoDB operation" % target], op_name
        op = MODEL.operation_model(op_name)
        signed_body = body
        try:
            params = json.loads(body)
        except ValueError as e:
            return out + ["%s: the body is not JSON: %s" % (op_name, e)], op_name
        if ALL_OLD not in op.input_shape.members and isinstance(params, dict) and ALL_OLD in params:
            # A botocore older than the parameter (DynamoDB added it on
            # 2023-06-30; Debian 12 has botocore 1.29): its value must be
            # ALL_OLD and the last member, and the rest is checked as usual.
            if params.pop(ALL_OLD) != "ALL_OLD" or not body.endswith(b',"%s":"ALL_OLD"}' % ALL_OLD.encode()):
                out.append("%s: %s is not the last member, ALL_OLD" % (op_name, ALL_OLD))
            body = body[:-len(b',"%s":"ALL_OLD"}' % ALL_OLD.encode())] + b"}"
        report = VALIDATOR.validate(params, op.input_shape)
        if report.has_errors():
            out.append("%s: botocore's model refuses the body: %s" % (op_name, report.generate_report()))
            return out, op_name
        wire = SERIALIZER.serialize_to_request(params, op)
        want = json.dumps(json.loads(wire["body"]), separators=(",", ":"), ensure_ascii=False).encode()
        if want != body:
            out.append("%s: the body is not botocore's serialization byte for byte:\n  got  %r\n  want %r"
                       % (op_name, body[:300], want[:300]))
        for name, value in wire["headers"].items():
            if headers.get(name.lower()) != value:
                out.append("%s: %s is %r, botocore sends %r" % (op_name, name, headers.get(name.lower()), value))
        extra = set(headers) - {"host", "x-amz-target", "content-type", "x-amz-date", "authorization",
                                "content-length", "user-agent", "x-amz-security-token"}
        if extra:
            out.append("%s: headers botocore does not send: %s" % (op_name, sorted(extra)))
        # the signature, as botocore's SigV4Auth makes it for these headers at this time
        auth = headers.get("authorization", "")
        parts = dict(p.strip().split("=", 1) for p in auth[len("AWS4-HMAC-SHA256 "):].split(",") if "=" in p)
        if not auth.startswith("AWS4-HMAC-SHA256 ") or set(parts) != {"Credential", "SignedHeaders", "Signature"}:
            return out + ["%s: malformed Authorization" % op_name], op_name
        key, date, region, service, term = (parts["Credential"].split("/") + [""] * 5)[:5]
        if key != self.creds.access_key or service != "dynamodb" or term != "aws4_request":
            out.append("%s: Credential %r" % (op_name, parts["Credential"]))
        req = AWSRequest(method="POST", url="http://%s/" % headers.get("host", ""), data=signed_body,
                         headers={"X-Amz-Target": headers.get("x-amz-target", ""),
                                  "Content-Type": headers.get("content-type", ""),
                                  "User-Agent": headers.get("user-agent", "")})
        signer = SigV4Auth(self.creds, "dynamodb", region)
        req.context["timestamp"] = headers.get("x-amz-date", "")
        req.headers["X-Amz-Date"] = headers.get("x-amz-date", "")
        if self.creds.token:
            req.headers["X-Amz-Security-Token"] = self.creds.token
        want_signed = ";".join(sorted(signer.headers_to_sign(req).keys()))
        if parts["SignedHeaders"] != want_signed:
            out.append("%s: SignedHeaders %s, botocore signs %s" % (op_name, parts["SignedHeaders"], want_signed))
        canonical = signer.canonical_request(req)
        expected = signer.signature(signer.string_to_sign(req, canonical), req)
        if expected != parts["Signature"]:
            out.append("%s: signature mismatch (botocore's canonical request:\n%s)" % (op_name, canonical))
        return out, op_name

    def upstream(self, target, body):
        conn = getattr(self.local, "conn", None)
        for attempt in range(2):
            if conn is None:
                conn = http.client.HTTPConnection("127.0.0.1", self.upstream_port, timeout=30)
                self.local.conn = conn
            try:
                conn.request("POST", "/", body=body, headers={
                    "Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": target,
                    "Authorization": "AWS4-HMAC-SHA256 Credential=%s/20200101/us-east-1/dynamodb/aws4_request, "
                                     "SignedHeaders=host, Signature=0" % self.creds.access_key,
                    "X-Amz-Date": time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())})
                r = conn.getresponse()
                return r.status, r.read()
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = None
                self.local.conn = None
                if attempt:
                    raise

    def handle(self, h):
        n = int(h.headers.get("Content-Length", "0"))
        body = h.rfile.read(n)
        headers = {k.lower(): v for k, v in h.headers.items()}
        found, op = self.check(h.path, headers, body)
        with self.lock:
            self.ops[op] = self.ops.get(op, 0) + 1
        if found:
            for f in found:
                self.problem(f)
            status, reply = 400, json.dumps({"__type": "com.amazon.coral.validate#ValidationException",
                                             "message": "refused by the checker: " + found[0][:200]}).encode()
        elif self.upstream_port is None:
            status, reply = 200, b"{}"
        else:
            status, reply = self.upstream(headers["x-amz-target"], body)
            if self.all_old and status == 400 and b"ConditionalCheckFailedException" in reply:
                params = json.loads(body)
                if params.get("ReturnValuesOnConditionCheckFailure") == "ALL_OLD":
                    key = {"id": params["Item"]["id"]} if "Item" in params else params["Key"]
                    st, got = self.upstream("DynamoDB_20120810.GetItem", json.dumps(
                        {"TableName": params["TableName"], "Key": key, "ConsistentRead": True}).encode())
                    item = json.loads(got).get("Item") if st == 200 else None
                    if item is not None:
                        err = json.loads(reply)
                        err["Item"] = item
                        reply = json.dumps(err).encode()
                        with self.lock:
                            self.items_added += 1
        h.send_response(status)
        h.send_header("Content-Type", "application/x-amz-json-1.0")
        h.send_header("Content-Length", str(len(reply)))
        h.end_headers()
        h.wfile.write(reply)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def start_dynalite(npm_dir):
    """dynalite in memory on a free loopback port: (process, port). Raises
    when it is not installed or does not answer."""
    cli = os.path.join(npm_dir, "node_modules", "dynalite", "cli.js")
    if not os.path.exists(cli):
        raise RuntimeError("dynalite is not installed at %s (tests/npm_setup.sh installs it)" % cli)
    for _ in range(5):
        port = free_port()
        p = subprocess.Popen(["node", cli, "--host", "127.0.0.1", "--port", str(port), "--createTableMs", "0",
                              "--deleteTableMs", "0", "--updateTableMs", "0"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        for _ in range(100):
            if p.poll() is not None:
                break
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                return p, port
            except OSError:
                time.sleep(0.05)
        p.kill()
        p.wait()
    raise RuntimeError("dynalite did not start: %s" % p.stderr.read().decode(errors="replace")[-500:])


def create_table(port, name, access_key, secret):
    import boto3
    c = boto3.client("dynamodb", endpoint_url="http://127.0.0.1:%d" % port, region_name="us-east-1",
                     aws_access_key_id=access_key, aws_secret_access_key=secret)
    c.create_table(TableName=name, KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                   AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                   BillingMode="PAY_PER_REQUEST")
    return c
