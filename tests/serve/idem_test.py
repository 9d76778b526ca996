"""idem_test.py CASE: serve runs @idempotent functions through its store
(servetest.ctl's idem controller; --idempotency, default in the journal's
folder). Cases (one CTest test each):
  dups   boto3: 50 keys sent 4 times each as Event, at once from 8 threads:
         each key's handler runs once and no event fails (a duplicate in
         progress is retried by the core); RequestResponse duplicates get
         the first answer byte for byte; another payload under a key is
         ctl.IdempotencyValidationError and does not run; the store is the
         file --idempotency names
  kills  5 SIGKILLs of serve, each in a burst of Events whose keys repeat
         the earlier bursts' keys, then a restart: every accepted key ran
         or is a dead letter (the issue's rule; the failures allowed are
         the kills': Runtime.ExitError, every attempt started in a killed
         process, and ctl.IdempotencyInProgress, a killed handler's claim
         outliving an event's attempts, as it may under Lambda's retries),
         no key completed before a burst (the store file says) runs in it
         again, and only keys whose handler ran at a kill may run twice
         (their claim expires at the deadline, --timeout 1): the first run
         before the kill, the second after, at most --workers such keys a
         kill. `kills [KILLS]`: 5 by
         default, to keep CTest's run short; the issue's 50 by hand.
  scale  [DELIVERIES KEYS] (default 10000 1000): Events and RequestResponse
         duplicates at once and in a row; each key's side effect once,
         every call of a key answered byte for byte alike, another payload
         under every key refused."""
import collections
import json
import os
import sys
import threading
import time

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError  # noqa: F401

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from servelib import check, fail, invoke_raw, lines, Server, wait_for, workdir  # noqa: E402

TESTBIN = os.environ["SERVE_TEST_BIN"]
os.environ.update({"AWS_ACCESS_KEY_ID": "AKIDSERVETEST", "AWS_SECRET_ACCESS_KEY": "serve-test-secret",
                   "AWS_DEFAULT_REGION": "us-east-1"})
for k in ("AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_LAMBDA"):
    os.environ.pop(k, None)



def lam(srv):
    return boto3.client("lambda", endpoint_url=srv.url, config=Config(retries={"max_attempts": 1}))


def once(key):
    return json.dumps({"function": "once", "id": key, "tag": key}).encode()


