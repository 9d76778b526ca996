"""rtapi_double.py: a loopback server speaking the Lambda Runtime API, for tests.

It hands out scripted events from GET /2018-06-01/runtime/invocation/next
with every Lambda header, records every request it receives (method, path,
headers, body bytes, time) in order, and answers posts the way Lambda does
(202), or as a scenario asks: 413 for responses and errors over
`response_limit`, a
status of choice for a given request's posts (and a delay before it), 500 or a closed connection on
/next, or every answer followed by closing its connection (`close_after_answer`: a kept-alive
connection that the client finds closed when it sends its next request). POST /2015-03-31/functions/NAME/invocations stands in for the Lambda
Invoke API (202 after `invoke_delay` seconds; the request's `done` is taken
just before the 202 goes out). POST /test/ping is not part of the Runtime API: test handlers call it
so that the order of their side effects shows in the log (POST /test/ping?QUERY too).

For concurrent pollers (AWS_LAMBDA_MAX_CONCURRENCY): `batch` answers /next
in batches of K (each waits until the K of its batch have come, then all
are answered: their events together, so that K invocations run at once,
or 500 together once the script is done); each /next answered with an
event records its request id (`event_id`) and the wall-clock time of the
answer (`handed`). POST /test/started records a handler that started;
GET /test/wait_started?n=K answers once K have (504 after GATE_TIMEOUT s).
`invoke_gate` maps an Invoke body (bytes) to a predicate over the log: that
Invoke's 202 waits until the predicate holds (`gate` says "opened", or
"timed out" after GATE_TIMEOUT s).

Once the script is exhausted, /next answers 500 ("container error"), which
the runtime must treat as non-recoverable and exit: every scenario ends so.
"""

import http.server
import json
import socket
import socketserver
import sys
import threading
import time

API = "/2018-06-01/runtime"
# How long a held request waits at most: no test waits for it unless it
# failed (a poller that never came, a flush that waited for another's send).
GATE_TIMEOUT = 20.0


class Event:
    """One scripted invocation. headers: extra or replacing headers of /next;
    a header mapped to None is left out."""

    def __init__(self, request_id, body, headers=None):
        self.request_id = request_id
        self.body = body if isinstance(body, bytes) else json.dumps(body, separators=(",", ":")).encode()
        self.headers = {
            "Lambda-Runtime-Aws-Request-Id": request_id,
            "Lambda-Runtime-Deadline-Ms": str(int(time.time() * 1000) + 900000),
            "Lambda-Runtime-Invoked-Function-Arn": "arn:aws:lambda:eu-west-1:123456789012:function:rt_main",
            "Lambda-Runtime-Trace-Id": "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1",
        }
        for k, v in (headers or {}).items():
            if v is None:
                self.headers.pop(k, None)
            else:
                self.headers[k] = v


class Request:
    def __init__(self, method, path, headers, body, port=None):
        self.method, self.path, self.headers, self.body = method, path, headers, body
        self.port = port  # the client's port: one per connection
        self.time = time.monotonic()
        self.wall = time.time()  # for deadlines, which are wall-clock
        self.done = None
        self.event_id = None  # /next: the request id it handed out
        self.handed = None  # /next: wall-clock time of that answer
        self.gate = None

    def header(self, name):
        """The value of a header (case-insensitive), None if absent; fails on repeats."""
        found = [v for k, v in self.headers if k.lower() == name.lower()]
        assert len(found) <= 1, f"{self.path}: header {name} sent {len(found)} times"
        return found[0] if found else None

    def __repr__(self):
        return f"{self.method} {self.path}"


