#!/usr/bin/env python3
"""test_loop.py BINARY CASE: the Lambda runtime loop of ctl_main against the
loopback Runtime API of rtapi_double.py.

BINARY is ctl_rtapi (hosting rt_main and rt_side of rtapi.ctl), or for the
case `package` the function.zip that ctl_package_lambda made of it. The
package cases take a third argument, how the build links a packaged leaf
(ctl_package_lambda, runtime/README.md "A static leaf"): `static`, or
`dynamic` (under the sanitizers: cJSON still static), or `dynamic-cjson`
(CTL_STATIC_LEAF off: libcjson.so bundled). Each
case scripts the events and the double's answers, runs the binary with a
clean environment (only the Lambda variables), and checks the exit status,
every request the double received in order, and each header and body byte
of the posts. Exits 0 when the case passes, 1 with the reasons otherwise.
"""

import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from rtapi_double import API, Double, Event  # noqa: E402

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
    return cond


# Variables every run of a case gets (case_mi_one's AWS_LAMBDA_MAX_CONCURRENCY).
BASE_ENV = {}


def run(binary, double, handler="rt_main", extra_env=None, timeout=30, max_files=None):
    """Runs the binary with nothing but the Lambda variables (and sanitizer
    options) in its environment; a run that outlives timeout is a hang.
    max_files: its RLIMIT_NOFILE, soft and hard."""
    env = dict(BASE_ENV, AWS_LAMBDA_RUNTIME_API=double.address, PATH="/usr/bin:/bin")
    if handler is not None:
        env["_HANDLER"] = handler
    for k in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"):
        if k in os.environ:
            env[k] = os.environ[k]
    env.update(extra_env or {})
    try:
        limit = (lambda: resource.setrlimit(resource.RLIMIT_NOFILE, (max_files, max_files))) if max_files else None
        return subprocess.run([binary], env=env, capture_output=True, timeout=timeout, preexec_fn=limit)
    except subprocess.TimeoutExpired:
        failures.append(f"{binary} did not exit within {timeout} s (hung)")
        return None


def shape(double):
    return [f"{r.method} {r.path}" for r in double.requests()]


def expect_shape(double, expected):
    got = shape(double)
    check(got == expected, "requests in order:\n  expected %s\n  got      %s" % (expected, got))


def expect_post(double, req, path, body, error_type=None):
    """req: a recorded request; body: the exact bytes expected."""
    check(req.method == "POST" and req.path == API + path, f"expected POST {API}{path}, got {req}")
    check(req.body == body, f"{req.path}: body\n  expected {body!r}\n  got      {req.body!r}")
    check(req.header("Content-Type") == "application/json",
          f"{req.path}: Content-Type {req.header('Content-Type')!r}")
    check(req.header("Content-Length") == str(len(req.body)), f"{req.path}: Content-Length {req.header('Content-Length')!r}")
    check(req.header("Host") == double.address, f"{req.path}: Host {req.header('Host')!r}")
    check(req.header("Expect") is None, f"{req.path}: sent Expect: {req.header('Expect')!r}")
    check(req.header("Lambda-Runtime-Function-Error-Type") == error_type,
          f"{req.path}: Lambda-Runtime-Function-Error-Type {req.header('Lambda-Runtime-Function-Error-Type')!r}, "
          f"expected {error_type!r}")


def expect_get_next(double, req):
    check(req.method == "GET" and req.path == API + "/invocation/next", f"expected GET next, got {req}")
    check(req.header("Host") == double.address, f"GET next: Host {req.header('Host')!r}")


def error_body(type_, message):
    return json.dumps({"errorMessage": message, "errorType": type_, "stackTrace": []},
                      separators=(",", ":"), ensure_ascii=False).encode()


def expect_exit(proc, code, stderr_has=None):
    if proc is None:
        return
    check(proc.returncode == code, f"exit status {proc.returncode}, expected {code}; stderr:\n"
                                   + proc.stderr.decode(errors="replace"))
    if stderr_has:
        check(stderr_has.encode() in proc.stderr, f"stderr lacks {stderr_has!r}: {proc.stderr!r}")


NEXT = f"GET {API}/invocation/next"


def post(path):
    return f"POST {API}{path}"


# ---- cases -------------------------------------------------------------------------


def case_sequence(binary):
    uuid = "8476a536-e9f4-11e8-9739-2dfe598c3fcd"
    deadline = "1542409706888"
    events = [
        Event(uuid, {"function": "echo", "text": "h\u00e9llo \"q\" \u2603"}),
        Event("req-2", {"function": "fail", "error_type": "rt.Boom", "message": "boom 42 \u00e9"}),
        Event("req-3", {"function": "nope"}),
        Event("req-4", b'{"function":"echo","text":'),
        Event("req-5", {"function": "echo"}),
        Event("req-6", {"function": "ctxinfo"}, {
            "Lambda-Runtime-Deadline-Ms": deadline,
            "Lambda-Runtime-Client-Context": '{"client":{"app_title":"leedz"},"custom":{"k":"v"}}',
            "Lambda-Runtime-Cognito-Identity": '{"cognitoIdentityId":"eu-west-1:abc","cognitoIdentityPoolId":"p"}',
        }),
        Event("req-7", {"function": "ctxinfo"}, {
            "Lambda-Runtime-Deadline-Ms": None, "Lambda-Runtime-Invoked-Function-Arn": None,
            "Lambda-Runtime-Trace-Id": None,
        }),
        Event("odd id/8", {"function": "echo", "text": "x"}),
        Event("req-9", {"function": "fail", "error_type": "rt.Bad\r\nX-Injected: 1 \u00e9", "message": "m"}),
    ]
    trace = events[0].headers["Lambda-Runtime-Trace-Id"]
    arn = events[0].headers["Lambda-Runtime-Invoked-Function-Arn"]
    with Double(events) as d:
        proc = run(binary, d)
    expect_exit(proc, 1, "HTTP 500")
    expect_shape(d, [NEXT, post(f"/invocation/{uuid}/response"),
                     NEXT, post("/invocation/req-2/error"),
                     NEXT, post("/invocation/req-3/error"),
                     NEXT, post("/invocation/req-4/error"),
                     NEXT, post("/invocation/req-5/error"),
                     NEXT, post("/invocation/req-6/response"),
                     NEXT, post("/invocation/req-7/response"),
                     NEXT, post("/invocation/odd%20id%2F8/response"),
                     NEXT, post("/invocation/req-9/error"),
                     NEXT])
    r = d.requests()
    if len(r) != 19:
        return
    for i in range(0, 19, 2):
        expect_get_next(d, r[i])
    check(len({x.port for x in r}) == 1, f"not one kept-alive connection: ports {[x.port for x in r]}")
    expect_post(d, r[1], f"/invocation/{uuid}/response", '{"text":"h\u00e9llo \\"q\\" \u2603"}'.encode())
    expect_post(d, r[3], "/invocation/req-2/error", error_body("rt.Boom", "boom 42 \u00e9"), "rt.Boom")
    expect_post(d, r[5], "/invocation/req-3/error",
                error_body("ctl.UnknownFunction", 'controller rt_main has no function "nope"'), "ctl.UnknownFunction")
    expect_post(d, r[7], "/invocation/req-4/error",
                error_body("ctl.InvalidJSON", "the event is not JSON: unexpected end of text at byte 26"),
                "ctl.InvalidJSON")
    expect_post(d, r[9], "/invocation/req-5/error",
                error_body("ctl.InvalidPayload", "$: missing required field \"text\""), "ctl.InvalidPayload")
    # ctx accessors: what the handler saw, as it reported it.
    info = json.loads(r[11].body)
    check(info == {
        "request_id": "req-6", "deadline_ms": int(deadline), "remaining_ok": True, "remaining_ms": 0, "arn": arn,
        "trace": trace, "env_trace": trace,
        "client_context": '{"client":{"app_title":"leedz"},"custom":{"k":"v"}}',
        "cognito": '{"cognitoIdentityId":"eu-west-1:abc","cognitoIdentityPoolId":"p"}',
    }, f"ctxinfo with every header: {info}")
    info = json.loads(r[13].body)
    check(info == {"request_id": "req-7", "deadline_ms": 0, "remaining_ok": True, "remaining_ms": 2**63 - 1},
          f"ctxinfo without the optional headers (and _X_AMZN_TRACE_ID unset again): {info}")
    expect_post(d, r[15], "/invocation/odd%20id%2F8/response", b'{"text":"x"}')
    # An errorType with CR LF and non-ASCII: exact in the body, made safe in the header.
    expect_post(d, r[17], "/invocation/req-9/error", error_body("rt.Bad\r\nX-Injected: 1 \u00e9", "m"),
                "rt.Bad__X-Injected:_1___")
    check(r[17].header("X-Injected") is None, "the errorType injected a header")


