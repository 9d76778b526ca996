"""faults_test.py CASE: serve under faults. Cases (one CTest test each):
  kill     SIGKILL during a burst of async events, restart: every event that
           got a 202 ran (or is a dead letter); only those running at the kill
           may run twice
  kills    SIGKILL at a random point of a burst, 5 rounds on one journal
           (FAULTS_KILLS=50 for the issue's run, by hand; FAULTS_SEED to
           repeat one): every 202'd event ran or is a dead letter
  crash    a handler that takes the process down: three attempts across
           restarts, then the dead-letter file (no endless loop)
  hang     handlers that never return: sync callers get Lambda's timeout
           error, events are retried then dead-lettered, the server keeps
           serving; a failing event is retried twice and dead-lettered; a
           quick function that hangs on an HTTP thread does not hold up
           that thread's other connections
  clients  1,000 concurrent clients
  http     malformed HTTP: garbage, truncated and huge headers, bad
           Content-Length, slowloris, unknown paths; the server keeps serving
  drain    SIGTERM with events queued: all run, exit 0, empty journal
  flood    past --max-queue-mb of events in memory, or --concurrency calls
           running, 429 with Retry-After
  journal  compaction, a torn record at the end, one server per journal,
           --fsync
  settings a controller's @retries (0, 1, 2 attempts counted in the
           handler) and @max_event_age (an event older is not run, after a
           restart too: the journal keeps the first acceptance time)
  destinations  @on_failure / @on_success: Lambda's invocation record to a
           controller's @records function (RetriesExhausted with the 202's
           requestId, EventAgeExceeded of a replayed event, Success) and to
           an SQS file target byte for byte; no dead letters meanwhile"""
import asyncio
import collections
import json
import os
import re
import resource
import socket
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from servelib import check, fail, invoke_raw, lines, Server, wait_for, workdir  # noqa: E402

LEEDZ = os.environ["LEEDZ_HELPERS"]
TESTBIN = os.environ["SERVE_TEST_BIN"]


def raise_nofile():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return hard



def noop_ok(srv):
    status, _, body = invoke_raw(srv.port, "servetest", b'{"function":"noop"}')
    return status == 200 and json.loads(body) == {"ok": True}


def activity(name):
    return json.dumps({"function": "logActivity", "username": name, "action": "posted", "ts": 1}).encode()


