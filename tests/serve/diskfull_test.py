"""diskfull_test.py: serve's journal on a small tmpfs that fills during a
burst of Events (boto3) and is freed, then SIGKILL and a restart: every
event that got 202 ran (or was dead-lettered) after the restart; the events
are retry1's, which fail: each runs its first attempt and waits a minute for
its retry, so at the SIGKILL every 202'd event is live and only the journal
brings it back (the restart retries at once, and dead-letters it); every event
refused while the disk was full got an error boto3 sees (500
ServiceException, "cannot be journaled") and never ran; the restart found
no damage (a failed append was rolled back, so the records after it are
whole). Three rounds. Needs to mount a tmpfs (root): otherwise skipped (77).
    diskfull_test.py"""
import os
import subprocess
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from servelib import check, fail, lines, Server, skip, wait_for, workdir  # noqa: E402

try:
    import boto3
    import botocore
    from botocore.config import Config
except ImportError as e:
    skip("Debian's python3-boto3 is needed: %s" % e)

TESTBIN = os.environ["SERVE_TEST_BIN"]
ROUNDS, PER_PHASE, PAD = 3, 60, 1500

wd = workdir("diskfull")
mnt = os.path.join(wd, "tmpfs")
os.makedirs(mnt, exist_ok=True)
p = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", mnt], capture_output=True, text=True)
if p.returncode != 0:
    skip("cannot mount a tmpfs here: %s" % p.stderr.strip())



def fill(path, leave):
    """Fills the tmpfs but `leave` bytes with one file."""
    st = os.statvfs(mnt)
    free = st.f_bavail * st.f_frsize
    with open(path, "wb") as f:
        try:
            f.write(b"\0" * max(0, free - leave))
        except OSError:
            pass


def client(url):
    # Made in the main thread: boto3's client creation is not thread-safe.
    return boto3.client("lambda", endpoint_url=url, region_name="us-east-1", aws_access_key_id="x",
                        aws_secret_access_key="x", config=Config(retries={"max_attempts": 1}))


def send(c, tags, accepted, refused, lock):
    for tag in tags:
        body = ('{"function":"fail","tag":"%s-%s"}' % (tag, "p" * PAD)).encode()
        try:
            r = c.invoke(FunctionName="retry1", InvocationType="Event", Payload=body)
            ok = r["StatusCode"] == 202
            err = None if ok else "status %d" % r["StatusCode"]
        except botocore.exceptions.ClientError as e:
            ok, err = False, (e.response["ResponseMetadata"]["HTTPStatusCode"], e.response["Error"]["Code"],
                              e.response["Error"].get("Message", ""))
        except Exception as e:  # noqa: BLE001 (a connection error is a failure too: counted, shown)
            ok, err = False, ("exception", type(e).__name__, str(e))
        with lock:
            (accepted if ok else refused).append((tag, err))


try:
    totals = [0, 0, 0, 0]  # 202, refused, ran or dead-lettered after the restart, refused that ran
    for rnd in range(ROUNDS):
        rec = os.path.join(wd, "record-%d.txt" % rnd)
        env = {"SERVETEST_OUT": rec}
        srv = Server(TESTBIN, wd, ["--quiet", "--workers", "2", "--retry-delays", "60000,60000"], env=env,
                     name="full%d" % rnd)
        srv.journal = os.path.join(mnt, "journal-%d" % rnd)
        srv.start()
        filler = os.path.join(mnt, "filler")
        fill(filler, 48 * 1024)  # room for some 30 events' records
        accepted, refused, lock = [], [], threading.Lock()
        # Phase 1: the disk fills during the burst; phase 2: freed, more.
        for phase in (1, 2):
            tags = ["r%d-p%d-%03d" % (rnd, phase, i) for i in range(PER_PHASE)]
            threads = [threading.Thread(target=send, args=(client(srv.url), tags[k::4], accepted, refused, lock))
                       for k in range(4)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            check(len(accepted) + len(refused) == phase * PER_PHASE, "round %d: every request answered" % rnd)
            if phase == 1:
                check(refused, "round %d: the disk never filled (%d accepted)" % (rnd, len(accepted)))
                os.remove(filler)
        # Every 202'd event has run its first attempt and waits for its retry.
        wait_for(lambda: len(lines(rec)) >= len(accepted), 30, "the first attempts")
        first = len(lines(rec))
        srv.kill()
        for tag, err in refused:
            check(isinstance(err, tuple) and err[0] in (429, 500, 503) and "journal" in err[2],
                  "round %d: %s refused with %r" % (rnd, tag, err))
        check(all(t.startswith("r%d-p1" % rnd) for t, _ in refused), "round %d: refusals after the space came back: %r"
              % (rnd, [t for t, _ in refused if "-p2-" in t][:5]))
        again = Server(TESTBIN, wd, ["--quiet", "--workers", "2", "--retry-delays", "10,10"], env=env,
                       name="full%d" % rnd)
        again.journal = srv.journal
        again.start()
        check(again.stop() == 0, "round %d: the restarted server drained and exited 0" % rnd)
        log = open(again.log).read()
        check("not a whole record" not in log, "round %d: the restart found damage: %s" % (rnd, log[-1500:]))
        def short(tag):
            return "-".join(tag.split("-")[:3])
        ran = {short(x) for x in lines(rec)[first:]}  # after the restart
        dead = {short(d["event"]["tag"]) for d in again.dead_letters()}  # both servers write the same file
        check(len(again.dead_letters()) == len(dead), "round %d: an event dead-lettered twice" % rnd)
        done = ran | dead
        got = {t for t, _ in accepted}
        lost = got - done
        check(not lost, "round %d: %d events got 202 and never ran: %r" % (rnd, len(lost), sorted(lost)[:10]))
        wrongly = {t for t, _ in refused} & ({short(x) for x in lines(rec)} | dead)
        check(not wrongly, "round %d: refused events ran: %r" % (rnd, sorted(wrongly)[:10]))
        print("round %d: %d events got 202 (%d in the burst that filled the disk), %d refused (%s); after SIGKILL and a "
              "restart %d of the 202'd were replayed and dead-lettered (%d ran again), none of the refused"
              % (rnd, len(got), sum(1 for t in got if "-p1-" in t), len(refused),
                 sorted({"%s %s" % e[:2] for _, e in refused}), len(got & dead), len(got & ran)))
        totals[0] += len(got)
        totals[1] += len(refused)
        totals[2] += len(got & done)
        totals[3] += len(wrongly)
    print("diskfull: %d rounds: %d events got 202, %d refused while the journal was full; %d of the 202'd ran or were "
          "dead-lettered after SIGKILL and restart, %d refused ran" % (ROUNDS, totals[0], totals[1], totals[2], totals[3]))
finally:
    subprocess.run(["umount", "-l", mnt])
print("diskfull: all checks passed")
