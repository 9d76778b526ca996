"""http_strict_test.py: serve's door refuses what RFC 9112 tells a server to
refuse, or what lets a proxy and serve disagree on where a request ends
(request smuggling). Each malformed request goes out on a raw socket with a
second request right behind it (a ListFunctions, which would answer 200);
serve must answer 400, close the connection, and never answer the second.
A well-formed request is answered afterwards, and well-formed keep-alive,
chunked and HTTP/1.0 requests still work.

Run by CTest (serve/http_strict); SERVE_TEST_BIN is servetest's binary."""
import json
import os
import re
import socket
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from servelib import Server, check, invoke_raw, workdir  # noqa: E402

TESTBIN = os.environ["SERVE_TEST_BIN"]
PATH = b"/2015-03-31/functions/servetest/invocations"
BODY = b'{"function":"noop"}'
# The request smuggled behind each bad one: answered, it would be a 200
# with the function list.
SMUGGLED = b"GET /2015-03-31/functions HTTP/1.1\r\nHost: x\r\n\r\n"


def exchange(port, data, timeout=5):
    """Sends data without closing our side; returns (bytes read, closed by
    the server within timeout)."""
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    out, closed = b"", False
    try:
        s.sendall(data)
        end = time.time() + timeout
        while time.time() < end:
            try:
                chunk = s.recv(65536)
            except ConnectionResetError:
                closed = True
                break
            except socket.timeout:
                break
            if not chunk:
                closed = True
                break
            out += chunk
    finally:
        s.close()
    return out, closed


def post(headers, body=BODY, version=b"HTTP/1.1"):
    return b"POST " + PATH + b" " + version + b"\r\n" + headers + b"\r\n" + body


def status_lines(resp):
    """How many status lines resp holds (at its start or after a CRLF)."""
    return len(re.findall(rb"(?:^|\r\n)HTTP/1\.[01] [0-9]{3} ", resp))


def noop_ok(srv):
    status, _, body = invoke_raw(srv.port, "servetest", BODY)
    return status == 200 and json.loads(body) == {"ok": True}


srv = Server(TESTBIN, workdir("http_strict"), ["--quiet"]).start()
n = len(BODY)
# Refused by serve's own checks (request.c): 400 in Lambda's error shape.
ours = {
    "whitespace before colon": post(b"Host: x\r\nContent-Length : %d\r\n" % len(SMUGGLED), SMUGGLED),
    "tab before colon": post(b"Host: x\r\nContent-Length\t: %d\r\n" % len(SMUGGLED), SMUGGLED),
    "Content-Length and Transfer-Encoding": post(
        b"Host: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n", b"0\r\n\r\n" + SMUGGLED),
    "Transfer-Encoding and Content-Length": post(
        b"Host: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 60\r\n", b"0\r\n\r\n" + SMUGGLED),
    "Transfer-Encoding not chunked": post(b"Host: x\r\nTransfer-Encoding: xchunked\r\n", b"0\r\n\r\n" + SMUGGLED),
    "Transfer-Encoding gzip, chunked": post(b"Host: x\r\nTransfer-Encoding: gzip, chunked\r\n",
                                            b"0\r\n\r\n" + SMUGGLED),
    "two Transfer-Encodings": post(b"Host: x\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n",
                                   b"0\r\n\r\n" + SMUGGLED),
    "two Content-Lengths, differing": post(b"Host: x\r\nContent-Length: %d\r\nContent-Length: 0\r\n" % n,
                                           BODY + SMUGGLED),
    "two Content-Lengths, equal": post(b"Host: x\r\nContent-Length: %d\r\nContent-Length: %d\r\n" % (n, n),
                                       BODY + SMUGGLED),
    "folded header": post(b"Host: x\r\nX-Foo: a\r\n b\r\nContent-Length: %d\r\n" % n, BODY + SMUGGLED),
    "folded Content-Length": post(b"Host: x\r\nX-Foo: a\r\n Content-Length: 99\r\nContent-Length: %d\r\n" % n,
                                  BODY + SMUGGLED),
    "folded with a tab": post(b"Host: x\r\nX-Foo: a\r\n\tb c\r\nContent-Length: %d\r\n" % n, BODY + SMUGGLED),
    "HTTP/1.1 without Host": post(b"Content-Length: %d\r\n" % n, BODY + SMUGGLED),
    "two Hosts": post(b"Host: x\r\nHost: y\r\nContent-Length: %d\r\n" % n, BODY + SMUGGLED),
    "bad name character": post(b"Host: x\r\nX(Foo): 1\r\nContent-Length: %d\r\n" % n, BODY + SMUGGLED),
    "chunked HTTP/1.0": post(b"Host: x\r\nTransfer-Encoding: chunked\r\n", b"0\r\n\r\n" + SMUGGLED,
                             b"HTTP/1.0"),
}
for name, data in ours.items():
    resp, closed = exchange(srv.port, data)
    check(resp.startswith(b"HTTP/1.1 400 "), "%s: %r" % (name, resp[:200]))
    check(b"x-amzn-ErrorType: InvalidRequestContentException" in resp and b'"Type":"User"' in resp,
          "%s: Lambda's error shape: %r" % (name, resp[:400]))
    check(status_lines(resp) == 1 and b"Functions" not in resp,
          "%s: the request behind it was answered: %r" % (name, resp))
    check(closed, "%s: the connection stays open after the 400" % name)
    msg = json.loads(resp.split(b"\r\n\r\n", 1)[1])["message"]
    print("%-38s -> 400, closed: %s" % (name, msg))
    check(srv.alive() and noop_ok(srv), "serving after %s" % name)