# ---- kill ------------------------------------------------------------------------
def case_kill():
    import http.client
    wd = workdir("kill")
    out = os.path.join(wd, "leedz-out")
    env = {"LEEDZ_OUT": out, "LEEDZ_LATENCY_MS": "5"}
    workers = 4
    srv = Server(LEEDZ, wd, ["--quiet", "--workers", str(workers), "--retry-delays", "10,10"], env=env).start()
    total, kill_after, nthreads = 600, 300, 12
    accepted, lock = [], threading.Lock()
    counter = iter(range(total))

    def sender():
        c = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=10)
        while True:
            with lock:
                i = next(counter, None)
            if i is None:
                return
            name = "k%04d" % i
            try:
                c.request("POST", "/2015-03-31/functions/async_db_helper/invocations", body=activity(name),
                          headers={"X-Amz-Invocation-Type": "Event"})
                r = c.getresponse()
                r.read()
            except (OSError, http.client.HTTPException):
                return  # the server is gone
            if r.status == 202:
                with lock:
                    accepted.append(name)
                    if len(accepted) == kill_after:
                        srv.kill()

    threads = [threading.Thread(target=sender) for _ in range(nthreads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    check(not srv.alive(), "the server was killed")
    check(len(accepted) >= kill_after, "accepted %d before the kill" % len(accepted))
    db = os.path.join(out, "db.jsonl")
    before = len(lines(db))
    journal = open(os.path.join(srv.journal, "journal"), "rb").read()
    check(journal.count(b"\nA ") + journal.startswith(b"A ") >= len(accepted) - before,
          "the journal holds the accepted events")
    print("accepted %d events (202) before SIGKILL; %d had run" % (len(accepted), before))

    srv2 = Server(LEEDZ, wd, ["--quiet", "--workers", str(workers), "--retry-delays", "10,10"], env=env).start()
    want = set(accepted)

    def done():
        users = [json.loads(x)["user"] for x in lines(db)]
        dead = [d["event"]["username"] for d in srv2.dead_letters()]
        return (users, dead) if want <= set(users) | set(dead) else None

    users, dead = wait_for(done, 120, "every accepted event to run after the restart")
    check(srv2.stop() == 0, "restarted server: exit 0 on SIGTERM")
    users, dead = done()
    counts = collections.Counter(users)
    twice = [u for u, n in counts.items() if n > 1]
    unknown = set(users) - {"k%04d" % i for i in range(total)}
    check(not unknown, "records of events never sent: %r" % sorted(unknown)[:5])
    check(not dead, "no event should fail: %r" % dead[:3])
    check(all(n <= 2 for n in counts.values()), "an event ran more than twice")
    # Only an event whose handler was running at the kill may run again:
    # at most one per worker.
    check(len(twice) <= workers, "%d events ran twice (workers: %d): %r" % (len(twice), workers, twice))
    extra = set(users) - want
    print("after restart: %d of %d accepted events ran, %d dead letters, %d ran twice, "
          "%d ran without a 202 (journaled, then killed before the answer)" %
          (len(want & set(users)), len(want), len(dead), len(twice), len(extra)))
    check(want <= set(users), "every accepted event ran")


# ---- kills -----------------------------------------------------------------------
def case_kills(rounds):
    """SIGKILL at a random point of a burst, `rounds` times on one journal
    (each restart replays the last one's events while the next burst comes),
    then a last restart drains: every event that got a 202 in any round ran
    or is a dead letter, and what each replay reported is counted."""
    import http.client
    import random
    seed = int(os.environ.get("FAULTS_SEED") or time.time())
    rng = random.Random(seed)
    wd = workdir("kills")
    out = os.path.join(wd, "leedz-out")
    env = {"LEEDZ_OUT": out, "LEEDZ_LATENCY_MS": "2"}
    args = ["--quiet", "--workers", "4", "--retry-delays", "10,10"]
    accepted, lock = [], threading.Lock()
    sent = [0]
    for rnd in range(rounds):
        srv = Server(LEEDZ, wd, args, env=env).start()
        stop = threading.Event()
        counter = iter(range(100000))

        def sender():
            c = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=10)
            while not stop.is_set():
                with lock:
                    name = "r%02d-%05d" % (rnd, next(counter))
                    sent[0] += 1
                try:
                    c.request("POST", "/2015-03-31/functions/async_db_helper/invocations", body=activity(name),
                              headers={"X-Amz-Invocation-Type": "Event"})
                    r = c.getresponse()
                    r.read()
                except (OSError, http.client.HTTPException):
                    return  # killed
                if r.status == 202:
                    with lock:
                        accepted.append(name)

        threads = [threading.Thread(target=sender) for _ in range(6)]
        for t in threads:
            t.start()
        time.sleep(rng.uniform(0.02, 0.5))
        srv.kill()
        stop.set()
        for t in threads:
            t.join()
    srv = Server(LEEDZ, wd, args, env=env).start()
    want = set(accepted)
    db = os.path.join(out, "db.jsonl")

    def done():
        users = [json.loads(x)["user"] for x in lines(db)]
        dead = [d["event"]["username"] for d in srv.dead_letters()]
        return (users, dead) if want <= set(users) | set(dead) else None

    wait_for(done, 300, "every accepted event to run after the last restart")
    check(srv.stop() == 0, "the last server: exit 0 on SIGTERM")
    users, dead = done()
    counts = collections.Counter(users)
    log = open(srv.log).read()
    torn = sum(1 for line in log.splitlines() if "not a whole record" in line)
    check(not dead, "no event should fail: %r" % dead[:3])
    check(want <= set(users) | set(dead), "every accepted event ran or is a dead letter")
    print("kills: %d rounds (seed %d): %d events sent, %d got 202; after the restarts %d of them ran, %d dead "
          "letters, %d ran twice, %d ran without a 202 (journaled, killed before the answer); %d replays reported "
          "a torn or damaged record" % (rounds, seed, sent[0], len(want), len(want & set(users)), len(dead),
                                        sum(1 for n in counts.values() if n > 1), len(set(users) - want), torn))


# ---- crash -----------------------------------------------------------------------
def case_crash():
    wd = workdir("crash")
    rec = os.path.join(wd, "record.txt")
    env = {"SERVETEST_OUT": rec}
    args = ["--quiet", "--retry-delays", "10,10"]
    srv = Server(TESTBIN, wd, args, env=env).start()
    status, _, _ = invoke_raw(srv.port, "servetest", b'{"function":"crash","tag":"boom"}', "Event")
    check(status == 202, "crash event accepted")
    srv.proc.wait(timeout=30)
    check(srv.proc.returncode != 0, "the handler took the process down")
    srv.errf.close()
    import subprocess
    for attempt in (2, 3):
        # The replayed event runs at start-up: the process may die before
        # or after it prints its address.
        p = subprocess.run([TESTBIN, "serve", "--listen", "127.0.0.1:0", "--journal", srv.journal,
                            "--dead-letters", srv.dead] + args, env=dict(os.environ, **env), cwd=wd,
                           capture_output=True, timeout=30)
        check(p.returncode != 0, "attempt %d took the process down" % attempt)
        check(lines(rec) == ["boom"] * attempt, "attempt %d ran after the restart: %r" % (attempt, lines(rec)))
    # Three attempts started: the fourth start dead-letters it, and serves.
    last = Server(TESTBIN, wd, args, env=env).start()
    check(noop_ok(last), "the server serves after dead-lettering the crashing event")
    time.sleep(0.3)
    check(last.alive(), "no fourth attempt")
    check(lines(rec) == ["boom"] * 3, "the crashing event ran 3 times: %r" % lines(rec))
    dead = last.dead_letters()
    check(len(dead) == 1 and dead[0]["attempts"] == 3 and dead[0]["errorType"] == "Runtime.ExitError" and
          dead[0]["event"] == {"function": "crash", "tag": "boom"}, "dead letter: %r" % dead)
    check(last.stop() == 0, "exit 0")
    # And it stays ended: a fifth start runs nothing.
    again = Server(TESTBIN, wd, args, env=env).start()
    check(again.stop() == 0 and lines(rec) == ["boom"] * 3, "nothing runs after the dead letter")


# ---- hang --------------------------------------------------------------------------
def case_hang():
    wd = workdir("hang")
    rec = os.path.join(wd, "record.txt")
    srv = Server(TESTBIN, wd, ["--timeout", "3", "--workers", "2", "--retry-delays", "10,10"],
                 env={"SERVETEST_OUT": rec}).start()
    results = []

    def hang():
        results.append(invoke_raw(srv.port, "servetest", b'{"function":"hang"}', timeout=60))

    # More hung calls than runners: fresh threads replace the stuck ones.
    threads = [threading.Thread(target=hang) for _ in range(5)]
    for t in threads:
        t.start()
    time.sleep(0.5)  # let the hung calls reach their handlers
    # Not held up: the call is answered while the hung calls still wait
    # for their timeout (none has an answer yet).
    check(noop_ok(srv), "a call while handlers hang")
    check(not results, "a call while handlers hang came back before the hung ones")
    for t in threads:
        t.join()
    for status, hd, body in results:
        err = json.loads(body)
        check(status == 200 and hd.get("x-amz-function-error") == "Unhandled", "timeout: %r %r" % (status, hd))
        check(err["errorType"] == "Sandbox.Timedout" and "Task timed out after 3.00 seconds" in err["errorMessage"],
              "timeout error %r" % err)
    check(noop_ok(srv), "serving after the timeouts")
    # An event that hangs: three attempts, each given up, then a dead letter.
    status, _, _ = invoke_raw(srv.port, "servetest", b'{"function":"hangEvent","tag":"stuck"}', "Event")
    check(status == 202, "hangEvent accepted")
    # An event that fails: retried twice, then a dead letter.
    status, _, _ = invoke_raw(srv.port, "servetest", b'{"function":"fail","why":"always"}', "Event")
    check(status == 202, "fail accepted")
    dead = wait_for(lambda: srv.dead_letters() if len(srv.dead_letters()) == 2 else None, 30, "two dead letters")
    by = {d["event"]["function"]: d for d in dead}
    check(by["hangEvent"]["attempts"] == 3 and by["hangEvent"]["errorType"] == "Sandbox.Timedout", "hang: %r" % by)
    check(by["fail"]["attempts"] == 3 and by["fail"]["errorType"] == "servetest.Failed" and
          by["fail"]["errorMessage"] == "always", "fail: %r" % by["fail"])
    check(lines(rec) == ["stuck"] * 3, "hangEvent started 3 times: %r" % lines(rec))
    check(noop_ok(srv), "serving with 8 stuck threads")
    # A quick function runs on the HTTP thread once it has proven quick; the
    # day it hangs, the watchdog still answers its caller with the timeout.
    def inline_calls():
        return [e for e in srv.access_log() if e["function"] == "servetest" and e.get("on") == "http"]

    for _ in range(200):  # until serve runs it on the HTTP thread (8 quick calls in a row)
        status, _, body = invoke_raw(srv.port, "servetest", b'{"function":"maybeHang","hang":false}')
        check(status == 200 and body == b"null", "maybeHang (quick): %r %r" % (status, body))
        if inline_calls():
            break
    check(inline_calls(), "a quick function runs on the HTTP thread")
    # Kept-alive connections, spread over the HTTP threads (each accepts
    # its own): some share the thread where the call will hang.
    import http.client
    kept = []
    for _ in range(30):
        c = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=20)
        c.request("POST", "/2015-03-31/functions/servetest/invocations", body=b'{"function":"noop"}')
        r = c.getresponse()
        check(r.status == 200 and r.read() == b'{"ok":true}', "a kept-alive connection")
        kept.append(c)
    status, hd, body = invoke_raw(srv.port, "servetest", b'{"function":"maybeHang","hang":true}', timeout=60)
    check(status == 200 and hd.get("x-amz-function-error") == "Unhandled" and
          json.loads(body)["errorType"] == "Sandbox.Timedout", "inline hang: %r %r %r" % (status, hd, body))
    # The watchdog answers the caller first and logs after: wait for the line.
    wait_for(lambda: "overran on an HTTP thread" in open(srv.log).read(), 10, "the rescue to be reported")
    # The hung thread's other connections do not wait for the handler: they
    # are closed (the client retries on a new one); the others answer. A
    # connection that waits out its 20 s socket timeout was held up.
    closed = 0
    for c in kept:
        try:
            c.request("POST", "/2015-03-31/functions/servetest/invocations", body=b'{"function":"noop"}')
            r = c.getresponse()
            check(r.status == 200 and r.read() == b'{"ok":true}', "a kept-alive connection after the hang")
        except TimeoutError:
            fail("a connection of the stuck HTTP thread waits for the hung handler")
        except (ConnectionError, http.client.RemoteDisconnected, http.client.BadStatusLine):
            closed += 1
            check(noop_ok(srv), "the retry on a new connection")
        c.close()
    check(closed > 0, "the stuck thread's connections are closed (none of 30 was on it?)")
    noops = [e for e in srv.access_log() if e["function"] == "servetest" and e["status"] == 200]
    check(noops[-1].get("on") == "runner", "after a hang, no call runs on an HTTP thread: %r" % noops[-1])
    for _ in range(5):
        check(noop_ok(srv), "serving after an HTTP thread got stuck")
        status, _, body = invoke_raw(srv.port, "servetest", b'{"function":"maybeHang","hang":false}')
        check(status == 200, "maybeHang runs (on runners now)")
    check(srv.stop() == 0, "SIGTERM with stuck handlers: exit 0")