class Double:
    def __init__(self, events, response_limit=6 * 1024 * 1024, post_status=None, next_status=None,
                 close_next_from=None, invoke_delay=0.0, post_delay=None, close_after_answer=False,
                 batch=0, invoke_gate=None, on_next=None):
        self.events = list(events)
        self.on_next = on_next                      # called when a GET /next arrives, before its answer
        self.response_limit = response_limit
        self.post_status = post_status or {}        # path suffix -> status
        self.next_status = next_status              # status of every /next, if set
        self.close_next_from = close_next_from      # close /next without answering from this one on
        self.close_after_answer = close_after_answer  # close each connection after its answer (no Connection: close)
        self.invoke_delay = invoke_delay
        self.post_delay = post_delay or {}          # path suffix -> seconds before the answer
        self.batch = batch                          # /next answered K at a time
        self.invoke_gate = invoke_gate or {}        # Invoke body -> predicate(log) its 202 waits for
        self.log = []
        self.lock = threading.Lock()
        self.changed = threading.Condition(self.lock)  # the log grew, or a /next came
        self.nexts = 0
        double = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def setup(self):
                super().setup()
                # headers and body go in two writes: without this, Nagle's
                # algorithm and the client's delayed ACK cost 40 ms an answer
                self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

            def read_body(self):
                n = int(self.headers.get("Content-Length") or 0)
                return self.rfile.read(n) if n else b""

            def record(self, body):
                r = Request(self.command, self.path, list(self.headers.items()), body, self.client_address[1])
                with double.changed:
                    double.log.append(r)
                    double.changed.notify_all()
                return r

            def wait_for(self, predicate):
                """True once predicate() (called under the lock) holds, False
                after GATE_TIMEOUT seconds."""
                with double.changed:
                    return double.changed.wait_for(predicate, GATE_TIMEOUT)

            def reply(self, status, body=b"", headers=None):
                self.send_response(status)
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                if double.close_after_answer:
                    self.close_connection = True

            def do_GET(self):
                r = self.record(b"")
                if self.path.startswith("/test/wait_started?n="):
                    n = int(self.path.split("=", 1)[1])
                    ok = self.wait_for(lambda: sum(x.path == "/test/started" for x in double.log) >= n)
                    return self.reply(200 if ok else 504, b"")
                if self.path != API + "/invocation/next":
                    return self.reply(404, b'{"errorType":"NotFound"}')
                if double.on_next:
                    double.on_next()  # the runtime waits for the answer: its state is as at the GET
                with double.changed:
                    k = double.nexts
                    double.nexts += 1
                    if double.batch:
                        last = (k // double.batch + 1) * double.batch
                        double.changed.notify_all()
                        double.changed.wait_for(lambda: double.nexts >= last, GATE_TIMEOUT)
                    ev = double.events.pop(0) if double.events else None
                    if ev is not None:
                        r.event_id = ev.request_id
                        r.handed = time.time()
                if double.close_next_from is not None and k >= double.close_next_from:
                    self.close_connection = True
                    return
                if double.next_status:
                    return self.reply(double.next_status, b'{"errorMessage":"scripted","errorType":"Scripted"}')
                if ev is None:
                    return self.reply(500, b'{"errorMessage":"no more events","errorType":"ContainerError"}')
                self.reply(200, ev.body, dict(ev.headers, **{"Content-Type": "application/json"}))

            def do_POST(self):
                body = self.read_body()
                r = self.record(body)
                if self.path in ("/test/ping", "/test/started") or self.path.startswith("/test/ping?"):
                    return self.reply(200, b"")
                if self.path.startswith("/2015-03-31/functions/") and self.path.endswith("/invocations"):
                    time.sleep(double.invoke_delay)
                    gate = double.invoke_gate.get(body)
                    if gate is not None:
                        r.gate = "opened" if self.wait_for(lambda: gate(double.log)) else "timed out"
                    # Taken before the 202 is written: taken after, it could
                    # come later than a /next the client sent on reading the
                    # 202 (another thread records that one), a false failure.
                    r.done = time.monotonic()
                    return self.reply(202, b"", {"x-amzn-RequestId": "inv-1"})
                for suffix, delay in double.post_delay.items():
                    if self.path.endswith(suffix):
                        time.sleep(delay)
                for suffix, status in double.post_status.items():
                    if self.path.endswith(suffix):
                        return self.reply(status, b'{"errorMessage":"scripted","errorType":"Scripted"}')
                if self.path.endswith(("/response", "/error")) and len(body) > double.response_limit:
                    return self.reply(413, b'{"errorMessage":"Exceeded maximum allowed payload size",'
                                           b'"errorType":"RequestEntityTooLarge"}')
                if r.path.startswith(API):
                    return self.reply(202, b'{"status":"OK"}')
                self.reply(404, b"")

        class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
            daemon_threads = True
            allow_reuse_address = True

            def handle_error(self, request, client_address):
                # A runtime that exited while its answer was being written
                # (a crash, a poller left waiting in /next): not the double's error.
                if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
                    super().handle_error(request, client_address)

        self.server = Server(("127.0.0.1", 0), Handler)
        self.address = "127.0.0.1:%d" % self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def requests(self):
        with self.lock:
            return list(self.log)