def one_event(binary, event, **double_options):
    """Runs the binary for one event: checks that it exits 1 after the
    double's final 500, and that the requests were /next, the post of the
    answer (response or error), /next. Returns (the double, the process,
    the answer's post or None)."""
    with Double([event], **double_options) as d:
        proc = run(binary, d)
    expect_exit(proc, 1, "HTTP 500")
    r = d.requests()
    got = [f"{x.method} {x.path}" for x in r]
    answered = len(r) == 3 and r[1].method == "POST" and r[1].path.startswith(API + f"/invocation/{event.request_id}/")
    check(answered and got[0] == got[2] == NEXT, f"requests: {got}, expected /next, the answer, /next")
    return d, proc, r[1] if answered else None


def case_bad_deadline(binary):
    """A deadline that is not a number is said on stderr, and the handler
    sees none (0, remaining INT64_MAX) rather than a made-up one."""
    event = Event("bd-1", {"function": "ctxinfo"}, {"Lambda-Runtime-Deadline-Ms": "soon",
                                                    "Lambda-Runtime-Trace-Id": None})
    d, proc, answer = one_event(binary, event)
    expect_exit(proc, 1, "request bd-1: Lambda-Runtime-Deadline-Ms 'soon' is not a time in ms")
    if answer and check(answer.path.endswith("/response"), f"answered with {answer}"):
        info = json.loads(answer.body)
        check(info.get("deadline_ms") == 0 and info.get("remaining_ok") is True
              and info.get("remaining_ms") == 2**63 - 1, f"ctxinfo: {info}")


def case_remaining(binary):
    """A deadline 900 s ahead (the double's default): the handler sees that
    time left, less what passed since /next answered (well under 100 s)."""
    d, proc, answer = one_event(binary, Event("rm-1", {"function": "ctxinfo"}))
    if answer and check(answer.path.endswith("/response"), f"answered with {answer}"):
        left = json.loads(answer.body).get("remaining_ms")
        check(isinstance(left, int) and 800000 < left <= 900000, f"remaining_ms {left}, expected just under 900000")


def init_case(binary, handler, message):
    with Double([Event("never", {"function": "echo", "text": "x"})]) as d:
        proc = run(binary, d, handler=handler)
    expect_exit(proc, 1, message)
    expect_shape(d, [post("/init/error")])
    r = d.requests()
    if r:
        expect_post(d, r[0], "/init/error", error_body("ctl.UnknownController", message), "ctl.UnknownController")


def case_init_no_handler(binary):
    init_case(binary, None, "the function's Handler (_HANDLER) must name the controller to run; "
                            "this binary hosts: rt_main, rt_side")


def case_init_unknown_handler(binary):
    init_case(binary, "rt_nope", "the function's Handler (_HANDLER) is 'rt_nope', which this binary does not host; "
                                 "it hosts: rt_main, rt_side")


def case_init_no_aws_part(binary):
    """A leaf (leaf.ctl's leaf_echo: libctl_aws not linked) deployed with
    CTL_IDEMPOTENCY_TABLE set: the loop refuses at init, naming the part,
    rather than running without the store the setting asks for."""
    message = ("CTL_IDEMPOTENCY_TABLE names a table, but this program is linked without libctl_aws (the DynamoDB "
               "idempotency store); link ctl::aws (CMake) or ctl_aws (pkg-config)")
    with Double([Event("never", {"function": "echo", "text": "x"})]) as d:
        proc = run(binary, d, handler="leaf_echo", extra_env={"CTL_IDEMPOTENCY_TABLE": "t"})
    expect_exit(proc, 1, message)
    expect_shape(d, [post("/init/error")])
    r = d.requests()
    if r:
        expect_post(d, r[0], "/init/error", error_body("ctl.UsageError", message), "ctl.UsageError")


def case_too_large(binary):
    events = [Event("big-1", {"function": "big", "size": 5000}), Event("ok-2", {"function": "echo", "text": "y"})]
    with Double(events, response_limit=4096) as d:
        proc = run(binary, d)
    expect_exit(proc, 1, "HTTP 500")
    expect_shape(d, [NEXT, post("/invocation/big-1/response"), post("/invocation/big-1/error"),
                     NEXT, post("/invocation/ok-2/response"), NEXT])
    r = d.requests()
    if len(r) == 6:
        check(r[1].body == b'{"data":"' + b"x" * 5000 + b'"}', "the oversized response, whole")
        expect_post(d, r[2], "/invocation/big-1/error",
                    error_body("ctl.ResponseTooLarge", "the response of 5011 bytes is larger than Lambda accepts"),
                    "ctl.ResponseTooLarge")
        expect_post(d, r[4], "/invocation/ok-2/response", b'{"text":"y"}')