# ---- clients ---------------------------------------------------------------------------
async def one_client(port, body, itype):
    r, w = await asyncio.open_connection("127.0.0.1", port)
    head = ("POST /2015-03-31/functions/servetest/invocations HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            "Content-Type: application/json\r\nContent-Length: %d\r\n%sConnection: close\r\n\r\n" %
            (len(body), "X-Amz-Invocation-Type: %s\r\n" % itype if itype else ""))
    w.write(head.encode() + body)
    await w.drain()
    data = await r.read()
    w.close()
    status = int(data.split(b" ", 2)[1])
    return status, data.split(b"\r\n\r\n", 1)[1]


async def many(port, n):
    # Every connection is opened before any is answered.
    tasks = []
    for i in range(n):
        if i % 2:
            tasks.append(one_client(port, b'{"function":"noop"}', None))
        else:
            tasks.append(one_client(port, b'{"function":"record","tag":"c%04d"}' % i, "Event"))
    return await asyncio.gather(*tasks, return_exceptions=True)


def case_clients():
    raise_nofile()
    wd = workdir("clients")
    rec = os.path.join(wd, "record.txt")
    srv = Server(TESTBIN, wd, ["--quiet"], env={"SERVETEST_OUT": rec}).start()
    n = 1000
    t0 = time.time()
    res = asyncio.run(many(srv.port, n))
    took = time.time() - t0
    errors = [r for r in res if isinstance(r, BaseException)]
    check(not errors, "%d clients failed, e.g. %r" % (len(errors), errors[:3]))
    sync = [r for i, r in enumerate(res) if i % 2]
    events = [r for i, r in enumerate(res) if i % 2 == 0]
    check(all(s == 200 and json.loads(b) == {"ok": True} for s, b in sync), "all sync calls answered")
    check(all(s == 202 for s, _ in events), "all events accepted")
    check(srv.stop() == 0, "exit 0")
    tags = lines(rec)
    check(sorted(tags) == sorted("c%04d" % i for i in range(0, n, 2)), "every event ran once (%d lines)" % len(tags))
    print("%d concurrent clients in %.2f s: %d calls answered, %d events ran" % (n, took, len(sync), len(tags)))


