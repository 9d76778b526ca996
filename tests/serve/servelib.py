"""servelib.py: starting and stopping `BIN serve` for serve's tests.

Each server listens on an ephemeral port (--listen 127.0.0.1:0) and prints
"listening on HOST:PORT" on stdout, which start() reads back. Paths of the
binaries come from the environment that CTest sets (see CMakeLists.txt)."""
import atexit
import json
import os
import shutil
import signal
import subprocess
import sys
import time


def fail(msg):
    print("FAIL: " + msg, file=sys.stderr)
    sys.exit(1)


def check(cond, msg):
    if not cond:
        fail(msg)


def skip(msg):
    print("SKIP: " + msg, file=sys.stderr)
    sys.exit(77)


# Every server a test started, so that one still running when the test ends
# (a failed check exits at once) is killed rather than left behind.
_started = []


@atexit.register
def _stop_leftovers():
    for srv in _started:
        if srv.proc is not None and srv.proc.poll() is None:
            srv.proc.kill()
            try:
                srv.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass


def workdir(name):
    """A fresh folder for one test's files."""
    base = os.environ.get("SERVE_TMP") or fail("SERVE_TMP is not set (run through ctest)")
    d = os.path.join(base, name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    return d


def wait_for(pred, timeout, what):
    end = time.time() + timeout
    while time.time() < end:
        v = pred()
        if v:
            return v
        time.sleep(0.02)
    fail("timed out waiting for " + what)


class Server:
    def __init__(self, binary, wd, args=(), env=None, name="serve"):
        self.binary, self.wd, self.args, self.name = binary, wd, list(args), name
        self.env = dict(os.environ)
        self.env.update(env or {})
        self.journal = os.path.join(wd, name + "-journal")
        self.dead = os.path.join(wd, name + "-dead.jsonl")
        self.log = os.path.join(wd, name + ".log")
        self.proc = None

    def start(self):
        cmd = [self.binary, "serve", "--listen", "127.0.0.1:0", "--journal", self.journal,
               "--dead-letters", self.dead] + self.args
        self.errf = open(self.log, "ab")
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=self.errf, env=self.env, cwd=self.wd)
        _started.append(self)
        line = self.proc.stdout.readline().decode()
        if not line.startswith("listening on "):
            self.proc.wait(timeout=10)
            fail("%s did not start (exit %s): %s" % (self.name, self.proc.returncode, open(self.log).read()[-2000:]))
        self.addr = line.split()[-1]
        self.port = int(self.addr.rsplit(":", 1)[1])
        self.url = "http://" + self.addr
        return self

    def stop(self, timeout=60):
        """SIGTERM, then the exit status (the server drains first)."""
        self.proc.send_signal(signal.SIGTERM)
        try:
            rc = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            fail("%s did not exit within %d s of SIGTERM" % (self.name, timeout))
        self.errf.close()
        return rc

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()
        self.errf.close()

    def alive(self):
        return self.proc.poll() is None

    def access_log(self):
        out = []
        with open(self.log) as f:
            for line in f:
                if line.startswith("{"):
                    out.append(json.loads(line))
        return out

    def dead_letters(self):
        if not os.path.exists(self.dead):
            return []
        with open(self.dead) as f:
            return [json.loads(line) for line in f]



def lines(path):
    """The whole lines of a file a handler appends to (no newline kept): a
    last line still being written, without its newline, is not one yet.
    None of the file is an empty list."""
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [x[:-1] for x in f if x.endswith("\n")]

def invoke_raw(port, function, body, itype=None, timeout=30, headers=None):
    """POSTs an Invoke with http.client; returns (status, headers dict lower-cased, body bytes)."""
    import http.client
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    h = {"Content-Type": "application/json"}
    if itype:
        h["X-Amz-Invocation-Type"] = itype
    h.update(headers or {})
    c.request("POST", "/2015-03-31/functions/%s/invocations" % function, body=body, headers=h)
    r = c.getresponse()
    data = r.read()
    hd = {k.lower(): v for k, v in r.getheaders()}
    c.close()
    return r.status, hd, data
