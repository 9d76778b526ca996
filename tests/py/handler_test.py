"""handler_test.py MODULE_DIR: the controller and caller sides of a module
`ctlc py` wrote for tests/gen/alltypes.ctl, without AWS: Lambda's
handler(event, context) (results as Python values, errors raised with the
errorType as their class name), the stubs over a stand-in Lambda client
that runs the Python controller in-process (typed results, function errors,
arguments refused before sending, routing by CTL_FUNCTION_ECHO), and the
writers' refusals in the readers' words."""
import io
import math
import os
import sys
import typing

sys.path.insert(0, sys.argv[1])
import alltypes as t  # noqa: E402  (the generated module)

checks = 0


def expect(what: str, got: typing.Any, want: typing.Any) -> None:
    global checks
    checks += 1
    if got != want:
        sys.exit("FAIL: %s: got %r, want %r" % (what, got, want))


def raises(what: str, fn: typing.Callable[[], typing.Any], cls: typing.Type[BaseException],
           error_type: str, message: str) -> None:
    try:
        fn()
    except cls as e:
        expect(what + " (class name)", type(e).__name__, error_type)
        if isinstance(e, t.CtlError):
            expect(what + " (errorType)", e.error_type, error_type)
            expect(what + " (message)", e.message, message)
        return
    sys.exit("FAIL: %s: nothing raised" % what)


class Echo:
    def all(self, args: t.echo_all_args, ctx: t.CtlContext) -> t.All:
        return args.v

    def tree(self, args: t.echo_tree_args, ctx: t.CtlContext) -> t.Tree:
        return args.t

    def flat(self, args: t.echo_flat_args, ctx: t.CtlContext) -> t.echo_flat_result:
        if args.id == "boom":
            raise ValueError("boom")
        if args.id == "bad-result":
            return t.echo_flat_result(id="", n=1, c=t.Color.red, x=math.inf)
        return t.echo_flat_result(id=args.id, n=args.n, x=args.x, c=args.c)

    def fire(self, args: t.echo_fire_args, ctx: t.CtlContext) -> None:
        fired.append(args.id)

    def fail(self, args: t.echo_fail_args, ctx: t.CtlContext) -> None:
        if args.error_type is not None:
            raise t.CtlError(args.error_type, args.message)
        raise t.CtlFailed()

    def ping(self, args: t.echo_ping_args, ctx: t.CtlContext) -> None:
        return None


fired: typing.List[str] = []


class InProcessLambda:
    """boto3's Lambda client, as far as the stubs use it, over echo_dispatch."""

    def __init__(self) -> None:
        self.calls: typing.List[typing.Tuple[str, str, bytes]] = []

    def invoke(self, FunctionName: str, InvocationType: str, Payload: bytes) -> typing.Dict[str, typing.Any]:
        self.calls.append((FunctionName, InvocationType, Payload))
        r = t.echo_dispatch(Echo(), Payload)
        if InvocationType == "Event":
            return {"StatusCode": 202, "Payload": io.BytesIO(b"")}
        answer: typing.Dict[str, typing.Any] = {"StatusCode": 200, "Payload": io.BytesIO(r.body)}
        if r.error is not None:
            answer["FunctionError"] = "Unhandled"
        return answer