def case_dups():
    wd = workdir("idem_dups")
    rec = os.path.join(wd, "rec")
    store = os.path.join(wd, "keys.sqlite")
    srv = Server(TESTBIN, wd, ["--quiet", "--workers", "4", "--retry-delays", "200,400", "--idempotency", store],
                 env={"SERVETEST_OUT": rec}).start()
    keys = ["k%02d" % i for i in range(50)]
    todo = [k for k in keys for _ in range(4)]
    lock = threading.Lock()

    def sender(c):
        while True:
            with lock:
                if not todo:
                    return
                key = todo.pop()
            r = c.invoke(FunctionName="idem", InvocationType="Event", Payload=once(key))
            check(r["StatusCode"] == 202, "event %s: %r" % (key, r["StatusCode"]))

    # the clients made here: boto3's default session is not thread-safe to
    # make clients from (a KeyError now and then, which ended that sender)
    threads = [threading.Thread(target=sender, args=(lam(srv),)) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    check(not todo, "%d events not sent" % len(todo))
    wait_for(lambda: set(lines(rec)) >= set(keys), 60, "every key to run")
    time.sleep(1.5)  # the duplicates' retries, which must not run
    counts = collections.Counter(lines(rec))
    check(all(counts[k] == 1 for k in keys), "a key ran more than once: %r" % {k: n for k, n in counts.items() if n != 1})
    check(not srv.dead_letters(), "no event fails: %r" % srv.dead_letters()[:2])

    c = lam(srv)
    a = c.invoke(FunctionName="idem", Payload=b'{"function":"stamp","id":"s"}')
    b = c.invoke(FunctionName="idem", Payload=b'{"id":"s","function":"stamp"}')
    pa, pb = a["Payload"].read(), b["Payload"].read()
    check("FunctionError" not in a and pa == pb, "a RequestResponse duplicate: %r vs %r" % (pa, pb))
    other = c.invoke(FunctionName="idem", Payload=b'{"function":"stamp","id":"t"}')["Payload"].read()
    check(other != pa, "another key runs: %r" % other)

    r = c.invoke(FunctionName="idem", Payload=json.dumps({"function": "once", "id": "k00", "tag": "x"}).encode())
    err = json.loads(r["Payload"].read())
    check(r.get("FunctionError") == "Unhandled" and err.get("errorType") == "ctl.IdempotencyValidationError",
          "another payload under k00: %r" % err)
    check("x" not in lines(rec), "the refused payload ran")
    check(os.path.exists(store), "the store is %s" % store)
    check(srv.stop() == 0, "exit 0")


def case_scale(deliveries=10000, nkeys=1000):
    """DELIVERIES deliveries of NKEYS keys through serve, from 8 threads at
    once: half Events of once (each key's handler appends its tag to the
    record file: the side effect), half RequestResponse calls of stamp (a
    fresh time on every run), a key's side by side so that its duplicates
    meet in flight; then each key once more in a row, an Event and a call; then
    another payload under every key. Each key's side effect is there once,
    no event fails, every answer of a key is the first byte for byte, and
    every other payload is ctl.IdempotencyValidationError."""
    import http.client
    import random
    wd = workdir("idem_scale")
    rec = os.path.join(wd, "rec")
    srv = Server(TESTBIN, wd, ["--quiet", "--workers", "4", "--retry-delays", "200,400"],
                 env={"SERVETEST_OUT": rec}).start()
    keys = ["s%05d" % i for i in range(nkeys)]
    per = deliveries // nkeys
    # a key's deliveries side by side: the 8 threads take them at once
    order = list(keys)
    random.Random(13).shuffle(order)
    todo = [(k, "Event" if j % 2 == 0 else "RequestResponse") for k in order for j in range(per)]
    lock = threading.Lock()
    answers = collections.defaultdict(set)  # key: the stamp answers' bytes
    busy, problems = [0], []

    def stamp(key):
        return json.dumps({"function": "stamp", "id": key}).encode()

    def post(c, body, itype):
        c.request("POST", "/2015-03-31/functions/idem/invocations", body=body,
                  headers={"X-Amz-Invocation-Type": itype})
        r = c.getresponse()
        return r.status, r.getheader("X-Amz-Function-Error"), r.read()

    def deliver(c, key, itype):
        if itype == "Event":
            st, _, data = post(c, once(key), "Event")
            if st != 202:
                problems.append("event %s: %d %r" % (key, st, data[:200]))
            return
        # a call whose key is in progress is refused; its caller tries again
        # (the core retries events; a RequestResponse caller retries itself)
        for _ in range(1000):
            st, ferr, data = post(c, stamp(key), "RequestResponse")
            if ferr and b"ctl.IdempotencyInProgress" in data:
                with lock:
                    busy[0] += 1
                time.sleep(0.002)
                continue
            if st != 200 or ferr:
                problems.append("stamp %s: %d %s %r" % (key, st, ferr, data[:200]))
            with lock:
                answers[key].add(data)
            return
        problems.append("stamp %s: in progress for 1000 tries" % key)

    def sender(items):
        c = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=30)
        while True:
            with lock:
                if not items:
                    return
                key, itype = items.pop()
            deliver(c, key, itype)

    t0 = time.time()
    threads = [threading.Thread(target=sender, args=(todo,)) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    t_burst = time.time() - t0
    check(not problems, "%d deliveries failed: %r" % (len(problems), problems[:3]))
    wait_for(lambda: set(lines(rec)) >= set(keys), 120, "every key to run")
    # in a row: each key's Event and call once more, on one connection
    again = [(k, itype) for k in keys for itype in ("Event", "RequestResponse")][::-1]
    sender(again)
    check(not problems, "%d sequential duplicates failed: %r" % (len(problems), problems[:3]))
    time.sleep(1.5)  # the duplicates' retries, which must not run
    counts = collections.Counter(lines(rec))
    check(set(counts) == set(keys), "the record holds other tags: %r" % (set(counts) - set(keys)))
    twice = {k: n for k, n in counts.items() if n != 1}
    check(not twice, "%d keys ran more than once: %r" % (len(twice), list(twice.items())[:5]))
    differ = [k for k in keys if len(answers[k]) != 1]
    check(not differ, "%d keys' calls got different answers: %r" % (len(differ), [answers[k] for k in differ[:2]]))
    check(not srv.dead_letters(), "no event fails: %r" % srv.dead_letters()[:2])

    # another payload under every key, with boto3 for a sample (a real client's view)
    c = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=30)
    refused = 0
    for k in keys:
        st, ferr, data = post(c, json.dumps({"function": "once", "id": k, "tag": "other"}).encode(), "RequestResponse")
        refused += ferr == "Unhandled" and json.loads(data).get("errorType") == "ctl.IdempotencyValidationError"
    lc = lam(srv)
    for k in keys[:20]:
        r = lc.invoke(FunctionName="idem", Payload=json.dumps({"function": "once", "id": k, "tag": "boto"}).encode())
        refused += (r.get("FunctionError") == "Unhandled" and
                    json.loads(r["Payload"].read()).get("errorType") == "ctl.IdempotencyValidationError")
    check(refused == nkeys + 20, "another payload: %d of %d refused" % (refused, nkeys + 20))
    check(not {"other", "boto"} & set(lines(rec)), "a refused payload ran")
    check(srv.stop() == 0, "exit 0")
    print("%d deliveries of %d keys (%d Events, %d calls) in %.1f s from 8 threads, then %d in a row: each key ran "
          "once; %d calls refused in progress and tried again; every key's calls answered alike; %d other payloads "
          "refused" % (len(keys) * per, nkeys, len(keys) * ((per + 1) // 2), len(keys) * (per // 2), t_burst,
                       2 * nkeys, busy[0], refused))


def completed(store, keys):
    """The keys of `once` that the store file holds completed (status 2),
    read while no serve runs: the record id is idem.once# and the SHA-256
    of the key array, ["KEY"] for these plain ASCII keys."""
    import hashlib
    import sqlite3
    if not os.path.exists(store):
        return set()
    ids = {"idem.once#" + hashlib.sha256(json.dumps([k]).encode()).hexdigest(): k for k in set(keys)}
    db = sqlite3.connect(store)
    try:
        done = {row[0] for row in db.execute("SELECT id FROM idempotency WHERE status = 2")}
    finally:
        db.close()
    return {k for i, k in ids.items() if i in done}


def case_kills(kills=5):
    import http.client
    wd = workdir("idem_kills")
    rec = os.path.join(wd, "rec")
    workers = 4
    args = ["--quiet", "--workers", str(workers), "--timeout", "1", "--retry-delays", "800,1600"]
    per_round = 120
    accepted, lock = [], threading.Lock()
    events = [0]  # Events answered 202, duplicates included
    kill_at = []  # the record's length when each kill was done: its lines before it ran before the kill
    store = os.path.join(wd, "serve-journal", "idempotency.sqlite")  # the default: in the journal's folder
    for rnd in range(kills):
        srv = Server(TESTBIN, wd, args, env={"SERVETEST_OUT": rec}).start()
        # this round's keys: 60 new ones, and 60 of the earlier rounds'
        new = ["r%dk%03d" % (rnd, i) for i in range(per_round // 2)]
        old = [k for k in accepted[: per_round // 2]]
        todo = new + old + new
        sent = [0]

        def sender():
            c = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=10)
            while True:
                with lock:
                    if not todo:
                        return
                    key = todo.pop()
                try:
                    c.request("POST", "/2015-03-31/functions/idem/invocations", body=once(key),
                              headers={"X-Amz-Invocation-Type": "Event"})
                    r = c.getresponse()
                    r.read()
                except (OSError, http.client.HTTPException):
                    return
                if r.status == 202:
                    with lock:
                        if key not in accepted:
                            accepted.append(key)
                        sent[0] += 1
                        events[0] += 1
                        if sent[0] == per_round:
                            srv.kill()

        # what had completed before this round's burst (the store says; a
        # key recorded whose handler a kill cut short is not completed, and
        # may run again once its claim expires): a duplicate must not run
        completed_before = completed(store, lines(rec))
        recorded_before = collections.Counter(lines(rec))
        check(rnd == 0 or completed_before, "round %d: no completed key in %s" % (rnd, store))
        threads = [threading.Thread(target=sender) for _ in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        if srv.alive():
            srv.kill()
        kill_at.append(len(lines(rec)))
        counts = collections.Counter(lines(rec))
        again = [k for k in completed_before if counts[k] > recorded_before[k]]
        check(not again, "round %d: keys that had run before the burst ran again: %r" % (rnd, again[:5]))
    srv = Server(TESTBIN, wd, args, env={"SERVETEST_OUT": rec}).start()
    want = set(accepted)
    wait_for(lambda: want <= set(lines(rec)) | {d["event"]["id"] for d in srv.dead_letters()}, 120,
             "every accepted key to run after the restarts")
    time.sleep(3)
    check(srv.stop() == 0, "exit 0")
    counts = collections.Counter(lines(rec))
    twice = sorted(k for k, n in counts.items() if n > 1)
    # An accepted event ran or is a dead letter (the rule). The
    # failures the kills may cause: Runtime.ExitError, every attempt of the
    # event started in a process a kill ended (serve's crash rule: attempts
    # are journaled before they start); ctl.IdempotencyInProgress, its key's
    # claim, left by a handler a kill cut short, outlived its attempts, as it
    # may under Lambda's retries (the key ran through a duplicate, or not).
    dead = srv.dead_letters()
    allowed = ("ctl.IdempotencyInProgress", "Runtime.ExitError")
    check(all(d["errorType"] in allowed for d in dead),
          "events failed otherwise than through a kill: %r" % [d for d in dead if d["errorType"] not in allowed][:2])
    check(len(dead) <= 4 * kills, "%d dead letters for %d kills: %r" % (len(dead), kills, dead[:2]))
    check(all(n <= 2 for n in counts.values()), "a key ran more than twice")
    # Only a handler running at a kill may run again: its first run is in
    # the record before that kill, its second after it, and a kill cuts
    # short at most --workers handlers.
    log = lines(rec)
    first_at = {}
    for i, k in enumerate(log):
        first_at.setdefault(k, i)
    per_kill = collections.Counter()
    for k in twice:
        i, j = [n for n, x in enumerate(log) if x == k]
        rnd = next((r for r, n in enumerate(kill_at) if i < n), None)
        check(rnd is not None and j >= kill_at[rnd],
              "%s ran twice with no kill between (lines %d and %d; kills at %r)" % (k, i, j, kill_at))
        per_kill[rnd] += 1
    check(all(n <= workers for n in per_kill.values()),
          "more keys than --workers ran again after one kill: %r" % dict(per_kill))
    ran = set(log)
    by_type = collections.Counter(d["errorType"] for d in dead)
    dead_unrun = {d["event"]["id"] for d in dead} - ran
    print("%d kills; %d Events accepted (%d keys, duplicates of earlier rounds' keys among them); %d keys ran "
          "once, %d twice (running at a kill; at most %d after one kill), %d never ran and are dead letters; "
          "%d dead letters: %s" % (kills, events[0], len(want), sum(1 for k in want if counts[k] == 1), len(twice),
                                   max(per_kill.values() or [0]), len(dead_unrun), len(dead),
                                   ", ".join("%s %d" % kv for kv in sorted(by_type.items())) or "none"))


cases = {"dups": case_dups, "scale": case_scale, "kills": case_kills}
if len(sys.argv) < 2 or sys.argv[1] not in cases:
    fail("usage: idem_test.py dups | scale [DELIVERIES KEYS] | kills [KILLS]")
cases[sys.argv[1]](*[int(a) for a in sys.argv[2:]])
print("%s: all checks passed" % sys.argv[1])
