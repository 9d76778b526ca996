#!/usr/bin/env python3
"""invoke_double.py: a loopback test double of the Lambda Invoke API.

Listens on 127.0.0.1 (an ephemeral port, printed as "PORT n" on stdout) and
answers POST /2015-03-31/functions/NAME/invocations the way Lambda does,
with a behaviour chosen by the function's name (the name part of any form):

  ok, anything else  Event: 202, empty. RequestResponse: 200, the event
                     without its "function" key (or null when nothing is
                     left); function "fail" answers a function error
                     (200, X-Amz-Function-Error: Unhandled, its errorType
                     and message)
  dryrun             204
  missing            404 ResourceNotFoundException (x-amzn-ErrorType)
  denied             403 AccessDeniedException (x-amzn-ErrorType)
  badsig             403, the type only in the body's __type
  invalid            400 InvalidRequestContentException
  toolarge           413 RequestTooLargeException
  broken             500 ServiceException, every time
  flaky*             503 the first two times for that name, then as ok
  throttle           429 TooManyRequestsException with Retry-After: 1, always
  throttle1*         429 with Retry-After: 1 the first time, then as ok
  reset              reads the request, then resets the connection
  cut                reads half the body, then resets the connection
  err-STATUS-Type    STATUS with x-amzn-ErrorType: Type (any of Lambda's errors)
  slow               answers as ok after 2 s
  pause*             answers as ok after 50 ms (to see how many are in flight)
  hostile-huge       200 with a 20 MB body (more than any reply Lambda sends)
  hostile-hugeerr    500 with a 20 MB body
  hostile-header     200 with a 200 KB header line
  hostile-longtype   400 with a 4 KB x-amzn-ErrorType
  hostile-noctype    200, a JSON result and no Content-Type
  hostile-fnjunk     a function error whose body is not JSON
  hostile-fnempty    a function error with an empty body
  hostile-fnnumtype  a function error whose errorType is a number

It checks every request (method, path encoding as botocore writes it,
query, Host, Content-Type, Content-Length, X-Amz-Invocation-Type,
X-Amz-Date, X-Amz-Security-Token, User-Agent, X-Amzn-Trace-Id (never
signed, as botocore never signs it), no other headers, a JSON
object body with a string "function", and the Authorization signature
recomputed with botocore's SigV4Auth) and records what it got. Control:

  GET /_record?name=N   {"count", "times" (ms), "paths", "bodies", "types", "regions",
                         "traces" (X-Amzn-Trace-Id, null when absent),
                         "connections" (distinct client sockets), "max_in_flight"}
  GET /_problems        every check that failed, as a JSON list of strings

Configuration from the environment: DOUBLE_ACCESS_KEY, DOUBLE_SECRET,
DOUBLE_TOKEN (empty: none expected), DOUBLE_REGION, DOUBLE_REQUIRE_SIG
(1: every request must be signed; 0: unsigned ones pass, signed ones are
still checked).
"""
import json
import os
import re
import socket
import struct
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

ACCESS_KEY = os.environ.get("DOUBLE_ACCESS_KEY", "")
SECRET = os.environ.get("DOUBLE_SECRET", "")
TOKEN = os.environ.get("DOUBLE_TOKEN", "")
REGION = os.environ.get("DOUBLE_REGION", "us-east-1")
REQUIRE_SIG = os.environ.get("DOUBLE_REQUIRE_SIG", "1") == "1"

PATH_RE = re.compile(r"^/2015-03-31/functions/([^/?]+)/invocations$")
NAME_RE = re.compile(
    r"^(?:arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:|\d{12}:function:)?"
    r"([A-Za-z0-9_-]{1,64})(?::(\$LATEST|[A-Za-z0-9_-]{1,128}))?$")
AUTH_RE = re.compile(
    r"^AWS4-HMAC-SHA256 Credential=([^/,]+)/(\d{8})/([a-z0-9-]+)/lambda/aws4_request, "
    r"SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$")