def main() -> int:
    h = t.echo_handler(Echo())
    expect("handler: a result as Python's value", h({"function": "flat", "id": "a", "n": 1}, None),
           {"id": "a", "n": 1, "c": "red"})
    expect("handler: an async function answers None", h({"function": "fire", "id": "f", "n": 1}, None), None)
    expect("handler: the async function ran", fired, ["f"])
    raises("handler: @length", lambda: h({"function": "flat", "id": "", "n": 1}, None), t.CtlError,
           "ctl.InvalidPayload", "$.id: length 0 is outside 1..64")
    raises("handler: unknown function", lambda: h('{"function":"nope"}', None), t.CtlError,
           "ctl.UnknownFunction", 'controller echo has no function "nope"')
    raises("handler: not JSON", lambda: h(b"{", None), t.CtlError, "ctl.InvalidJSON",
           "the event is not JSON: expected a string key at byte 1")
    raises("handler: a handler's own exception", lambda: h({"function": "flat", "id": "boom", "n": 1}, None),
           t.CtlError, "ctl.HandlerError", "echo.flat failed: ValueError: boom")
    raises("handler: a result that breaks the contract",
           lambda: h({"function": "flat", "id": "bad-result", "n": 1}, None), t.CtlError, "ctl.InvalidResult",
           "$.x: Infinity is not a finite number")
    raises("handler: CtlFailed", lambda: h({"function": "fail", "message": "m"}, None), t.CtlError,
           "ctl.HandlerError", "echo.fail failed without saying why")

    lam = InProcessLambda()
    os.environ.pop("CTL_FUNCTION_ECHO", None)
    c = t.echo_client(lambda_client=lam)
    r = c.call_flat(t.echo_flat_args(id="a", n=2, x=0.5))
    expect("stub: a typed result", r, t.echo_flat_result(id="a", n=2, x=0.5, c=t.Color.red))
    expect("stub: the event's bytes", lam.calls[-1],
           ("echo", "RequestResponse", b'{"function":"flat","id":"a","n":2,"x":0.5,"c":"red"}'))
    raises("stub: a function error", lambda: c.call_fail(t.echo_fail_args(message="no", error_type="app.No")),
           t.CtlFunctionError, "app.No", "no")
    n = len(lam.calls)
    raises("stub: arguments refused", lambda: c.call_flat(t.echo_flat_args(id="x" * 65, n=1)),
           t.CtlInvalidArguments, "ctl.InvalidArguments", "$.id: length 65 is outside 1..64")
    expect("stub: nothing sent for refused arguments", len(lam.calls), n)
    c.send_fire(t.echo_fire_args(id="s", n=1))
    expect("stub: send is an Event", lam.calls[-1][:2], ("echo", "Event"))
    expect("stub: ping's event", (c.call_ping(t.echo_ping_args()), lam.calls[-1][2]),
           (None, b'{"function":"ping"}'))
    os.environ["CTL_FUNCTION_ECHO"] = "prod-echo"
    t.echo_client(lambda_client=lam).send_ping(t.echo_ping_args())
    expect("stub: routed by CTL_FUNCTION_ECHO", lam.calls[-1][0], "prod-echo")

    inner = t.Inner(name="n")
    good = t.All(s="a", i=1, f=1.5, b=True, j=None, c=t.Color.red, inner=inner, ls=[], li=[], lf=[], lb=[], lc=[],
                 linner=[], lls=[], lj=[], ms={}, mi={}, minner={}, mls={}, lsmall=[])
    for field, value, message in [
            ("f", math.nan, "$.f: NaN is not a finite number"),
            ("i", 2 ** 63, "$.i: integer 9223372036854775808 is out of the signed 64-bit range"),
            ("s", "\ud800", "$.s: string is not valid UTF-8"),
            ("s", "a\0", "$.s: string holds U+0000"),
            ("s", None, '$: missing required field "s"'),
            ("s", 1, "$.s: expected string, got number"),
            ("ri", 101, "$.ri: 101 is outside -100..100"),
            ("ss", "", "$.ss: length 0 is outside 1..8"),
            ("lsmall", [1, 2, 3, 4], "$.lsmall: length 4 is above the maximum 3"),
            ("mnonempty", {}, "$.mnonempty: length 0 is below the minimum 1"),
            ("c", "red", "$.c: 'red' is not a member of enum Color"),
            ("ms", {"k\ud800": "v"}, '$.ms["k\\u00ed\\u00a0\\u0080"]: key is not valid UTF-8'),
            ("j", [math.inf], "$.j[0]: Infinity is not a finite number")]:
        bad = t.All(**{**good.__dict__, field: value})
        raises("writer: %s = %r" % (field, value), lambda: t.write_All(bad), t.CtlError, "ctl.InvalidPayload",
               message)
    expect("writer: a good value reads back", t.read_All(t.write_All(good)), good)
    print("handler_test: %d checks passed" % checks)
    return 0


if __name__ == "__main__":
    sys.exit(main())