# Refused by libmicrohttpd before serve sees the request: a Content-Length
# that is not a decimal number. MHD 0.9.75 answers its own HTML 400 and
# closes, writing its status line and headers twice (runtime/README.md,
# "Strict HTTP"); the request behind is never read.
theirs = {
    "Content-Length not a number": post(b"Host: x\r\nContent-Length: abc\r\n", SMUGGLED),
    "Content-Length a list": post(b"Host: x\r\nContent-Length: %d, %d\r\n" % (n, n), BODY + SMUGGLED),
    "Content-Length with a sign": post(b"Host: x\r\nContent-Length: +%d\r\n" % n, BODY + SMUGGLED),
    "Content-Length of two numbers": post(b"Host: x\r\nContent-Length: %d %d\r\n" % (n, n), BODY + SMUGGLED),
}
for name, data in theirs.items():
    resp, closed = exchange(srv.port, data)
    check(resp.startswith(b"HTTP/1.1 400 ") and b"Functions" not in resp and closed,
          "%s: %r (closed: %s)" % (name, resp[:300], closed))
    print("%-38s -> 400 by MHD, closed (%d status lines)" % (name, status_lines(resp)))
    check(srv.alive() and noop_ok(srv), "serving after %s" % name)

# A chunked body is capped like a Content-Length one: past 64 MiB the
# connection is closed without reading on (one rule, request.c).
chunk = b"x" * (1 << 20)
s = socket.create_connection(("127.0.0.1", srv.port), timeout=30)
s.sendall(post(b"Host: x\r\nTransfer-Encoding: chunked\r\n", b""))
cut = False
try:
    for i in range(80):
        s.sendall(b"%x\r\n" % len(chunk) + chunk + b"\r\n")
except (BrokenPipeError, ConnectionResetError):
    cut = True
if not cut:
    try:
        s.settimeout(10)
        rest = s.recv(65536)
        cut = rest == b"" or not rest.startswith(b"HTTP/1.1 200")
    except (ConnectionResetError, socket.timeout):
        cut = True
s.close()
check(cut, "an 80 MiB chunked body was read to its end")
print("%-38s -> closed past 64 MiB (%d MiB sent)" % ("80 MiB chunked body", i + 1))
check(srv.alive() and noop_ok(srv), "serving after the chunked flood")

# A chunked body over Lambda's 6 MB, under the discard limit: read, then 413.
big = b"x" * (7 << 20)
resp, closed = exchange(srv.port, post(b"Host: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n",
                                       b"%x\r\n" % len(big) + big + b"\r\n0\r\n\r\n"), timeout=30)
check(resp.startswith(b"HTTP/1.1 413 ") and b"RequestTooLargeException" in resp, "7 MB chunked: %r" % resp[:200])
print("%-38s -> 413" % "7 MB chunked body")

# What still works: pipelined keep-alive requests, a chunked body, HTTP/1.0
# without Host, bare LF line ends (RFC 9112 section 2.2 lets a server take them).
two = post(b"Host: x\r\nContent-Length: %d\r\n" % n) + post(b"Host: x\r\nContent-Length: %d\r\nConnection: close\r\n" % n)
resp, _ = exchange(srv.port, two)
check(resp.count(b"HTTP/1.1 200 OK") == 2, "two pipelined requests: %r" % resp[:300])
for name, data in (
        ("chunked", post(b"Host: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n",
                         b"%x\r\n" % n + BODY + b"\r\n0\r\n\r\n")),
        ("HTTP/1.0 without Host", post(b"Content-Length: %d\r\n" % n, BODY, b"HTTP/1.0")),
        ("bare LF", b"POST " + PATH + b" HTTP/1.1\nHost: x\nConnection: close\nContent-Length: %d\n\n" % n + BODY)):
    resp, _ = exchange(srv.port, data)
    check(resp.startswith(b"HTTP/1.1 200 OK") and resp.endswith(b'{"ok":true}'), "%s: %r" % (name, resp[:300]))
    print("%-38s -> 200" % name)
# Lambda's name rules at the door (the client's parser, client/function_name.c).
for fn in ("servetest%3A", "arn%3Aevil%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Aservetest",
           "arn%3A%3Alambda%3A%3A%3Afunction%3Aservetest",
           "arn%3Aaws%3Alambda%3Aus-east-1%3A1234567890%0D%0A%3Afunction%3Aservetest",
           "arn%3Aaws%3Alambda%3Ax%3A123456789012%3Afunction%3Aservetest"):
    status, hd, _ = invoke_raw(srv.port, fn, BODY)
    check(status == 400 and hd.get("x-amzn-errortype") == "ValidationException", "%s: %s %r" % (fn, status, hd))
for n_alias in (65, 128):
    alias = ("a-_9" * 40)[:n_alias]
    status, _, body = invoke_raw(srv.port, "servetest%3A" + alias, BODY)
    check(status == 200 and json.loads(body) == {"ok": True}, "a %d-character alias: %s %r" % (n_alias, status, body))
print("%-38s -> 400 ValidationException; 65- and 128-character aliases -> 200" % "names: servetest:, arn:evil, ...")
check(noop_ok(srv), "a well-formed request at the end")
check(srv.stop() == 0, "exit 0")
print("http_strict: all checks passed")