def case_error_too_large(binary):
    """An error object over Lambda's limit (413) is posted again with the
    start of its message, so the caller gets the error, not a timeout."""
    msg = "\u00e9" * 3000  # 6000 bytes of UTF-8: the cut must not split one
    events = [Event("bigerr-1", {"function": "fail", "error_type": "rt.Big", "message": msg}),
              Event("ok-2", {"function": "echo", "text": "y"})]
    with Double(events, response_limit=4096) as d:
        proc = run(binary, d)
    expect_exit(proc, 1, "HTTP 500")
    expect_shape(d, [NEXT, post("/invocation/bigerr-1/error"), post("/invocation/bigerr-1/error"),
                     NEXT, post("/invocation/ok-2/response"), NEXT])
    r = d.requests()
    if len(r) == 6:
        expect_post(d, r[1], "/invocation/bigerr-1/error", error_body("rt.Big", msg), "rt.Big")
        expect_post(d, r[2], "/invocation/bigerr-1/error",
                    error_body("rt.Big", "the error message of 6000 bytes is larger than Lambda accepts; it began: "
                               + "\u00e9" * 500), "rt.Big")


def case_broken_pipe(binary):
    """A handler writing to a closed pipe or socket gets EPIPE; SIGPIPE
    would end the runtime with the invocation unanswered."""
    d, proc, answer = one_event(binary, Event("bp-1", {"function": "broken_pipe"}))
    if answer:
        expect_post(d, answer, "/invocation/bp-1/response", b'{"epipe":true}')


def case_next_500(binary):
    with Double([Event("e-1", {"function": "echo", "text": "x"})], next_status=500) as d:
        proc = run(binary, d)
    expect_exit(proc, 1, "GET /invocation/next: HTTP 500")
    expect_shape(d, [NEXT])


def case_post_500(binary):
    events = [Event("e-1", {"function": "echo", "text": "x"}), Event("e-2", {"function": "echo", "text": "y"})]
    with Double(events, post_status={"/response": 500}) as d:
        proc = run(binary, d)
    expect_exit(proc, 1, "POST response: HTTP 500")
    expect_shape(d, [NEXT, post("/invocation/e-1/response")])


def case_error_post_500(binary):
    events = [Event("e-1", {"function": "fail", "error_type": "rt.X", "message": "m"}),
              Event("e-2", {"function": "echo", "text": "y"})]
    with Double(events, post_status={"/error": 500}) as d:
        proc = run(binary, d)
    expect_exit(proc, 1, "POST error: HTTP 500")
    expect_shape(d, [NEXT, post("/invocation/e-1/error")])


def case_post_403(binary):
    """403 (the invocation already answered or timed out) and 400 on a post
    are logged; the loop goes on with the next event."""
    events = [Event("e-1", {"function": "echo", "text": "x"}),
              Event("e-2", {"function": "fail", "error_type": "rt.X", "message": "m"}),
              Event("e-3", {"function": "echo", "text": "z"})]
    with Double(events, post_status={"/e-1/response": 403, "/e-2/error": 400}) as d:
        proc = run(binary, d)
    expect_exit(proc, 1, "POST response: HTTP 403")
    if proc is not None:
        check(b"POST error: HTTP 400" in proc.stderr, f"stderr: {proc.stderr!r}")
    expect_shape(d, [NEXT, post("/invocation/e-1/response"), NEXT, post("/invocation/e-2/error"),
                     NEXT, post("/invocation/e-3/response"), NEXT])


def case_no_request_id(binary):
    events = [Event("e-1", {"function": "echo", "text": "x"}, {"Lambda-Runtime-Aws-Request-Id": None})]
    with Double(events) as d:
        proc = run(binary, d)
    expect_exit(proc, 1, "without Lambda-Runtime-Aws-Request-Id")
    expect_shape(d, [NEXT])


def case_closed(binary):
    events = [Event("e-1", {"function": "echo", "text": "x"}), Event("e-2", {"function": "echo", "text": "y"})]
    with Double(events, close_next_from=1) as d:
        proc = run(binary, d)
    expect_exit(proc, 1, "GET /invocation/next failed")
    got = shape(d)
    # The loop sends a request again, once, on a fresh connection when a kept one
    # turns out closed (rtapi_http.c); then the second failure ends it.
    check(got[:3] == [NEXT, post("/invocation/e-1/response"), NEXT] and set(got[3:]) <= {NEXT} and len(got) <= 4,
          f"requests: {got}")


def case_keepalive_closed(binary):
    """The double closes every connection after its answer, saying nothing
    (no Connection: close): each next request finds its kept-alive
    connection gone, and the loop opens a fresh one and sends it again.
    Nothing is lost and nothing is answered twice."""
    events = [Event("k-1", {"function": "echo", "text": "a"}),
              Event("k-2", {"function": "fail", "error_type": "rt.K", "message": "m"}),
              Event("k-3", {"function": "echo", "text": "c"})]
    with Double(events, close_after_answer=True) as d:
        proc = run(binary, d)
    expect_exit(proc, 1, "GET /invocation/next: HTTP 500")
    if proc is not None:
        check(b"failed" not in proc.stderr, f"stderr: {proc.stderr!r}")
    expect_shape(d, [NEXT, post("/invocation/k-1/response"), NEXT, post("/invocation/k-2/error"),
                     NEXT, post("/invocation/k-3/response"), NEXT])
    r = d.requests()
    if len(r) != 7:
        return
    check(len({x.port for x in r}) == 7, f"not a fresh connection each time: ports {[x.port for x in r]}")
    expect_post(d, r[1], "/invocation/k-1/response", b'{"text":"a"}')
    expect_post(d, r[3], "/invocation/k-2/error", error_body("rt.K", "m"), "rt.K")
    expect_post(d, r[5], "/invocation/k-3/response", b'{"text":"c"}')


def case_flush_order(binary):
    with Double([]) as d:
        url = f"http://{d.address}/test/ping"
        d.events = [Event("kick-1", {"function": "kick", "url": url, "delay_ms": 300})]
        proc = run(binary, d)
    expect_exit(proc, 1, "HTTP 500")
    # The response goes out before the send has run (the helper waits 300 ms
    # before its side effect), and the side effect lands before the next
    # /next: the loop waited for the handler's send after answering.
    expect_shape(d, [NEXT, post("/invocation/kick-1/response"), "POST /test/ping", NEXT])
    r = d.requests()
    if len(r) == 4:
        expect_post(d, r[1], "/invocation/kick-1/response", b'{"sent":true}')


def invoke_env(double):
    """What the Invoke transport needs to reach the double as Lambda."""
    return {"AWS_ENDPOINT_URL_LAMBDA": f"http://{double.address}", "AWS_REGION": "eu-west-1",
            "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"}


