"""leedz_host.py MODULE_DIR [--ts JS_DIR]: controllers of specs/leedz.ctl in
Python, or in TypeScript, behind a tiny Lambda Invoke API, for the C caller
(tests/py/leedz_caller.c); one host for both languages.

Listens on 127.0.0.1 (an ephemeral port, printed as "PORT n") and answers
POST /2015-03-31/functions/NAME/invocations as Lambda does: the function
named runs the event through the generated module's NAME_dispatch (the
module `ctlc py` wrote into MODULE_DIR); RequestResponse answers 200 with
the result, or with the error object and X-Amz-Function-Error: Unhandled;
Event answers 202 after the handler ran. Each invocation is logged on
stdout ("EVENT type function: what the handler saw"), in order. Stops at
SIGTERM or when stdin closes. With --ts, the same controllers written in
TypeScript (tests/ts/leedz_controllers.mjs on the compiled module of
JS_DIR, through its generated dispatch functions) answer instead: one
event a line on its stdin, its log lines and answer back; the transcript
must be the same."""
import json
import subprocess
import http.server
import re
import sys
import threading
import typing

sys.path.insert(0, sys.argv[1])
import leedz  # noqa: E402  (the generated module)

PATH = re.compile(r"^/2015-03-31/functions/([^/?]+)/invocations$")


def log(text: str) -> None:
    print(text, flush=True)


class Booking:
    """booking_helper: 2026-12-25 is taken near every ZIP; ZIP 00000 is no place."""

    def checkBooking(self, args: leedz.booking_helper_checkBooking_args,
                     ctx: leedz.CtlContext) -> leedz.booking_helper_checkBooking_result:
        log("  checkBooking saw trade=%s date=%s zip=%s" % (args.trade.name, args.date, args.zip))
        if args.zip == "00000":
            raise leedz.CtlError("leedz.NoSuchZip", "no venue near ZIP %s" % args.zip)
        if args.date == "2026-12-25":
            return leedz.booking_helper_checkBooking_result(available=False, conflict_id="L-1225")
        return leedz.booking_helper_checkBooking_result(available=True)

    def recordBooking(self, args: leedz.booking_helper_recordBooking_args, ctx: leedz.CtlContext) -> None:
        raise leedz.CtlFailed()


class Email:
    """async_email_helper: notifyUsers logs what it would send."""

    def notifyUsers(self, args: leedz.async_email_helper_notifyUsers_args, ctx: leedz.CtlContext) -> None:
        log("  notifyUsers saw id=%s trade=%s seller=%s" % (args.id, args.trade.name, args.seller))


HOSTED = {"booking_helper": (leedz.booking_helper_dispatch, Booking()),
          "async_email_helper": (leedz.async_email_helper_dispatch, Email())}


class TypeScript:
    """The TypeScript controllers: one node process, an event at a time."""

    def __init__(self, js_dir: str) -> None:
        script = __file__.rsplit("/", 2)[0] + "/ts/leedz_controllers.mjs"
        self.node = subprocess.Popen(["node", script, js_dir], stdin=subprocess.PIPE, stdout=subprocess.PIPE)

    def dispatch(self, controller: str, body: bytes) -> "typing.Tuple[bytes, bool]":
        assert self.node.stdin is not None and self.node.stdout is not None
        self.node.stdin.write(json.dumps({"controller": controller, "event": body.decode("utf-8")}).encode() + b"\n")
        self.node.stdin.flush()
        answer = json.loads(self.node.stdout.readline())
        for line in answer["log"]:
            log(line)
        return answer["body"].encode("utf-8"), answer["error"]


TS: "typing.Optional[TypeScript]" = None


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: object) -> None:
        pass

    def reply(self, status: int, body: bytes = b"", headers: "tuple[tuple[str, str], ...]" = ()) -> None:
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        if body:
            self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:
        m = PATH.match(self.path.split("?")[0])
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        name = m.group(1) if m else ""
        if name not in HOSTED:  # the same controllers in either language
            body = b'{"Type":"User","message":"Function not found: %s"}' % name.encode()
            return self.reply(404, body, (("x-amzn-ErrorType", "ResourceNotFoundException"),))
        itype = self.headers.get("X-Amz-Invocation-Type", "RequestResponse")
        dispatch, impl = HOSTED[name]
        log("EVENT %s %s: %s" % (itype, name, body.decode("utf-8", "backslashreplace")))
        if TS is not None:
            answer, failed = TS.dispatch(name, body)
        else:
            r = dispatch(impl, body)
            answer, failed = r.body, r.error is not None
        if itype == "Event":
            return self.reply(202)
        log("  answer: %s" % answer.decode())
        headers = (("X-Amz-Function-Error", "Unhandled"),) if failed else ()
        return self.reply(200, answer, headers)


def main() -> int:
    global TS
    if len(sys.argv) > 3 and sys.argv[2] == "--ts":
        TS = TypeScript(sys.argv[3])
    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    print("PORT %d" % server.server_address[1], flush=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    sys.stdin.read()  # until the test closes it
    server.shutdown()
    if TS is not None:
        assert TS.node.stdin is not None
        TS.node.stdin.close()
        TS.node.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