ALLOWED = {"host", "content-type", "content-length", "x-amz-date", "x-amz-invocation-type",
           "x-amz-security-token", "authorization", "user-agent", "x-amzn-trace-id"}

lock = threading.Lock()
records = {}   # name -> list of dicts
problems = []
seen = {}      # name -> requests so far
active = {}    # name -> requests being answered now
peak = {}      # name -> the most at once


def problem(text):
    with lock:
        problems.append(text)


def check_signature(raw_path, query, headers, body, host):
    auth = headers.get("authorization")
    if auth is None:
        if REQUIRE_SIG:
            problem("%s: no Authorization" % raw_path)
        return None
    m = AUTH_RE.match(auth)
    if not m:
        problem("%s: malformed Authorization %r" % (raw_path, auth))
        return None
    key, date, region, signed, signature = m.groups()
    if key != ACCESS_KEY:
        problem("%s: credential key id %r" % (raw_path, key))
    if date != headers.get("x-amz-date", "")[:8]:
        problem("%s: credential date %s is not X-Amz-Date's" % (raw_path, date))
    names = signed.split(";")
    need = ["content-type", "host", "x-amz-date", "x-amz-invocation-type"]
    if TOKEN:
        need.append("x-amz-security-token")
    for n in need:
        if n not in names:
            problem("%s: %s is not signed" % (raw_path, n))
    if "x-amzn-trace-id" in names:
        problem("%s: X-Amzn-Trace-Id is signed (botocore never signs it)" % raw_path)
    if names != sorted(names):
        problem("%s: SignedHeaders not sorted" % raw_path)
    url = "http://%s%s%s" % (host, raw_path, "?" + query if query else "")
    given = {n: headers.get(n, "") for n in names}
    if "x-amzn-trace-id" in headers:
        # Given to botocore's signer as sent: it leaves the header out of
        # what it signs, so the signature must match with it there.
        given["x-amzn-trace-id"] = headers["x-amzn-trace-id"]
    req = AWSRequest(method="POST", url=url, data=body, headers=given)
    req.context["timestamp"] = headers.get("x-amz-date", "")
    signer = SigV4Auth(Credentials(ACCESS_KEY, SECRET, TOKEN or None), "lambda", region)
    canonical = signer.canonical_request(req)
    expected = signer.signature(signer.string_to_sign(req, canonical), req)
    if expected != signature:
        problem("%s: signature mismatch (botocore's canonical request:\n%s)" % (raw_path, canonical))
    return region


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def finish(self):
        try:
            super().finish()
        except OSError:
            pass  # the connection was reset on purpose

    def reply(self, status, body=b"", headers=()):
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        if body:
            self.send_header("Content-Type", "application/json")
        self.end_headers()
        if body:
            self.wfile.write(body)

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        if url.path == "/_record":
            name = urllib.parse.parse_qs(url.query).get("name", [""])[0]
            with lock:
                rs = list(records.get(name, []))
            out = {"count": len(rs), "times": [r["time"] for r in rs], "paths": [r["path"] for r in rs],
                   "bodies": [r["body"] for r in rs], "types": [r["type"] for r in rs],
                   "regions": [r["region"] for r in rs], "traces": [r.get("trace") for r in rs],
                   "connections": len({r["peer"] for r in rs}), "max_in_flight": peak.get(name, 0)}
            self.reply(200, json.dumps(out).encode())
        elif url.path == "/_problems":
            with lock:
                self.reply(200, json.dumps(problems).encode())
        else:
            problem("GET %s" % self.path)
            self.reply(404, b"{}")

    def do_PUT(self):
        problem("PUT %s" % self.path)
        self.reply(405, b"{}")

    def do_POST(self):
        now = time.time()
        raw = self.path
        raw_path, _, query = raw.partition("?")
        headers = {k.lower(): v for k, v in self.headers.items()}
        if len(headers) != len(self.headers.items()):
            problem("%s: a header given twice" % raw)
        if "transfer-encoding" in headers:
            problem("%s: chunked body" % raw)
        length = int(headers.get("content-length", "-1"))
        if "/functions/cut/" in raw:
            self.rfile.read(length // 2)
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True
            with lock:
                records.setdefault("cut", []).append({
                    "time": now * 1000.0, "path": raw, "body": "", "type": None, "region": None,
                    "peer": self.client_address[1]})
            return
        body = self.rfile.read(length) if length > 0 else b""
        if length < 0:
            problem("%s: no Content-Length" % raw)

        m = PATH_RE.match(raw_path)
        if not m:
            problem("bad path %r" % raw)
            self.reply(400, b'{"Type":"User","message":"bad path"}',
                       [("x-amzn-ErrorType", "InvalidRequestContentException")])
            return
        segment = m.group(1)
        function = urllib.parse.unquote(segment)
        if urllib.parse.quote(function, safe="-_.~") != segment:
            problem("%s: the name is not encoded as botocore encodes it" % raw)
        nm = NAME_RE.match(function)
        name = nm.group(1) if nm else function
        if not nm:
            problem("%s: not a Lambda function name form" % raw)
        if query and not re.match(r"^Qualifier=[A-Za-z0-9_%-]+$", query):
            problem("%s: unexpected query" % raw)
        for k in headers:
            if k not in ALLOWED:
                problem("%s: unexpected header %s" % (raw, k))
        host = "127.0.0.1:%d" % self.server.server_port
        if headers.get("host") != host:
            problem("%s: Host %r" % (raw, headers.get("host")))
        if headers.get("content-type") != "application/json":
            problem("%s: Content-Type %r" % (raw, headers.get("content-type")))
        itype = headers.get("x-amz-invocation-type")
        if itype not in ("Event", "RequestResponse"):
            problem("%s: X-Amz-Invocation-Type %r" % (raw, itype))
        date = headers.get("x-amz-date", "")
        if not re.match(r"^\d{8}T\d{6}Z$", date):
            problem("%s: X-Amz-Date %r" % (raw, date))
        else:
            t = time.mktime(time.strptime(date, "%Y%m%dT%H%M%SZ")) - time.timezone
            if abs(t - now) > 300:
                problem("%s: X-Amz-Date %s is off by %ds" % (raw, date, t - now))
        if TOKEN and headers.get("x-amz-security-token") != TOKEN:
            problem("%s: X-Amz-Security-Token is not the session token" % raw)
        if not TOKEN and "x-amz-security-token" in headers:
            problem("%s: X-Amz-Security-Token without a session token" % raw)
        if not headers.get("user-agent", "").startswith("ctl/"):
            problem("%s: User-Agent %r" % (raw, headers.get("user-agent")))
        event = None
        try:
            event = json.loads(body.decode("utf-8"))
            if not isinstance(event, dict) or not isinstance(event.get("function"), str):
                problem("%s: the body is not an event object" % raw)
                event = None
        except (UnicodeDecodeError, ValueError):
            problem("%s: the body is not UTF-8 JSON" % raw)
        region = check_signature(raw_path, query, headers, body, host)

        with lock:
            records.setdefault(name, []).append({
                "time": now * 1000.0, "path": raw, "body": body.decode("utf-8", "replace"),
                "type": itype, "region": region, "peer": self.client_address[1],
                "trace": headers.get("x-amzn-trace-id")})
            n = seen[name] = seen.get(name, 0) + 1
            active[name] = active.get(name, 0) + 1
            peak[name] = max(peak.get(name, 0), active[name])
        try:
            self.behave(name, n, itype, event)
        finally:
            with lock:
                active[name] -= 1

    def behave(self, name, n, itype, event):
        def error(status, etype, message, extra=()):
            body = json.dumps({"Type": "User", "message": message}).encode()
            self.reply(status, body, [("x-amzn-ErrorType", etype)] + list(extra))

        m = re.match(r"^err-(\d{3})-([A-Za-z0-9]+)$", name)
        if m:
            return error(int(m.group(1)), m.group(2), "scripted %s" % m.group(2))
        if name == "missing":
            return error(404, "ResourceNotFoundException",
                         "Function not found: arn:aws:lambda:us-east-1:123456789012:function:missing")
        if name == "denied":
            return error(403, "AccessDeniedException", "User is not authorized to perform lambda:InvokeFunction")
        if name == "badsig":
            body = json.dumps({"__type": "com.amazon.coral.service#InvalidSignatureException",
                               "message": "The request signature we calculated does not match"}).encode()
            return self.reply(403, body)
        if name == "invalid":
            return error(400, "InvalidRequestContentException", "Could not parse request body into json")
        if name == "toolarge":
            return error(413, "RequestTooLargeException", "Request must be smaller than 6291456 bytes")
        if name == "broken":
            return error(500, "ServiceException", "An internal error occurred")
        if name.startswith("flaky") and n <= 2:
            return error(503, "ServiceException", "Service unavailable, try again")
        if name == "throttle" or (name.startswith("throttle1") and n == 1):
            return error(429, "TooManyRequestsException", "Rate Exceeded.", [("Retry-After", "1")])
        if name == "reset":
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True
            return None
        if name.startswith("hostile-"):
            return self.hostile(name[len("hostile-"):])
        if name == "slow":
            time.sleep(2)
        if name.startswith("pause"):
            time.sleep(0.05)
        if name == "dryrun":
            return self.reply(204)
        if itype == "Event":
            return self.reply(202)
        if event is None:
            return error(400, "InvalidRequestContentException", "Could not parse request body into json")
        if event["function"] == "fail":
            body = json.dumps({"errorType": event.get("error_type", "ctl.HandlerError"),
                               "errorMessage": event.get("message", ""), "stackTrace": []}).encode()
            return self.reply(200, body, [("X-Amz-Function-Error", "Unhandled")])
        rest = {k: v for k, v in event.items() if k != "function"}
        return self.reply(200, json.dumps(rest).encode() if rest else b"null")

    def hostile(self, what):
        """Answers no client should trust or choke on."""
        def raw(status, headers, body):
            self.send_response(status)
            for k, v in headers:
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            try:
                self.wfile.write(body)
            except OSError:
                self.close_connection = True  # the client hung up, as it should
        fn_error = [("X-Amz-Function-Error", "Unhandled")]
        if what == "huge":
            return raw(200, [("Content-Type", "application/json")], b"[" + b"1," * (10 << 20) + b"1]")
        if what == "hugeerr":
            return raw(500, [("x-amzn-ErrorType", "ServiceException")], b"x" * (20 << 20))
        if what == "header":
            return raw(200, [("X-Padding", "p" * (200 << 10))], b"null")
        if what == "longtype":
            return raw(400, [("x-amzn-ErrorType", "T" * 4096)], b"{\"message\":\"long type\"}")
        if what == "noctype":
            return raw(200, [], b"{\"ok\":true}")
        if what == "fnjunk":
            return raw(200, fn_error, b"Segmentation fault {not json")
        if what == "fnempty":
            return raw(200, fn_error, b"")
        if what == "fnnumtype":
            return raw(200, fn_error, b"{\"errorType\":42,\"errorMessage\":\"typed badly\"}")
        return raw(500, [], b"unknown hostile mode")


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256


def main():
    server = Server(("127.0.0.1", 0), Handler)
    print("PORT %d" % server.server_port, flush=True)
    # Ends with its parent: stdin closes when the test exits, however it exits.
    threading.Thread(target=server.serve_forever, daemon=True).start()
    sys.stdin.read()
    server.shutdown()


if __name__ == "__main__":
    main()
