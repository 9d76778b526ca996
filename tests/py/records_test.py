"""records_test.py CTLC RECORDS_HOST SPEC EVENT_DIR [--ts JS_DIR]: @records
functions in Python (and, with --ts, in TypeScript) against C. SPEC is tests/cases/ok_destinations.ctl; RECORDS_HOST
(records_host.c) hosts its controllers failures and audit in C. Each
EVENT_DIR/CONTROLLER-NAME.json (an invocation record, good or bad, or an
event naming a function) goes through `RECORDS_HOST invoke --controller
CONTROLLER -` and through the generated Python module's CONTROLLER_dispatch;
both print the record their @records handler was given (one line, the same
form) and then the answer. Their outputs and exit statuses must be equal,
byte for byte. With --ts, the TypeScript module compiled into JS_DIR
answers too (tests/ts/records_driver.mjs, through its generated dispatch
functions), and must agree with C alike. Prints the counts."""
import json
import os
import subprocess
import sys
import tempfile
import typing


def show(v: typing.Optional[str]) -> str:
    return "(none)" if v is None else v


def main() -> int:
    ctlc, host, spec, events = sys.argv[1:5]
    js_dir = sys.argv[6] if len(sys.argv) > 6 and sys.argv[5] == "--ts" else None
    with tempfile.TemporaryDirectory() as out:
        subprocess.run([ctlc, "py", "-o", out, spec], check=True)
        sys.path.insert(0, out)
        import ok_destinations as dest  # the generated module

        class Handlers:
            def __init__(self) -> None:
                self.lines: typing.List[str] = []

            def record(self, fn: str, r: typing.Any) -> None:
                def js(v: typing.Any) -> str:
                    return json.dumps(v, separators=(",", ":"), ensure_ascii=False)
                self.lines.append("%s: version=%s timestamp=%s request_id=%s function_arn=%s condition=%s count=%d "
                                  "request=%s status=%d executed=%s function_error=%s response=%s\n"
                                  % (fn, show(r.version), show(r.timestamp), show(r.request_id),
                                     show(r.function_arn), show(r.condition), r.approximate_invoke_count,
                                     js(r.request_payload), r.status_code, show(r.executed_version),
                                     show(r.function_error), js(r.response_payload)))

            def failed(self, record: typing.Any, ctx: typing.Any) -> None:
                self.record("failures.failed", record)

            def delivered(self, record: typing.Any, ctx: typing.Any) -> None:
                self.record("audit.delivered", record)

            def count(self, args: typing.Any, ctx: typing.Any) -> typing.Any:
                return dest.audit_count_result(n=7)

        dispatchers = {"failures": dest.failures_dispatch, "audit": dest.audit_dispatch}
        names = sorted(n for n in os.listdir(events) if n.endswith(".json"))
        failures = accepted = 0
        ts: typing.Dict[str, typing.Any] = {}
        if js_dir is not None:
            driver = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "ts", "records_driver.mjs")
            for controller in sorted({n.split("-")[0] for n in names}):
                files = [os.path.join(events, n) for n in names if n.split("-")[0] == controller]
                r = subprocess.run(["node", driver, js_dir, controller] + files, capture_output=True, check=True)
                for line in r.stdout.decode("utf-8").splitlines():
                    a = json.loads(line)
                    ts[a["file"]] = a
        for name in names:
            controller = name.split("-")[0]
            with open(os.path.join(events, name), "rb") as f:
                event = f.read().rstrip(b"\n")
            c = subprocess.run([host, "invoke", "--controller", controller, "-"], input=event, capture_output=True,
                               check=False)
            if c.stderr or c.returncode not in (0, 1):
                print("FAIL: %s: the C host exited %d: %r" % (name, c.returncode, c.stderr[:400]))
                failures += 1
                continue
            h = Handlers()
            resp = dispatchers[controller](h, event)  # type: ignore[operator]
            py = ("".join(h.lines)).encode("utf-8") + resp.body + b"\n"
            py_exit = 1 if resp.error else 0
            if (py_exit, py) != (c.returncode, c.stdout):
                print("FAIL: %s:\n  C      (exit %d): %r\n  Python (exit %d): %r" % (name, c.returncode, c.stdout,
                                                                                    py_exit, py))
                failures += 1
            elif h.lines:
                accepted += 1
            if js_dir is not None:
                t = ts.get(name)
                if t is None or (t["exit"], t["stdout"].encode("utf-8")) != (c.returncode, c.stdout):
                    print("FAIL: %s:\n  C          (exit %d): %r\n  TypeScript: %r" % (name, c.returncode, c.stdout, t))
                    failures += 1
        print("%d events through C's and Python's%s dispatch: %d records handed to a handler, %d differences"
              % (len(names), " and TypeScript's" if js_dir else "", accepted, failures))
        return 1 if failures or not accepted else 0


if __name__ == "__main__":
    sys.exit(main())