# ---- http ------------------------------------------------------------------------------
def raw(port, data, read=True, timeout=5):
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    try:
        s.sendall(data)
        if not read:
            return b""
        out = b""
        try:
            s.shutdown(socket.SHUT_WR)
        except OSError:
            pass  # the server closed it already
        while True:
            try:
                chunk = s.recv(65536)
            except (ConnectionResetError, socket.timeout):
                break
            if not chunk:
                break
            out += chunk
        return out
    finally:
        s.close()


def status_of(resp):
    try:
        return int(resp.split(b" ", 2)[1])
    except (IndexError, ValueError):
        return None


def case_http():
    raise_nofile()
    wd = workdir("http")
    srv = Server(TESTBIN, wd, ["--quiet"]).start()
    path = b"/2015-03-31/functions/servetest/invocations"
    cases = {
        "garbage": b"\x00\xff\xfe GARBAGE \x01\r\n\r\n",
        "no method": b" / HTTP/1.1\r\n\r\n",
        "truncated headers": b"POST " + path + b" HTTP/1.1\r\nHost: x\r\nContent-Le",
        "huge header": b"POST " + path + b" HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 200000 + b"\r\n\r\n",
        "many headers": b"POST " + path + b" HTTP/1.1\r\nHost: x\r\n" + b"X-H: 1\r\n" * 20000 + b"\r\n",
        "bad Content-Length": b"POST " + path + b" HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n{}",
        "negative Content-Length": b"POST " + path + b" HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n{}",
        "two Content-Lengths": b"POST " + path + b" HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 9\r\n\r\n{}",
        "short body": b"POST " + path + b" HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"fun",
        "huge Content-Length": b"POST " + path + b" HTTP/1.1\r\nHost: x\r\nContent-Length: 100000000000\r\n\r\n{}",
        "bad chunked": b"POST " + path + b" HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n",
        "HTTP/0.9": b"GET /\r\n\r\n",
    }
    for name, data in cases.items():
        t0 = time.time()
        resp = raw(srv.port, data)
        took = time.time() - t0
        st = status_of(resp)
        check(st is None or 400 <= st < 500, "%s: answered %r" % (name, resp[:80]))
        check(srv.alive() and noop_ok(srv), "serving after %s" % name)
        print("%-24s -> %s (%.2f s)" % (name, st if st else "closed", took))
    # The answers of the Invoke API's own errors.
    for name, data, want, etype in (
            ("GET /", b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 404, b"UnknownOperationException"),
            ("GET invocations", b"GET " + path + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 404, b"UnknownOperationException"),
            ("bad function name", b"POST /2015-03-31/functions/a%2Fb%20c/invocations HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
             b"Content-Length: 2\r\n\r\n{}", 400, b"ValidationException"),
            ("bad invocation type", b"POST " + path + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Amz-Invocation-Type: Later\r\n"
             b"Content-Length: 2\r\n\r\n{}", 400, b"InvalidParameterValueException"),
            ("qualifier mismatch", b"POST /2015-03-31/functions/servetest:a/invocations?Qualifier=b HTTP/1.1\r\n"
             b"Host: x\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}", 400, b"InvalidParameterValueException")):
        resp = raw(srv.port, data)
        check(status_of(resp) == want and b"x-amzn-ErrorType: " + etype in resp and b'"Type":"User"' in resp,
              "%s: %r" % (name, resp[:300]))
    # A client that sends a 2 MB event in full sees the 413, not a reset.
    big = b"{\"function\":\"record\",\"tag\":\"" + b"x" * (2 * 1024 * 1024) + b"\"}"
    resp = raw(srv.port, b"POST " + path + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Amz-Invocation-Type: Event\r\n"
               b"Content-Length: %d\r\n\r\n" % len(big) + big)
    check(status_of(resp) == 413 and b"RequestTooLargeException" in resp, "413 after the whole body: %r" % resp[:200])
    # Slowloris: 200 connections trickling headers; others are served meanwhile.
    slow = []
    for _ in range(200):
        s = socket.create_connection(("127.0.0.1", srv.port))
        s.sendall(b"POST " + path + b" HTTP/1.1\r\nHost: x\r\n")
        slow.append(s)
    for rnd in range(5):
        for s in slow:
            try:
                s.sendall(b"X-Slow-%d: 1\r\n" % rnd)
            except OSError:
                pass
        check(noop_ok(srv), "a call during the slowloris")
        time.sleep(0.1)
    for s in slow:
        s.close()
    check(srv.stop() == 0, "exit 0")