def case_dead_letter(binary):
    """An in-process event that fails for good (3 attempts: its URL refuses
    connections) ends as one JSON line on stderr, Lambda's log, before the
    next /next."""
    url = "http://127.0.0.1:1/refused"
    with Double([Event("dl-1", {"function": "kick", "url": url, "delay_ms": 0})]) as d:
        proc = run(binary, d)
    expect_exit(proc, 1, "HTTP 500")
    expect_shape(d, [NEXT, post("/invocation/dl-1/response"), NEXT])
    if proc is None:
        return
    lines = [l for l in proc.stderr.decode(errors="replace").splitlines() if l.startswith('{"ctl":"dead-letter"')]
    if check(len(lines) == 1, f"expected one dead-letter line on stderr: {proc.stderr!r}"):
        try:
            dl = json.loads(lines[0])
        except ValueError as e:
            check(False, f"the dead-letter line is not JSON ({e}): {lines[0]!r}")
            return
        check(dl.get("controller") == "rt_side" and dl.get("attempts") == 3 and dl.get("errorType") == "rt.Ping"
              and dl.get("errorMessage"), f"dead-letter line {dl}")
        check(dl.get("event") == json.dumps({"function": "ping", "url": url, "delay_ms": 0}, separators=(",", ":")),
              f"dead-letter event {dl.get('event')!r}")


def case_flush_remote(binary):
    """The post-response flush through the Lambda Invoke transport: the
    handler's send to rt_remote (a Lambda function) is acknowledged 300 ms
    after it arrives; the response must be posted before that 202, and the
    next /next must come after it. The send carries the invocation's trace
    (Lambda-Runtime-Trace-Id) as X-Amzn-Trace-Id."""
    trace = "Root=1-6a5b4c3d-0123456789abcdef01234567;Parent=1111222233334444;Sampled=1"
    with Double([Event("kr-1", {"function": "kick_remote", "n": 7}, {"Lambda-Runtime-Trace-Id": trace})],
                invoke_delay=0.3) as d:
        proc = run(binary, d, extra_env=invoke_env(d))
    expect_exit(proc, 1, "HTTP 500")
    got = shape(d)
    invoke = "POST /2015-03-31/functions/rt_remote/invocations"
    check(sorted(got) == sorted([NEXT, post("/invocation/kr-1/response"), invoke, NEXT]) and got[0] == NEXT
          and got[-1] == NEXT, f"requests: {got}")
    if not failures:
        r = d.requests()
        resp = next(x for x in r if x.path.endswith("/response"))
        inv = next(x for x in r if x.path.startswith("/2015-03-31/"))
        expect_post(d, resp, "/invocation/kr-1/response", b'{"sent":true}')
        check(inv.body == b'{"function":"work","n":7}', f"invoke body {inv.body!r}")
        check(inv.header("X-Amz-Invocation-Type") == "Event", f"invocation type {inv.header('X-Amz-Invocation-Type')!r}")
        check(inv.header("X-Amzn-Trace-Id") == trace, f"the send's trace {inv.header('X-Amzn-Trace-Id')!r}")
        check(resp.time < inv.done, "the response waited for the send's 202")
        check(inv.done is not None and inv.done <= r[-1].time, "the next /next came before the send's 202")


def case_flush_chain(binary):
    """The handler's in-process event sends to Lambda itself, 300 ms later:
    the loop must run the in-process events to the end before it waits for
    the remote sends, so that send too is acknowledged before the next /next
    (not left in flight when Lambda freezes the environment). The relayed
    send carries the invocation's trace across the in-process hop."""
    trace = "Root=1-6a5b4c3d-fedcba9876543210fedcba98;Sampled=0"
    with Double([Event("kc-1", {"function": "kick_chain", "n": 9, "delay_ms": 300},
                       {"Lambda-Runtime-Trace-Id": trace})], invoke_delay=0.3) as d:
        proc = run(binary, d, extra_env=invoke_env(d))
    expect_exit(proc, 1, "HTTP 500")
    invoke = "POST /2015-03-31/functions/rt_remote/invocations"
    got = shape(d)
    # The response and the relayed send race (on a loaded machine the
    # response may be posted after the relay's 300 ms); the point is the end.
    check(sorted(got) == sorted([NEXT, post("/invocation/kc-1/response"), invoke, NEXT]) and got[0] == NEXT
          and got[-1] == NEXT, f"requests: {got}")
    if not failures:
        r = d.requests()
        resp = next(x for x in r if x.path.endswith("/response"))
        inv = next(x for x in r if x.path.startswith("/2015-03-31/"))
        expect_post(d, resp, "/invocation/kc-1/response", b'{"sent":true}')
        check(inv.body == b'{"function":"work","n":9}', f"invoke body {inv.body!r}")
        check(inv.header("X-Amzn-Trace-Id") == trace, f"the relayed send's trace {inv.header('X-Amzn-Trace-Id')!r}")
        check(inv.done is not None and inv.done <= r[-1].time, "the next /next came before the relayed send's 202")


SIGNALS = {"SIGSEGV": (signal.SIGSEGV, "SIGSEGV (segmentation fault)"),
           "SIGBUS": (signal.SIGBUS, "SIGBUS (bus error)"),
           "SIGFPE": (signal.SIGFPE, "SIGFPE (arithmetic exception)"),
           "SIGILL": (signal.SIGILL, "SIGILL (illegal instruction)"),
           "SIGABRT": (signal.SIGABRT, "SIGABRT (aborted)"),
           "fault": (signal.SIGSEGV, "SIGSEGV (segmentation fault)"),
           "overflow": (signal.SIGSEGV, "SIGSEGV (segmentation fault)")}


def case_crash(binary, which):
    sig, name = SIGNALS[which]
    arg = {"fault": 0, "overflow": -1}.get(which, int(sig))
    events = [Event("crash-1", {"function": "crash", "signal": arg}), Event("e-2", {"function": "echo", "text": "y"})]
    with Double(events) as d:
        proc = run(binary, d)
    if proc is not None:
        check(proc.returncode == -int(sig), f"exit status {proc.returncode}, expected death by signal {int(sig)}; "
                                            f"stderr: {proc.stderr.decode(errors='replace')}")
    expect_shape(d, [NEXT, post("/invocation/crash-1/error")])
    r = d.requests()
    if len(r) == 2:
        expect_post(d, r[1], "/invocation/crash-1/error",
                    error_body("ctl.HandlerCrashed", f"controller rt_main crashed with signal {name}"),
                    "ctl.HandlerCrashed")


def case_crash_two(binary):
    """A second thread crashes (SIGABRT, 300 ms later) while the first
    crash's report waits for its answer (the double answers after 1.2 s,
    within the 2 s the report waits): the report must not be cut short. The
    process dies of the first signal once the answer is in; one report."""
    events = [Event("two-1", {"function": "crash_two", "delay_ms": 300}), Event("e-2", {"function": "echo", "text": "y"})]
    with Double(events, post_delay={"/error": 1.2}) as d:
        proc = run(binary, d)
    if proc is not None:
        check(proc.returncode == -int(signal.SIGSEGV),
              f"exit status {proc.returncode}, expected death by the first signal (SIGSEGV) after the report's "
              f"answer; stderr: {proc.stderr.decode(errors='replace')}")
    expect_shape(d, [NEXT, post("/invocation/two-1/error")])
    r = d.requests()
    if len(r) == 2:
        expect_post(d, r[1], "/invocation/two-1/error",
                    error_body("ctl.HandlerCrashed", "controller rt_main crashed with signal SIGSEGV (segmentation fault)"),
                    "ctl.HandlerCrashed")


