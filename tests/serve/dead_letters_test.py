"""dead_letters_test.py CASE: serve's dead letters are durable and valid
(issue 18, items 3 and 4). Cases (one CTest test each):
  door        boto3 sends JSON whose strings hold bytes that are not UTF-8,
              as Event and RequestResponse: ClientError
              InvalidRequestContentException (400) with Lambda's words,
              nothing journaled, nothing run, no dead letter
  unwritable  the dead-letter file cannot be written (a symlink to
              /dev/full: ENOSPC, whoever runs the test; then its folder
              removed: ENOENT): the failed event stays live, stderr says so
              once per episode, and once the file can be written the dead
              letter appears exactly once
  kill        SIGKILL while the file cannot be written, a restart once it
              can: the event is dead-lettered exactly once
  stop        SIGTERM while the file cannot be written: serve exits (the
              event stays in the journal), and the restart dead-letters it
              exactly once"""
import json
import os
import shutil
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from servelib import Server, check, fail, invoke_raw, wait_for, workdir  # noqa: E402

TESTBIN = os.environ["SERVE_TEST_BIN"]
ARGS = ["--retry-delays", "10,10"]
MESSAGE = "cannot write to the dead-letter file"


def journal_bytes(srv):
    total = 0
    for name in os.listdir(srv.journal):
        p = os.path.join(srv.journal, name)
        if os.path.isfile(p):
            total += os.path.getsize(p)
    return total


def log_text(srv):
    with open(srv.log, errors="replace") as f:
        return f.read()


def valid_lines(path):
    """The file's lines, each checked to be UTF-8 JSON."""
    with open(path, "rb") as f:
        data = f.read()
    out = []
    for raw in data.split(b"\n")[:-1]:
        try:
            out.append(json.loads(raw.decode("utf-8", errors="strict")))
        except (UnicodeDecodeError, ValueError) as e:
            fail("a line that is not UTF-8 JSON (%s): %r" % (e, raw[:200]))
    check(data.endswith(b"\n") or not data, "the file ends with a whole line")
    return out


def fail_event(srv, tag):
    status, _, _ = invoke_raw(srv.port, "servetest", json.dumps({"function": "fail", "why": tag}).encode(), "Event")
    check(status == 202, "the failing event %s accepted: %r" % (tag, status))


def case_door():
    try:
        import boto3
        from botocore.config import Config
        from botocore.exceptions import ClientError
    except ImportError as e:
        fail("Debian's python3-boto3 is needed: %s" % e)
    wd = workdir("dl_door")
    rec = os.path.join(wd, "record.txt")
    srv = Server(TESTBIN, wd, ARGS, env={"SERVETEST_OUT": rec, "AWS_ACCESS_KEY_ID": "AKIDTEST",
                                         "AWS_SECRET_ACCESS_KEY": "secret"}).start()
    lam = boto3.client("lambda", endpoint_url=srv.url, region_name="us-east-1", aws_access_key_id="AKIDTEST",
                       aws_secret_access_key="secret", config=Config(retries={"max_attempts": 1}))
    before = journal_bytes(srv)
    bodies = [b'{"function":"record","tag":"\xff"}',           # a start byte that is never one
              b'{"function":"record","tag":"ab\xc3("}',        # a lead byte, then not a continuation
              b'{"function":"record","tag":"\xed\xa0\x80"}',   # a surrogate, encoded
              b'{"function":"record","\xc0\xaf":"x"}']         # overlong, in a key
    for itype in ("Event", "RequestResponse"):
        for body in bodies:
            try:
                lam.invoke(FunctionName="servetest", InvocationType=itype, Payload=body)
                fail("%s %r was accepted" % (itype, body))
            except ClientError as e:
                err, meta = e.response["Error"], e.response["ResponseMetadata"]
                check(err["Code"] == "InvalidRequestContentException" and meta["HTTPStatusCode"] == 400,
                      "%s %r: %r" % (itype, body, e.response))
                check(err["Message"].startswith("Could not parse request body into json: Could not parse payload "
                                                "into json: Invalid UTF-8 "), "the message: %r" % err["Message"])
    # Valid UTF-8 passes the door, escapes and all.
    r = lam.invoke(FunctionName="servetest", InvocationType="Event",
                   Payload='{"function":"record","tag":"caf\u00e9 \\ud83d\\ude00"}'.encode())
    check(r["StatusCode"] == 202, "valid UTF-8 accepted")
    wait_for(lambda: os.path.exists(rec) and os.path.getsize(rec) > 0, 10, "the valid event to run")
    with open(rec, "rb") as f:
        ran = f.read().split(b"\n")
    check(len([x for x in ran if x]) == 1, "only the valid event ran: %r" % ran)
    check(srv.stop() == 0, "exit 0")
    check(not os.path.exists(srv.dead), "no dead letter")
    # The journal grew by the one valid event only (then compacted at the stop).
    check(before >= 0 and journal_bytes(srv) <= before + 200, "nothing else journaled")
    print("door: %d refusals, each 400 InvalidRequestContentException" % (2 * len(bodies)))