# ---- drain ---------------------------------------------------------------------------
def case_drain():
    """SIGTERM with events queued and senders racing it: the line is the
    signal. A request that began after SIGTERM was sent is refused (503, or
    its connection closed or refused) and its event never runs; an event
    that got its 202 runs exactly once; everything queued runs before the
    exit."""
    import http.client
    wd = workdir("drain")
    out = os.path.join(wd, "leedz-out")
    srv = Server(LEEDZ, wd, ["--quiet", "--workers", "2"], env={"LEEDZ_OUT": out, "LEEDZ_LATENCY_MS": "20"}).start()
    n = 100
    for i in range(n):
        status, _, _ = invoke_raw(srv.port, "async_db_helper", activity("d%03d" % i), "Event")
        check(status == 202, "event %d accepted" % i)
    kept = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=10)
    kept.request("POST", "/2015-03-31/functions/async_db_helper/invocations", body=activity("d%03d" % n),
                 headers={"X-Amz-Invocation-Type": "Event"})
    r = kept.getresponse()
    r.read()
    check(r.status == 202, "keep-alive event accepted")
    n += 1
    db = os.path.join(out, "db.jsonl")
    ran_before = len(lines(db))

    # Senders racing the signal, each on a kept-alive connection: every
    # request is noted with the time it began and what came back.
    outcomes, lock, stop = [], threading.Lock(), threading.Event()
    sig_at = [None]

    def sender(k):
        c = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=30)
        for i in range(100000):
            if stop.is_set():
                return
            name = "r%d-%05d" % (k, i)
            began = time.monotonic()
            try:
                c.request("POST", "/2015-03-31/functions/async_db_helper/invocations", body=activity(name),
                          headers={"X-Amz-Invocation-Type": "Event"})
                resp = c.getresponse()
                resp.read()
                status = resp.status
            except (OSError, http.client.HTTPException) as e:
                status = type(e).__name__
            with lock:
                outcomes.append((name, began, status))
            if status != 202:
                return  # refused, or the connection is gone: the server is draining
    senders = [threading.Thread(target=sender, args=(k,)) for k in range(3)]
    for t in senders:
        t.start()
    wait_for(lambda: sum(1 for o in outcomes if o[2] == 202) >= 30, 30, "the racing senders to get going")
    t0 = time.time()
    srv.proc.send_signal(15)
    sig_at[0] = time.monotonic()
    time.sleep(0.1)
    # A kept-alive connection asking for more while the server drains is
    # closed, or answered 503; its event is not taken.
    late = []
    try:
        kept.request("POST", "/2015-03-31/functions/async_db_helper/invocations", body=activity("late-kept"),
                     headers={"X-Amz-Invocation-Type": "Event"})
        r = kept.getresponse()
        body = r.read()
        late.append(("late-kept", r.status))
        check(r.status == 503 and r.getheader("x-amzn-ErrorType") == "ServiceException",
              "during the drain: %r %r" % (r.status, body))
    except (OSError, http.client.HTTPException):
        pass
    kept.close()
    # A new connection: refused, or (when it came before the listening
    # socket closed) answered 503; never accepted.
    try:
        status, hd, _ = invoke_raw(srv.port, "async_db_helper", activity("late-new"), "Event", timeout=10)
        late.append(("late-new", status))
        check(status == 503 and hd.get("x-amzn-errortype") == "ServiceException",
              "a new connection after SIGTERM: %r %r" % (status, hd))
    except OSError:
        pass
    stop.set()
    for t in senders:
        t.join()
    rc = srv.proc.wait(timeout=60)
    srv.errf.close()
    check(rc == 0, "SIGTERM: exit %r" % rc)
    users = [json.loads(x)["user"] for x in lines(db)]
    counts = collections.Counter(users)
    check(all(counts["d%03d" % i] == 1 for i in range(n)), "all %d queued events ran once before the exit" % n)
    check(not [u for u in users if u.startswith("late")], "an event sent after SIGTERM ran: %r" % late)
    accepted = {name for name, _, status in outcomes if status == 202}
    raced = {u for u in users if u.startswith("r")}
    check(all(counts[u] == 1 for u in accepted), "an accepted event ran twice: %r"
          % [u for u in accepted if counts[u] != 1][:5])
    check(raced == accepted, "the racing events that ran are those that got 202: ran without: %r, 202 and never "
          "ran: %r" % (sorted(raced - accepted)[:5], sorted(accepted - raced)[:5]))
    after = [(name, status) for name, began, status in outcomes if began > sig_at[0]]
    check(all(status != 202 for _, status in after), "a request begun after SIGTERM got 202: %r"
          % [a for a in after if a[1] == 202][:5])
    check(os.path.getsize(os.path.join(srv.journal, "journal")) == 0, "the journal is empty after a drain")
    refused = collections.Counter(str(status) for name, began, status in outcomes if status != 202)
    print("SIGTERM with %d of %d events still queued and 3 senders racing it (%d accepted, then %s): drained in "
          "%.2f s, exit 0" % (n - ran_before, n, len(accepted), dict(refused), time.time() - t0))


# ---- journal --------------------------------------------------------------------------
def crc32c(data):
    """CRC-32C (Castagnoli), as the journal's frames carry it."""
    crc = 0xFFFFFFFF
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 if crc & 1 else 0)
    return crc ^ 0xFFFFFFFF


def framed(record):
    """A journal record in its frame, as serve writes it."""
    return b"J %d %08x\n" % (len(record), crc32c(record)) + record