def case_child_crash(binary):
    """A child the handler forked crashes: that is not the invocation's
    crash, so no error report; the handler's own answer goes out."""
    d, proc, answer = one_event(binary, Event("cc-1", {"function": "child_crash"}))
    if answer:
        expect_post(d, answer, "/invocation/cc-1/response", b'{"child_signal":%d}' % int(signal.SIGSEGV))


def case_package(zip_path):
    z = zipfile.ZipFile(zip_path)
    names = z.namelist()
    check("bootstrap" in names, f"no bootstrap in {names}")
    for info in z.infolist():
        mode = info.external_attr >> 16
        check(info.create_system == 3, f"{info.filename}: made on system {info.create_system}, not Unix")
        if info.filename == "bootstrap":
            check(mode == 0o100755, f"bootstrap has mode {oct(mode)}, not 0100755")
        elif info.filename.endswith("/"):
            check(info.filename == "lib/", f"unexpected folder {info.filename}")
        else:
            check(info.filename.startswith("lib/lib") and ".so" in info.filename,
                  f"unexpected entry {info.filename}")
            check(mode & 0o170000 == 0o100000 and mode & 0o444 == 0o444,
                  f"{info.filename}: mode {oct(mode)} (a symlink, or not readable)")
            check(not any(info.filename.startswith("lib/" + g) for g in
                          ("libc.so", "libm.so", "libpthread.so", "libdl.so", "librt.so", "ld-linux")),
                  f"{info.filename}: glibc belongs to the system, not the zip")
    # cJSON is linked in, unless the build has no static cJSON.
    check(("lib/libcjson.so.1" in names) == (LINKAGE == "dynamic-cjson"), f"libcjson.so.1 and {names}")
    run_unpacked(zip_path, "rt_main")


def case_package_leaf(zip_path):
    """A leaf controller's zip (leaf.ctl's leaf_echo: it calls nobody) holds
    the binary alone, linked statically (glibc, cJSON, libctl's core and
    loop), or in a sanitizer build dynamically with cJSON linked in: no
    libcurl, OpenSSL, libmicrohttpd or libsqlite3, which only the parts it
    does not link would need; and it runs from a clean environment."""
    names = sorted(zipfile.ZipFile(zip_path).namelist())
    # A sanitizer build adds its runtime's unwinder (never deployed).
    sanitizer = ("lib/libgcc_s.so", "lib/libasan.so", "lib/libubsan.so")
    rest = [n for n in names if not n.startswith(sanitizer)]
    want = ["bootstrap", "lib/libcjson.so.1"] if LINKAGE == "dynamic-cjson" else ["bootstrap"]
    check(rest == want, f"the leaf's zip holds {names}")
    with zipfile.ZipFile(zip_path) as z, tempfile.NamedTemporaryFile() as f:
        f.write(z.read("bootstrap"))
        f.flush()
        headers = subprocess.run(["readelf", "-l", f.name], capture_output=True, text=True).stdout
    static = "INTERP" not in headers and "DYNAMIC" not in headers
    if LINKAGE == "static":
        check(names == ["bootstrap"], f"the static leaf's zip holds {names}")
        check("Elf file type is EXEC" in headers and static, f"the leaf is not a static executable:\n{headers}")
    else:
        check(not static, f"the leaf is static, but {LINKAGE} was expected:\n{headers}")
    proc = run_unpacked(zip_path, "leaf_echo")
    check(proc is None or b"sends to controllers" not in proc.stderr,
          "the leaf, which links no Lambda transport, spoke of one")


def case_package_caller(zip_path):
    """A controller whose stubs reach one it does not host (leaf.ctl's
    leaf_caller): its binary does not link libcurl or libcrypto, which
    libctl_aws opens at the first send or call, yet its zip bundles them
    (the binary's section .ctl_dlopen names them); it answers an event
    without them, and its call to leaf_echo opens them from the zip and
    fails as a transport without credentials does."""
    names = zipfile.ZipFile(zip_path).namelist()
    check(any(n.startswith("lib/libcurl.so") for n in names), f"no libcurl in the caller's zip: {names}")
    check(any(n.startswith("lib/libcrypto.so") for n in names), f"no libcrypto in the caller's zip: {names}")
    check(not any(n.startswith(("lib/libmicrohttpd.so", "lib/libsqlite3.so")) for n in names),
          f"the caller's zip has serve's or the local store's libraries: {names}")
    with zipfile.ZipFile(zip_path) as z:
        with tempfile.NamedTemporaryFile() as f:
            f.write(z.read("bootstrap"))
            f.flush()
            dyn = subprocess.run(["readelf", "-d", f.name], capture_output=True, text=True).stdout
    check("libcurl" not in dyn and "libcrypto" not in dyn, f"the caller links libcurl or libcrypto:\n{dyn}")
    proc = run_unpacked(zip_path, "leaf_caller", relay=True)
    check(proc is None or b"sends to controllers not hosted here will fail" not in proc.stderr,
          "the loop spoke of the transport at start")


def case_package_leaf_mi(zip_path):
    """The leaf's zip (static, in a build that links it so) with 4 pollers
    (AWS_LAMBDA_MAX_CONCURRENCY): threads in a static glibc program; 8
    echoes handed out 4 at a time, each answered once with its own text, on
    4 connections."""
    tmp = tempfile.mkdtemp(prefix="ctl-pkg-")
    try:
        subprocess.run(["unzip", "-q", zip_path, "-d", tmp], check=True)
        events = [Event(f"lm-{i}", {"function": "echo", "text": f"t{i}"}) for i in range(8)]
        with Double(events, batch=4) as d:
            proc = run(os.path.join(tmp, "bootstrap"), d, handler="leaf_echo",
                       extra_env=dict(mi_env(4), PATH="/nonexistent"))
        expect_exit(proc, 1, "HTTP 500")
        got = answers(d)
        check(sorted(got) == sorted(f"lm-{i}" for i in range(8)), f"answered {sorted(got)}")
        for rid, posts in got.items():
            if check(len(posts) == 1, f"{rid} answered {len(posts)} times"):
                expect_post(d, posts[0], f"/invocation/{rid}/response", b'{"text":"t%s"}' % rid[3:].encode())
        ports = {r.port for r in d.requests() if r.method == "GET"}
        check(len(ports) == 4, f"/next came on {len(ports)} connections, not 4")
    finally:
        shutil.rmtree(tmp)


