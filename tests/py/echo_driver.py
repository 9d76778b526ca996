"""echo_driver.py MODULE_DIR EVENT...: the test controller `echo` of
tests/gen/alltypes.ctl in Python, as a driver of tests/lang/verdict.py.

The handlers do what tests/gen/echo.c's do, on the module `ctlc py` wrote
into MODULE_DIR (alltypes.py). For each event file it prints one JSON line
{"file": NAME, "stdout": TEXT, "exit": N}: what `ctl_echo invoke -` prints
for that event (the answer and a newline) and its exit status (0, or 1 for
an error object)."""
import json
import os
import sys
import typing

sys.path.insert(0, sys.argv[1])
import alltypes as t  # noqa: E402  (the generated module)


class Echo:
    """tests/gen/echo.c's handlers."""

    def all(self, args: t.echo_all_args, ctx: t.CtlContext) -> t.All:
        return args.v

    def tree(self, args: t.echo_tree_args, ctx: t.CtlContext) -> t.Tree:
        return args.t

    def flat(self, args: t.echo_flat_args, ctx: t.CtlContext) -> t.echo_flat_result:
        return t.echo_flat_result(id=args.id, n=args.n, x=args.x, c=args.c)

    def fire(self, args: t.echo_fire_args, ctx: t.CtlContext) -> None:
        if args.n < 0:  # echo.c: a failure on request; `invoke` is attempt 0
            raise t.CtlError("test.FireFailed", "fire %s failed on attempt 0" % args.id)

    def fail(self, args: t.echo_fail_args, ctx: t.CtlContext) -> None:
        if args.error_type is not None:
            raise t.CtlError(args.error_type, args.message)
        raise t.CtlFailed()

    def ping(self, args: t.echo_ping_args, ctx: t.CtlContext) -> None:
        return None


def main() -> int:
    impl = Echo()
    for path in sys.argv[2:]:
        with open(path, "rb") as f:
            event = f.read()
        r = t.echo_dispatch(impl, event)
        print(json.dumps({"file": os.path.basename(path),
                          "stdout": (r.body + b"\n").decode("utf-8", "backslashreplace"),
                          "exit": 1 if r.error is not None else 0}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