def case_journal():
    wd = workdir("journal")
    rec = os.path.join(wd, "record.txt")
    env = {"SERVETEST_OUT": rec}
    srv = Server(TESTBIN, wd, ["--quiet", "--fsync"], env=env).start()
    # One server per journal.
    other = Server(TESTBIN, wd, ["--quiet"], env=env)
    other.start_failed = False
    import subprocess
    p = subprocess.run([TESTBIN, "serve", "--listen", "127.0.0.1:0", "--journal", srv.journal], capture_output=True,
                       text=True, timeout=10, cwd=wd)
    check(p.returncode == 2 and "in use" in p.stderr, "a second server on the journal: %r %r" % (p.returncode, p.stderr))
    # Bad start-up input: a clear error, exit 2, and (in the sanitizer
    # build, where a leak changes the exit status) nothing leaked.
    p = subprocess.run([TESTBIN, "serve", "--listen", "127.0.0.1:0", "--journal", os.path.join(wd, "other-journal"),
                        "--only", "servetest,nope"], capture_output=True, text=True, timeout=10, cwd=wd)
    check(p.returncode == 2 and "no controller named nope" in p.stderr, "--only nope: %r %r" % (p.returncode, p.stderr))
    # Compaction: 24 MB of events through the journal, which stays small.
    pad = "p" * (512 * 1024)
    for i in range(48):
        body = json.dumps({"function": "record", "tag": "j%02d" % i, "pad": pad}).encode()
        status, _, _ = invoke_raw(srv.port, "servetest", body, "Event")
        check(status == 202, "event %d" % i)
    wait_for(lambda: len(lines(rec)) == 48, 30, "48 events")
    size = os.path.getsize(os.path.join(srv.journal, "journal"))
    check(size < 17 * 1024 * 1024, "the journal was compacted: %d bytes" % size)
    srv.kill()
    # A record cut short at the end (a kill in mid-write) is dropped; a whole
    # one before it runs.
    with open(os.path.join(srv.journal, "journal"), "ab") as f:
        ev = b'{"function":"record","tag":"again"}'
        f.write(framed(b"A 9000 servetest %d\n%s\n" % (len(ev), ev)))
        f.write(framed(b'A 9001 servetest 40\n{"function":"record","tag":"torn"}\n')[:40])
    again = Server(TESTBIN, wd, ["--quiet"], env=env).start()
    wait_for(lambda: "again" in lines(rec), 10, "the replayed event")
    check(again.stop() == 0, "exit 0")
    check("not a whole record" in open(again.log).read(), "the torn record is reported")
    check(lines(rec).count("again") == 1 and len(lines(rec)) == 49, "records: %d" % len(lines(rec)))
    check(os.path.getsize(os.path.join(srv.journal, "journal")) == 0, "empty journal after the drain")
    # An event of a controller this binary no longer serves goes to the dead
    # letters under its own name (not the name of a controller served).
    with open(os.path.join(srv.journal, "journal"), "ab") as f:
        f.write(b'A 9100 retired_controller 2\n{}\nT 9100 1\n')
    gone = Server(TESTBIN, wd, ["--quiet"], env=env).start()
    check(gone.stop() == 0, "exit 0")
    dead = [d for d in gone.dead_letters() if d["errorType"] == "ctl.UnknownController"]
    check(len(dead) == 1 and dead[0]["controller"] == "retired_controller" and dead[0]["event"] == {}
          and dead[0]["attempts"] == 1 and "no longer serves" in dead[0]["errorMessage"],
          "the retired controller's dead letter: %r" % dead)
    check(os.path.getsize(os.path.join(srv.journal, "journal")) == 0, "ended in the journal too")
    # Request ids stay unique whatever ids the journal holds: here the next
    # event's id is 2^47 + 2, once the number of a process's second call.
    with open(os.path.join(srv.journal, "journal"), "ab") as f:
        f.write(b'A %d servetest 2\n{}\nD %d\n' % (2 ** 47 + 1, 2 ** 47 + 1))
    ids = Server(TESTBIN, wd, ["--quiet"], env=env).start()
    seen = [invoke_raw(ids.port, "servetest", b'{"function":"noop"}')[1]["x-amzn-requestid"] for _ in range(2)]
    seen.append(invoke_raw(ids.port, "servetest", b'{"function":"record","tag":"id"}', "Event")[1]["x-amzn-requestid"])
    check(ids.stop() == 0, "exit 0")
    check(len(set(seen)) == 3, "request ids: %r" % seen)


# ---- settings -------------------------------------------------------------------------
def accepted_records(journal_dir):
    """The A records of a journal: (id, controller, length, acceptance ms or
    None, trace header or None)."""
    import re
    with open(os.path.join(journal_dir, "journal"), "rb") as f:
        text = f.read()
    return [(int(m.group(1)), m.group(2).decode(), int(m.group(3)), int(m.group(5)) if m.group(5) else None,
             m.group(7).decode() if m.group(7) else None)
            for m in re.finditer(rb"^A (\d+) (\S+) (\d+)( (\d+)( (\S+))?)?\n", text, re.M)]


def case_settings():
    wd = workdir("settings")
    rec = os.path.join(wd, "record.txt")
    env = {"SERVETEST_OUT": rec}

    # @retries(N): a handler that always fails runs 1 + N times, then the
    # dead letter says RetriesExhausted.
    srv = Server(TESTBIN, wd, ["--quiet", "--retry-delays", "10,10"], env=env, name="retries").start()
    for n in range(3):
        body = json.dumps({"function": "fail", "tag": "r%d" % n}).encode()
        check(invoke_raw(srv.port, "retry%d" % n, body, "Event")[0] == 202, "event of retry%d" % n)
    wait_for(lambda: len(srv.dead_letters()) == 3, 30, "three dead letters")
    runs = collections.Counter(lines(rec))
    check(runs == {"r0": 1, "r1": 2, "r2": 3}, "handler runs: %r" % runs)
    for d in srv.dead_letters():
        n = int(d["controller"][-1])
        check(d["attempts"] == n + 1 and d["errorType"] == "servetest.Failed"
              and d["condition"] == "RetriesExhausted", "dead letter of retry%d: %r" % (n, d))
    check(srv.stop() == 0, "exit 0")

    # The journal keeps an event's first acceptance time, across a SIGKILL
    # and the restart's compaction: retry2's event fails its first attempt,
    # waits a minute for its retry, the server dies; the next one runs
    # attempt 2 (replayed events are queued at once) and keeps the time.
    os.remove(rec)
    delays = ["--quiet", "--retry-delays", "60000,60000"]
    first = Server(TESTBIN, wd, delays, env=env, name="restart").start()
    before = int(time.time() * 1000)
    check(invoke_raw(first.port, "retry2", b'{"function":"fail","tag":"k"}', "Event")[0] == 202, "event")
    after = int(time.time() * 1000)
    wait_for(lambda: lines(rec) == ["k"], 10, "the first attempt")
    recs = [r for r in accepted_records(first.journal) if r[1] == "retry2"]
    check(len(recs) == 1 and recs[0][3] is not None and before - 50 <= recs[0][3] <= after + 50,
          "the A record holds the acceptance time (%d..%d): %r" % (before, after, recs))
    # ... and the trace serve started for it (the request had no header).
    check(len(recs) == 1 and recs[0][4] and re.match(r"^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$", recs[0][4]),
          "the A record holds the event's trace: %r" % recs)
    accepted, trace = recs[0][3], recs[0][4]
    first.kill()
    time.sleep(0.05)
    second = Server(TESTBIN, wd, delays, env=env, name="restart").start()
    wait_for(lambda: lines(rec) == ["k", "k"], 10, "the second attempt after the restart")
    recs = [r for r in accepted_records(second.journal) if r[1] == "retry2"]
    check(len(recs) == 1 and recs[0][3] == accepted and recs[0][4] == trace,
          "the restart kept the time %d and the trace %s: %r" % (accepted, trace, recs))
    second.kill()

    # @max_event_age(60): replayed events a server accepted 2 minutes ago
    # (the record as the server writes it, checked above) are not run; one
    # accepted now runs, and so does one of a journal written before the
    # time was kept (its age counts from the replay).
    os.remove(rec)
    aged = Server(TESTBIN, wd, ["--quiet"], env=env, name="aged")
    os.makedirs(aged.journal)
    now = int(time.time() * 1000)
    with open(os.path.join(aged.journal, "journal"), "wb") as f:
        for i, (tag, when) in enumerate([("old", now - 120000), ("new", now), ("legacy", None)]):
            ev = json.dumps({"function": "record", "tag": tag}).encode()
            head = b"A %d aged %d" % (i + 1, len(ev)) + (b" %d" % when if when is not None else b"")
            f.write(head + b"\n" + ev + b"\n")
    aged.start()
    check(aged.stop() == 0, "exit 0")
    check(sorted(lines(rec)) == ["legacy", "new"], "the old event did not run: %r" % lines(rec))
    dead = aged.dead_letters()
    check(len(dead) == 1 and dead[0]["controller"] == "aged" and dead[0]["event"]["tag"] == "old"
          and dead[0]["attempts"] == 0 and dead[0]["errorType"] == "ctl.EventAgeExceeded"
          and dead[0]["condition"] == "EventAgeExceeded" and "max event age of 60 s" in dead[0]["errorMessage"],
          "the aged event's dead letter: %r" % dead)