def case_host_name(binary):
    """AWS_LAMBDA_RUNTIME_API with a host name (localhost) in a dynamic
    program: glibc's resolver gives its addresses (::1 may come first, where
    nobody listens: the next is tried), and the loop runs as with 127.0.0.1."""
    with Double([Event("hn-1", {"function": "echo", "text": "by name"})]) as d:
        port = d.address.rsplit(":", 1)[1]
        proc = run(binary, d, extra_env={"AWS_LAMBDA_RUNTIME_API": "localhost:" + port})
    expect_exit(proc, 1, "HTTP 500")
    expect_shape(d, [NEXT, post("/invocation/hn-1/response"), NEXT])
    r = d.requests()
    if len(r) == 3:
        check(r[1].body == b'{"text":"by name"}', f"the answer: {r[1].body!r}")
        check(r[0].header("Host") == "localhost:" + port, f"Host {r[0].header('Host')!r}")


def case_static_host_name(zip_path):
    """The static leaf links no resolver (glibc's getaddrinfo would load NSS's
    shared libraries): a numeric AWS_LAMBDA_RUNTIME_API (Lambda's) works
    (package_leaf), a host name fails the start, saying why."""
    tmp = tempfile.mkdtemp(prefix="ctl-pkg-")
    try:
        subprocess.run(["unzip", "-q", zip_path, "-d", tmp], check=True)
        with Double([]) as d:
            port = d.address.rsplit(":", 1)[1]
            api = "localhost:" + port
            proc = run(os.path.join(tmp, "bootstrap"), d, handler="leaf_echo",
                       extra_env={"AWS_LAMBDA_RUNTIME_API": api, "PATH": "/nonexistent"})
        expect_exit(proc, 1, f"AWS_LAMBDA_RUNTIME_API '{api}': 'localhost' is a host name, but this program is "
                             "linked statically, without glibc's resolver: give a numeric address (Lambda's is "
                             "127.0.0.1:9001), or link it dynamically (ctl_package_lambda's DYNAMIC)")
        expect_shape(d, [])
    finally:
        shutil.rmtree(tmp)


def run_unpacked(zip_path, handler, relay=False):
    """Unpacks the zip as Lambda does, runs its bootstrap with only Lambda's
    variables and the system's folders first on LD_LIBRARY_PATH, and checks
    that it answers one echo event; with relay, a second event whose handler
    calls a controller it does not host, which must fail as a Lambda
    transport without credentials does (libcurl and libcrypto opened from
    the zip at that call). The process (or None)."""
    proc = None
    tmp = tempfile.mkdtemp(prefix="ctl-pkg-")
    try:
        # unzip keeps the modes, as Lambda does when it unpacks to /var/task.
        subprocess.run(["unzip", "-q", zip_path, "-d", tmp], check=True)
        boot = os.path.join(tmp, "bootstrap")
        check(os.access(boot, os.X_OK), "bootstrap is not executable once unpacked")
        lib = os.path.join(tmp, "lib")
        # Lambda's LD_LIBRARY_PATH puts the system's folders (/lib64,
        # /usr/lib64) before /var/task/lib; here the system's are Debian's,
        # which hold the same libraries: the bundled ones must still win.
        sysdirs = [d for d in ("/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64", "/usr/lib64",
                               "/lib/aarch64-linux-gnu", "/usr/lib/aarch64-linux-gnu") if os.path.isdir(d)]
        ld_path = ":".join(sysdirs + [tmp, lib])
        dyn = subprocess.run(["readelf", "-d", boot], capture_output=True, text=True).stdout
        static = "There is no dynamic section" in dyn
        check(static or ("(RPATH)" in dyn and "[$ORIGIN/lib]" in dyn and "(RUNPATH)" not in dyn),
              f"bootstrap lacks a DT_RPATH of $ORIGIN/lib:\n{dyn}")
        check("libcjson" not in dyn or LINKAGE == "dynamic-cjson", f"bootstrap links libcjson.so:\n{dyn}")
        ldd = subprocess.run(["ldd", boot], env={"LD_LIBRARY_PATH": ld_path}, capture_output=True, text=True)
        check("not found" not in ldd.stdout, f"unresolved libraries:\n{ldd.stdout}")
        for line in ldd.stdout.splitlines() if not static else []:
            if "=>" in line and "/lib" in line:
                path = line.split("=>")[1].split("(")[0].strip()
                base = os.path.basename(path)
                glibc = base.startswith(("libc.so", "libm.so", "libpthread", "libdl.so", "librt.so",
                                         "libresolv.so", "ld-linux"))
                check(glibc or path.startswith(tmp), f"{base} would come from the system: {path}")
        events = [Event("pkg-1", {"function": "echo", "text": "from the zip"})]
        if relay:
            events.append(Event("pkg-2", {"function": "echo", "text": ">to leaf_echo"}))
        with Double(events) as d:
            proc = run(boot, d, extra_env={"LD_LIBRARY_PATH": ld_path, "PATH": "/nonexistent"}, handler=handler)
        expect_exit(proc, 1, "HTTP 500")
        shape = [NEXT, post("/invocation/pkg-1/response"), NEXT]
        if relay:
            shape += [post("/invocation/pkg-2/error"), NEXT]
        expect_shape(d, shape)
        r = d.requests()
        if len(r) == len(shape):
            expect_post(d, r[1], "/invocation/pkg-1/response", b'{"text":"from the zip"}')
        if relay and len(r) == len(shape):
            body = json.loads(r[3].body)
            check(body.get("errorType") == "leaf.Relay" and
                  "the Lambda transport could not start: " in body.get("errorMessage", "") and
                  "cannot open" not in body.get("errorMessage", ""),
                  f"the relayed call: {body}")
    finally:
        shutil.rmtree(tmp)
    return proc


# ---- concurrent pollers (AWS_LAMBDA_MAX_CONCURRENCY) --------------------------------


def mi_env(n):
    return {"AWS_LAMBDA_MAX_CONCURRENCY": str(n)}


def trace_of(i):
    return f"Root=1-5759e988-{i:024x};Parent=53995c3f42cd8ad8;Sampled=1"


def answers(double):
    """The posts answering invocations: {request id: [requests]}."""
    out = {}
    for r in double.requests():
        if r.method == "POST" and r.path.startswith(API + "/invocation/"):
            out.setdefault(r.path[len(API + "/invocation/"):].rsplit("/", 1)[0], []).append(r)
    return out


def handed(log):
    """The /next requests of log that handed out an event: {request id: request}."""
    return {r.event_id: r for r in log if r.event_id is not None}


def next_after(log, rid):
    """The first GET /next of log on the connection of rid's poller after
    rid's answer, or None."""
    nx = handed(log).get(rid)
    if nx is None:
        return None
    port = nx.port
    posted = [i for i, r in enumerate(log) if r.method == "POST" and r.path.startswith(f"{API}/invocation/{rid}/")]
    if not posted:
        return None
    return next((r for r in log[posted[-1]:] if r.port == port and r.method == "GET"
                 and r.path == API + "/invocation/next"), None)