def case_unwritable():
    wd = workdir("dl_unwritable")
    srv = Server(TESTBIN, wd, ARGS)
    os.symlink("/dev/full", srv.dead)
    srv.start()
    fail_event(srv, "full")
    wait_for(lambda: MESSAGE in log_text(srv), 20, "stderr to say the file cannot be written")
    time.sleep(1.0)  # tries at 100, 200, 400 ms ...
    check(log_text(srv).count(MESSAGE) == 1, "said once per episode: %d" % log_text(srv).count(MESSAGE))
    check(os.path.islink(srv.dead), "nothing replaced the symlink")
    os.unlink(srv.dead)  # a regular file from now on
    dead = wait_for(lambda: valid_lines(srv.dead) if os.path.exists(srv.dead) else None, 20, "the dead letter")
    time.sleep(0.5)
    dead = valid_lines(srv.dead)
    check(len(dead) == 1 and dead[0]["event"] == {"function": "fail", "why": "full"} and dead[0]["attempts"] == 3
          and dead[0]["errorType"] == "servetest.Failed", "exactly one dead letter: %r" % dead)
    check("is written again" in log_text(srv), "stderr says the episode ended")
    # A second episode: the file's folder removed (ENOENT), then made again.
    sub = os.path.join(wd, "sub")
    os.makedirs(sub)
    srv2 = Server(TESTBIN, wd, ARGS + ["--dead-letters", os.path.join(sub, "dead.jsonl")], name="serve2")
    check(srv.stop() == 0, "exit 0")
    srv2.start()
    shutil.rmtree(sub)
    fail_event(srv2, "gone")
    wait_for(lambda: MESSAGE in log_text(srv2), 20, "stderr to say the folder is gone")
    time.sleep(0.5)
    os.makedirs(sub)
    path = os.path.join(sub, "dead.jsonl")
    wait_for(lambda: os.path.exists(path) and valid_lines(path), 20, "the dead letter in the folder made again")
    time.sleep(0.5)
    dead = valid_lines(path)
    check(len(dead) == 1 and dead[0]["event"]["why"] == "gone", "exactly one dead letter: %r" % dead)
    check(log_text(srv2).count(MESSAGE) == 1, "said once")
    check(srv2.stop() == 0, "exit 0")
    print("unwritable: ENOSPC and ENOENT episodes, each one dead letter once writable")


def case_kill():
    wd = workdir("dl_kill")
    srv = Server(TESTBIN, wd, ARGS)
    os.symlink("/dev/full", srv.dead)
    srv.start()
    fail_event(srv, "killed")
    wait_for(lambda: MESSAGE in log_text(srv), 20, "stderr to say the file cannot be written")
    time.sleep(0.3)
    srv.kill()
    os.unlink(srv.dead)
    check(not os.path.exists(srv.dead), "no dead letter before the restart")
    again = Server(TESTBIN, wd, ARGS).start()
    wait_for(lambda: os.path.exists(again.dead) and valid_lines(again.dead), 20, "the dead letter after the restart")
    time.sleep(0.5)
    check(again.stop() == 0, "exit 0")
    dead = valid_lines(again.dead)
    check(len(dead) == 1 and dead[0]["event"] == {"function": "fail", "why": "killed"}, "exactly once: %r" % dead)
    third = Server(TESTBIN, wd, ARGS).start()
    time.sleep(0.3)
    check(third.stop() == 0 and len(valid_lines(third.dead)) == 1, "not again after a second restart")
    print("kill: the event killed with its dead letter unwritten is dead-lettered once after the restart")


def case_stop():
    wd = workdir("dl_stop")
    srv = Server(TESTBIN, wd, ARGS)
    os.symlink("/dev/full", srv.dead)
    srv.start()
    fail_event(srv, "stopped")
    wait_for(lambda: MESSAGE in log_text(srv), 20, "stderr to say the file cannot be written")
    check(srv.stop(timeout=30) == 0, "SIGTERM: exit 0 with the dead letter unwritten")
    os.unlink(srv.dead)
    again = Server(TESTBIN, wd, ARGS).start()
    wait_for(lambda: os.path.exists(again.dead) and valid_lines(again.dead), 20, "the dead letter after the restart")
    time.sleep(0.3)
    check(again.stop() == 0, "exit 0")
    dead = valid_lines(again.dead)
    check(len(dead) == 1 and dead[0]["event"]["why"] == "stopped", "exactly once: %r" % dead)
    print("stop: serve exits with the dead letter unwritten; the restart writes it once")


cases = {"door": case_door, "unwritable": case_unwritable, "kill": case_kill, "stop": case_stop}
if len(sys.argv) != 2 or sys.argv[1] not in cases:
    fail("usage: dead_letters_test.py " + "|".join(cases))
cases[sys.argv[1]]()
print("%s: all checks passed" % sys.argv[1])