# ---- destinations ---------------------------------------------------------------------
def case_destinations():
    wd = workdir("destinations")
    rec = os.path.join(wd, "record.txt")
    records = os.path.join(wd, "records.jsonl")
    env = {"SERVETEST_OUT": rec, "SERVETEST_RECORDS": records}
    region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"

    def arn(name):
        return "arn:aws:lambda:%s:000000000000:function:%s:$LATEST" % (region, name)

    def form_ok(r):
        ts, rid = r.get("timestamp", ""), r.get("requestId", "")
        return (len(ts) == 24 and ts[4] == "-" and ts[10] == "T" and ts[19] == "." and ts.endswith("Z")
                and len(rid) == 36 and rid.count("-") == 4)

    srv = Server(TESTBIN, wd, ["--quiet", "--retry-delays", "10,10"], env=env, name="dest").start()
    # On failure to a controller: RetriesExhausted after 2 attempts, the
    # record's requestId the 202's.
    ev = json.dumps({"function": "fail", "tag": "f"}, separators=(",", ":")).encode()
    status, hd, _ = invoke_raw(srv.port, "dest_fail", ev, "Event")
    check(status == 202, "event of dest_fail")
    wait_for(lambda: len(lines(records)) == 1, 30, "the failure record")
    r = json.loads(lines(records)[0])
    check(form_ok(r), "timestamp and requestId forms: %r" % r)
    check(r["requestId"] == hd.get("x-amzn-requestid"), "requestId %s, the 202's %s" % (r["requestId"], hd))
    check(r["version"] == "1.0" and r["functionArn"] == arn("dest_fail") and r["condition"] == "RetriesExhausted"
          and r["approximateInvokeCount"] == 2 and r["requestPayload"] == json.loads(ev)
          and r["statusCode"] == 200 and r["executedVersion"] == "$LATEST" and r["functionError"] == "Unhandled"
          and r["responsePayload"] == {"errorMessage": "f failed on attempt 2", "errorType": "servetest.Failed"},
          "the record: %r" % r)
    check(lines(rec) == ["f", "f"], "two attempts: %r" % lines(rec))

    # On success to a controller.
    status, hd, _ = invoke_raw(srv.port, "dest_ok", b'{"function":"record","tag":"ok"}', "Event")
    check(status == 202, "event of dest_ok")
    wait_for(lambda: len(lines(records)) == 2, 30, "the success record")
    r = json.loads(lines(records)[1])
    check(r["condition"] == "Success" and r["approximateInvokeCount"] == 1 and r["functionArn"] == arn("dest_ok")
          and r["requestId"] == hd.get("x-amzn-requestid") and "functionError" not in r
          and r["responsePayload"] is None and r["requestPayload"] == {"function": "record", "tag": "ok"},
          "the success record: %r" % r)

    # On failure to an SQS queue: one line of DIR/sqs-serve-failures.jsonl
    # (DIR: the dead letters' folder), exactly the record.
    status, hd, _ = invoke_raw(srv.port, "dest_file", b'{"function":"fail","tag":"q"}', "Event")
    check(status == 202, "event of dest_file")
    qfile = os.path.join(wd, "sqs-serve-failures.jsonl")
    wait_for(lambda: len(lines(qfile)) == 1, 30, "the SQS file's line")
    line = lines(qfile)[0]
    got = json.loads(line)
    rid, ts = got["requestContext"]["requestId"], got["timestamp"]
    want = ('{"version":"1.0","timestamp":"%s","requestContext":{"requestId":"%s","functionArn":"%s",'
            '"condition":"RetriesExhausted","approximateInvokeCount":1},"requestPayload":{"function":"fail","tag":"q"},'
            '"responseContext":{"statusCode":200,"executedVersion":"$LATEST","functionError":"Unhandled"},'
            '"responsePayload":{"errorMessage":"q failed on attempt 1","errorType":"servetest.Failed"}}'
            % (ts, rid, arn("dest_file")))
    check(line == want, "the SQS line:\n  %s\nis not\n  %s" % (line, want))
    check(rid == hd.get("x-amzn-requestid") and form_ok({"timestamp": ts, "requestId": rid}), "its requestId %s" % rid)
    check(srv.stop() == 0, "exit 0")
    check(srv.dead_letters() == [], "no dead letters: %r" % srv.dead_letters())

    # SIGTERM while the event waits 500 ms for its retry: the drain runs it,
    # and the record it sends once the server is stopping runs too.
    srv = Server(TESTBIN, wd, ["--quiet", "--retry-delays", "500,500"], env=env, name="dest-drain").start()
    status, hd, _ = invoke_raw(srv.port, "dest_fail", b'{"function":"fail","tag":"drained"}', "Event")
    check(status == 202, "event of dest_fail before the drain")
    wait_for(lambda: "drained" in lines(rec), 10, "the first attempt")
    check(srv.stop() == 0, "exit 0")
    drained = [json.loads(x) for x in lines(records)[2:]]
    check(len(drained) == 1 and drained[0]["requestPayload"]["tag"] == "drained"
          and drained[0]["requestId"] == hd.get("x-amzn-requestid"), "the record sent in the drain: %r" % drained)
    check(srv.dead_letters() == [], "no dead letters: %r" % srv.dead_letters())

    # A replayed event accepted 2 minutes ago (dest_aged: @max_event_age(60))
    # is not run: its record says EventAgeExceeded after 0 attempts.
    aged = Server(TESTBIN, wd, ["--quiet"], env=env, name="dest-aged")
    os.makedirs(aged.journal)
    ev = b'{"function":"record","tag":"old"}'
    with open(os.path.join(aged.journal, "journal"), "wb") as f:
        f.write(b"A 7 dest_aged %d %d\n" % (len(ev), int(time.time() * 1000) - 120000) + ev + b"\n")
    aged.start()
    wait_for(lambda: len(lines(records)) == 4, 30, "the aged event's record")
    check(aged.stop() == 0, "exit 0")
    r = json.loads(lines(records)[3])
    check(r["condition"] == "EventAgeExceeded" and r["approximateInvokeCount"] == 0
          and r["functionArn"] == arn("dest_aged") and r["requestPayload"] == json.loads(ev)
          and r["responsePayload"]["errorType"] == "ctl.EventAgeExceeded" and form_ok(r),
          "the aged record: %r" % r)
    check("old" not in lines(rec), "the aged event did not run")
    check(aged.dead_letters() == [], "no dead letters: %r" % aged.dead_letters())