def case_mi_bad_concurrency(binary):
    """A value of AWS_LAMBDA_MAX_CONCURRENCY that is no whole number from 1
    to 1600 fails the start: init/error, ctl.UsageError, naming the rule."""
    for value in ["0", "1601", "abc", "", "-3", "+4", " 4", "4 ", "2.5", "99999999999999999999", "x" * 60]:
        shown = value if len(value) <= 40 else value[:40] + "..."
        message = (f"AWS_LAMBDA_MAX_CONCURRENCY is '{shown}', not a whole number of pollers from 1 to 1600 "
                   f"(Lambda's range of PerExecutionEnvironmentMaxConcurrency)")
        with Double([Event("never", {"function": "echo", "text": "x"})]) as d:
            proc = run(binary, d, extra_env={"AWS_LAMBDA_MAX_CONCURRENCY": value})
        expect_exit(proc, 1, message)
        expect_shape(d, [post("/init/error")])
        r = d.requests()
        if r:
            expect_post(d, r[0], "/init/error", error_body("ctl.UsageError", message), "ctl.UsageError")


def case_mi_files(binary):
    """1600 pollers need 1600 connections: a process that may open fewer
    files (RLIMIT_NOFILE, here 200 and not to be raised) fails the start,
    naming the limit; one that leaves room for the connections but not for
    a crash report's one more each starts and says so."""
    message = ("AWS_LAMBDA_MAX_CONCURRENCY is 1600: its pollers need 1664 open files, but the process may open 200 "
               "(RLIMIT_NOFILE)")
    with Double([Event("never", {"function": "echo", "text": "x"})]) as d:
        proc = run(binary, d, extra_env=mi_env(1600), max_files=200)
    expect_exit(proc, 1, message)
    expect_shape(d, [post("/init/error")])
    r = d.requests()
    if r:
        expect_post(d, r[0], "/init/error", error_body("ctl.UsageError", message), "ctl.UsageError")
    with Double([Event("f-1", {"function": "echo", "text": "y"})], batch=0) as d:
        proc = run(binary, d, extra_env=mi_env(100), max_files=200)
    expect_exit(proc, 1, "AWS_LAMBDA_MAX_CONCURRENCY is 100 and the process may open 200 files (RLIMIT_NOFILE): "
                         "a crash report may not reach every invocation in flight")
    check(len(answers(d).get("f-1", [])) == 1, f"requests: {shape(d)}")


def case_mi_threads(binary):
    """1600 pollers in 1 GiB of address space: their threads' stacks do not
    fit, a thread cannot be made, and the start fails (init/error naming
    the poller), no poller having asked for an event. Not for sanitizer
    builds, whose shadow memory needs more address space than that."""
    with Double([Event("never", {"function": "echo", "text": "x"})]) as d:
        env = dict(BASE_ENV, AWS_LAMBDA_RUNTIME_API=d.address, PATH="/usr/bin:/bin", _HANDLER="rt_main",
                   **mi_env(1600))
        space = lambda: resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))  # noqa: E731
        proc = subprocess.run([binary], env=env, capture_output=True, timeout=60, preexec_fn=space)
    expect_exit(proc, 1, "cannot start poller ")
    expect_shape(d, [post("/init/error")])
    r = d.requests()
    if r:
        body = json.loads(r[0].body)
        message = body.get("errorMessage", "")
        check(body.get("errorType") == "ctl.OutOfMemory" and message.startswith("cannot start poller ")
              and " of 1600: " in message, f"init/error {body}")
        check(r[0].header("Lambda-Runtime-Function-Error-Type") == "ctl.OutOfMemory", "the error type header")


def case_mi_one(binary):
    """AWS_LAMBDA_MAX_CONCURRENCY=1 is the loop without it: the sequence
    case, byte for byte (one connection, _X_AMZN_TRACE_ID set)."""
    BASE_ENV.update(mi_env(1))
    case_sequence(binary)


def case_mi_interleaved(binary):
    """Four pollers, twelve invocations handed out four at a time: each
    answer goes to its own request id, once; none is lost; each handler saw
    its own invocation (request id, deadline, remaining time, trace, client
    context) after sleeping while the others ran; the environment holds no
    invocation's trace; each poller keeps its own connection."""
    n, count = 4, 12
    base = int(time.time() * 1000) + 600000
    events, want = [], {}
    for i in range(count):
        rid = f"mi-{i}"
        deadline = base + i * 100000  # 100 s apart: each invocation's remaining time is its own
        cc = json.dumps({"custom": {"i": i}}, separators=(",", ":"))
        events.append(Event(rid, {"function": "hold", "url": "", "ms": [40, 5, 20, 0][i % 4]},
                            {"Lambda-Runtime-Deadline-Ms": str(deadline), "Lambda-Runtime-Trace-Id": trace_of(i),
                             "Lambda-Runtime-Client-Context": cc}))
        want[rid] = (deadline, trace_of(i), cc)
    with Double(events, batch=n) as d:
        proc = run(binary, d, extra_env=mi_env(n))
    expect_exit(proc, 1, "HTTP 500")
    got, out = answers(d), handed(d.requests())
    check(sorted(got) == sorted(want), f"answered {sorted(got)}, expected {sorted(want)}")
    check(sorted(out) == sorted(want), f"handed out {sorted(out)}")
    log = d.requests()
    nexts = [r for r in log if r.method == "GET"]
    check(len({r.port for r in nexts}) == n, f"/next came on {len({r.port for r in nexts})} connections, not {n}")
    first_answer = next((i for i, r in enumerate(log) if r.method == "POST"), len(log))
    check(sum(1 for r in log[:first_answer] if r.event_id) == n,
          f"not {n} invocations in flight before the first answer: {shape(d)[:first_answer + 1]}")
    remaining = []
    for rid, posts in got.items():
        if not check(len(posts) == 1, f"{rid} answered {len(posts)} times: {posts}"):
            continue
        r, nx = posts[0], out.get(rid)
        check(r.path.endswith("/response"), f"{rid}: {r} ({r.body!r})")
        check(nx is not None and r.port == nx.port, f"{rid}: answered on another poller's connection")
        if rid not in want or nx is None or not r.path.endswith("/response"):
            continue
        deadline, trace, cc = want[rid]
        info = json.loads(r.body)
        left = info.get("remaining_ms")
        check(info.get("request_id") == rid and info.get("deadline_ms") == deadline and info.get("trace") == trace
              and info.get("client_context") == cc and "env_trace" not in info, f"{rid}: the handler saw {info}")
        # The handler read its clock between the double's answer and its
        # post (wall clock, as the deadline): its remaining time lies between.
        lo, hi = deadline - int(r.wall * 1000) - 1, deadline - int(nx.handed * 1000) + 1
        check(isinstance(left, int) and lo <= left <= hi, f"{rid}: remaining {left} ms outside [{lo}, {hi}]")
        remaining.append(left)
    check(len(set(remaining)) == len(remaining), f"remaining times not each invocation's own: {remaining}")