# ---- flood ----------------------------------------------------------------------------
def case_flood():
    """Events are held in memory until they end: past --max-queue-mb of
    them, 429 TooManyRequestsException with Retry-After, as Lambda
    throttles; the room comes back as they end. The same past
    --concurrency calls on runners."""
    wd = workdir("flood")
    rec = os.path.join(wd, "record.txt")
    env = {"SERVETEST_OUT": rec}
    srv = Server(TESTBIN, wd, ["--quiet", "--workers", "1", "--timeout", "5", "--retry-delays", "600000,600000",
                               "--max-queue-mb", "2"], env=env).start()
    # The only worker hangs (5 s, room for a loaded machine to send the
    # four events meanwhile), so what follows stays queued.
    status, _, _ = invoke_raw(srv.port, "servetest", b'{"function":"hangEvent","tag":"stuck"}', "Event")
    check(status == 202, "hangEvent accepted")
    wait_for(lambda: lines(rec) == ["stuck"], 10, "the hang to start")
    pad = "p" * (600 * 1024)
    got = []
    for i in range(4):
        body = json.dumps({"function": "record", "tag": "f%d" % i, "pad": pad}).encode()
        got.append(invoke_raw(srv.port, "servetest", body, "Event"))
    check([g[0] for g in got] == [202, 202, 202, 429], "3 events of 600 KiB fit in 2 MiB, the 4th not: %r"
          % [g[0] for g in got])
    status, hd, data = got[3]
    err = json.loads(data)
    check(hd.get("x-amzn-errortype") == "TooManyRequestsException" and hd.get("retry-after") == "1"
          and err.get("Type") == "User" and err.get("message") and err.get("Reason"), "the 429: %r %r" % (hd, data))
    # The hang times out, the three run and end: room again.
    wait_for(lambda: len(lines(rec)) == 4, 30, "the queued events")
    body = json.dumps({"function": "record", "tag": "after", "pad": pad}).encode()
    wait_for(lambda: invoke_raw(srv.port, "servetest", body, "Event")[0] == 202, 10, "room after the queue ran")
    srv.kill()
    # RequestResponse calls: past --concurrency running at once, 429 (not a
    # queue that waits for a runner without a deadline); room again once
    # the hung ones time out.
    rec2 = os.path.join(wd, "conc-record.txt")
    srv = Server(TESTBIN, wd, ["--quiet", "--no-inline", "--timeout", "5", "--concurrency", "2"],
                 env={"SERVETEST_OUT": rec2}, name="conc").start()
    results = []

    def hang(k):
        results.append(invoke_raw(srv.port, "servetest", b'{"function":"hang","tag":"h%d"}' % k, timeout=60))

    threads = [threading.Thread(target=hang, args=(k,)) for k in range(2)]
    for t in threads:
        t.start()
    # Both runners in their handlers (each records its tag as it starts):
    # only then is the third call past the concurrency.
    wait_for(lambda: sorted(lines(rec2)) == ["h0", "h1"], 30, "both hung calls to start")
    status, hd, data = invoke_raw(srv.port, "servetest", b'{"function":"noop"}')
    err = json.loads(data)
    check(status == 429 and hd.get("x-amzn-errortype") == "TooManyRequestsException" and hd.get("retry-after") == "1"
          and err.get("Reason") == "ConcurrentInvocationLimitExceeded", "a third call: %r %r %r" % (status, hd, data))
    check(not results, "the third call was answered before the hung ones")
    for t in threads:
        t.join()
    check([json.loads(b)["errorType"] for _, _, b in results] == ["Sandbox.Timedout"] * 2, "the hung calls time out")
    check(noop_ok(srv), "room once the hung calls timed out")
    check(srv.stop() == 0, "exit 0")


cases = {"flood": case_flood, "kill": case_kill, "kills": lambda: case_kills(int(os.environ.get("FAULTS_KILLS", "5"))), "crash": case_crash, "hang": case_hang, "clients": case_clients, "http": case_http,
         "drain": case_drain, "journal": case_journal, "settings": case_settings,
         "destinations": case_destinations}
if len(sys.argv) != 2 or sys.argv[1] not in cases:
    fail("usage: faults_test.py " + "|".join(cases))
cases[sys.argv[1]]()
print("%s: all checks passed" % sys.argv[1])