def case_mi_flush(binary):
    """Three pollers, three invocations at once, each sending: A to a Lambda
    function (whose 202 the double holds until B's and C's pollers have come
    back for more), B in-process to a relay that sends to Lambda 200 ms
    later, C in-process to a ping. Each poller's next /next waits for its
    own invocation's sends, and for nothing of the others': B and C come
    back while A's send is still held. Each remote send carries its own
    invocation's trace."""
    with Double([], batch=3, invoke_delay=0.0) as d:
        ping = f"http://{d.address}/test/ping?inv=C"
        d.events = [Event("A", {"function": "kick_remote", "n": 1}, {"Lambda-Runtime-Trace-Id": trace_of(1)}),
                    Event("B", {"function": "kick_chain", "n": 2, "delay_ms": 200},
                          {"Lambda-Runtime-Trace-Id": trace_of(2)}),
                    Event("C", {"function": "kick", "url": ping, "delay_ms": 100},
                          {"Lambda-Runtime-Trace-Id": trace_of(3)})]
        # Called by the double under its lock, with its log.
        d.invoke_gate[b'{"function":"work","n":1}'] = \
            lambda log: next_after(log, "B") is not None and next_after(log, "C") is not None
        proc = run(binary, d, extra_env=dict(invoke_env(d), **mi_env(3)))
    expect_exit(proc, 1, "HTTP 500")
    got = answers(d)
    check(sorted(got) == ["A", "B", "C"] and all(len(v) == 1 for v in got.values()), f"answers {got}")
    if failures:
        return
    for rid in "ABC":
        expect_post(d, got[rid][0], f"/invocation/{rid}/response", b'{"sent":true}')
    log = d.requests()
    work = {x.body: x for x in log if x.path.startswith("/2015-03-31/")}
    inv_a, inv_b = work.get(b'{"function":"work","n":1}'), work.get(b'{"function":"work","n":2}')
    pings = [x for x in log if x.path == "/test/ping?inv=C"]
    if not check(inv_a and inv_b and len(pings) == 1 and len(work) == 2, f"sends: {shape(d)}"):
        return
    check(inv_a.gate == "opened", "B's and C's pollers waited for A's send (its 202 was held until they came back)")
    check(inv_a.header("X-Amzn-Trace-Id") == trace_of(1), f"A's send's trace {inv_a.header('X-Amzn-Trace-Id')!r}")
    check(inv_b.header("X-Amzn-Trace-Id") == trace_of(2), f"B's relayed send's trace {inv_b.header('X-Amzn-Trace-Id')!r}")
    for rid, done in (("A", inv_a.done), ("B", inv_b.done), ("C", pings[0].time)):
        nx = next_after(log, rid)
        check(nx is not None and done <= nx.time, f"{rid}'s poller came back for more before its send ended")


def case_mi_crash(binary):
    """Four invocations at once; one crashes (SIGSEGV on its poller's
    thread) once the three others run. Its error names the crash
    (ctl.HandlerCrashed); each other gets Runtime.ExitError naming the
    invocation that crashed, since the process ends under it; stderr names
    it too; the process dies of the signal."""
    with Double([], batch=4) as d:
        started = f"http://{d.address}/test/started"
        d.events = [Event(f"h-{i}", {"function": "hold", "url": started, "ms": 30000}) for i in range(3)]
        d.events.insert(1, Event("crash-1", {"function": "crash_after",
                                             "url": f"http://{d.address}/test/wait_started?n=3"}))
        proc = run(binary, d, extra_env=mi_env(4))
    if proc is not None:
        check(proc.returncode == -int(signal.SIGSEGV), f"exit status {proc.returncode}, expected death by SIGSEGV; "
                                                       f"stderr: {proc.stderr.decode(errors='replace')}")
        check(b"ctl: invocation crash-1 of controller rt_main crashed with signal SIGSEGV (segmentation fault); "
              b"Runtime.ExitError posted for the 3 other invocations in flight" in proc.stderr,
              f"stderr: {proc.stderr!r}")
    got = answers(d)
    check(sorted(got) == ["crash-1", "h-0", "h-1", "h-2"] and all(len(v) == 1 for v in got.values()),
          f"answers {got}")
    if failures:
        return
    expect_post(d, got["crash-1"][0], "/invocation/crash-1/error",
                error_body("ctl.HandlerCrashed", "controller rt_main crashed with signal SIGSEGV (segmentation fault)"),
                "ctl.HandlerCrashed")
    for i in range(3):
        expect_post(d, got[f"h-{i}"][0], f"/invocation/h-{i}/error",
                    error_body("Runtime.ExitError", "the process ended while this invocation ran: invocation crash-1 "
                               "of controller rt_main crashed with signal SIGSEGV (segmentation fault)"),
                    "Runtime.ExitError")
    check(sum(1 for r in d.requests() if r.method == "GET" and r.path == API + "/invocation/next") == 4,
          f"requests: {shape(d)}")


def case_mi_overflow(binary):
    """A stack overflow in a handler on a poller's thread (not the main
    thread's, with three pollers) is reported too: each poller has its own
    alternate signal stack."""
    with Double([Event("ov-1", {"function": "crash", "signal": -1})]) as d:
        proc = run(binary, d, extra_env=mi_env(3))
    if proc is not None:
        check(proc.returncode == -int(signal.SIGSEGV), f"exit status {proc.returncode}, expected death by SIGSEGV; "
                                                       f"stderr: {proc.stderr.decode(errors='replace')}")
    got = answers(d)
    if check(list(got) == ["ov-1"] and len(got["ov-1"]) == 1, f"answers {got}"):
        expect_post(d, got["ov-1"][0], "/invocation/ov-1/error",
                    error_body("ctl.HandlerCrashed", "controller rt_main crashed with signal SIGSEGV (segmentation fault)"),
                    "ctl.HandlerCrashed")


# How the build links a packaged leaf: the package cases' third argument.
LINKAGE = None


def main():
    global LINKAGE
    if len(sys.argv) not in (3, 4) or sys.argv[3:] not in ([], ["static"], ["dynamic"], ["dynamic-cjson"]):
        print(__doc__, file=sys.stderr)
        return 2
    binary, case = sys.argv[1], sys.argv[2]
    LINKAGE = sys.argv[3] if len(sys.argv) == 4 else None
    if case.startswith("package") and LINKAGE is None:
        print(f"{case}: give the linkage (static, dynamic or dynamic-cjson)", file=sys.stderr)
        return 2
    if "case_" + case in globals():
        globals()["case_" + case](binary)
    elif case.startswith("crash_") and case[len("crash_"):] in SIGNALS:
        case_crash(binary, case[len("crash_"):])
    else:
        print(f"unknown case {case}", file=sys.stderr)
        return 2
    for f in failures:
        print("FAIL:", f)
    if not failures:
        print(f"{case}: ok")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
