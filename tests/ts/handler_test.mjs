// handler_test.mjs JS_DIR: the controller side of the TypeScript module of
// tests/gen/alltypes.ctl (compiled into JS_DIR by build_echo.py): Lambda's
// Node.js handler handlerEcho over typed functions (a parsed event in, the
// result parsed out, an error thrown with the errorType as its name and
// libctl's message) and dispatchEcho on event text. Each check can fail;
// prints the count.
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';

const dir = process.argv[2];
const t = await import(pathToFileURL(`${dir}/alltypes.js`).href);
const ctl = await import(pathToFileURL(`${dir}/ctl_runtime.js`).href);

let seen = null;
const impl = {
    all: (args) => args.v,
    tree: async (args, ctx) => {
        seen = ctx;
        return { label: args.t.label.toUpperCase(), kids: args.t.kids };
    },
    flat: ({ id, n, x, c }) => ({ id, n, x, c }),
    fire: (args) => {
        if (args.n < 0)
            throw new Error('boom');
        if (args.n === 0)
            throw 'a string';
    },
    fail: (args) => {
        throw new ctl.CtlError(args.error_type ?? 'ctl.HandlerError', args.message);
    },
    ping: () => {},
};
const handler = t.handlerEcho(impl);
const lambdaContext = { awsRequestId: 'r-1' };
let checks = 0;

async function rejects(event, name, message) {
    await assert.rejects(handler(event, lambdaContext), (e) => {
        assert.equal(e.name, name);
        assert.equal(e.message, message);
        return true;
    });
    checks++;
}

// A result, parsed for the runtime to write; the handler got its context.
assert.deepEqual(await handler({ function: 'tree', t: { label: 'ab', kids: [{ label: 'c', kids: [] }] } },
                               lambdaContext),
                 { label: 'AB', kids: [{ label: 'c', kids: [] }] });
assert.equal(seen.controller, 'echo');
assert.equal(seen.functionName, 'tree');
assert.equal(seen.lambdaContext, lambdaContext);
checks += 4;
// Defaults filled in, optional fields left out, enums by wire name.
assert.deepEqual(await handler({ function: 'flat', id: 'x', n: 3 }, lambdaContext), { id: 'x', n: 3, c: 'red' });
assert.deepEqual(await handler({ function: 'flat', id: 'x', n: 3, x: 1.5, c: 'deep-blue' }, lambdaContext),
                 { id: 'x', n: 3, x: 1.5, c: 'deep-blue' });
// An async fn answers null.
assert.equal(await handler({ function: 'fire', id: 'a', n: 1 }, lambdaContext), null);
checks += 3;
// Errors in Lambda's shape: libctl's errorTypes and messages.
await rejects({ function: 'flat', id: '', n: 3 }, 'ctl.InvalidPayload', '$.id: length 0 is outside 1..64');
await rejects({ function: 'flat', id: 'x' }, 'ctl.InvalidPayload', '$: missing required field "n"');
await rejects({ function: 'nope' }, 'ctl.UnknownFunction', 'controller echo has no function "nope"');
await rejects({ id: 'x' }, 'ctl.InvalidEvent', 'the event has no "function" field naming the function of echo to run');
await rejects([1], 'ctl.InvalidEvent', 'the event must be a JSON object, got an array');
await rejects({ function: 'flat', id: 'x', n: 2 ** 53 }, 'ctl.InvalidPayload',
              "$.n: integer 9007199254740992 is beyond JavaScript's exact integers " +
              '-9007199254740991..9007199254740991: refused rather than rounded');
await rejects({ function: 'fail', error_type: 'app.Refused', message: 'no' }, 'app.Refused', 'no');
await rejects({ function: 'fire', id: 'a', n: -1 }, 'ctl.HandlerError', 'echo.fire failed: Error: boom');
await rejects({ function: 'fire', id: 'a', n: 0 }, 'ctl.HandlerError', 'echo.fire failed: a string');
// A result that breaks the contract is the controller's error.
const bad = t.handlerEcho({ ...impl, flat: () => ({ id: 'x', n: 1.5, c: 'red' }) });
await assert.rejects(bad({ function: 'flat', id: 'x', n: 1 }, lambdaContext), (e) => e.name === 'ctl.InvalidResult');
checks++;
// dispatchEcho on the text: the bytes libctl writes, or the error object.
const r = await t.dispatchEcho(impl, '{"function":"flat","id":"x","n":1,"x":1e300}');
assert.equal(r.body, '{"id":"x","n":1,"x":1e+300,"c":"red"}');
assert.equal(r.error, null);
const e = await t.dispatchEcho(impl, '{"function":"flat","id":"x","n":1,"n":2}');
assert.equal(e.body, '{"errorType":"ctl.InvalidPayload","errorMessage":"$.n: duplicate key"}');
assert.equal(e.error.errorType, 'ctl.InvalidPayload');
checks += 4;
console.log(`handlerEcho and dispatchEcho: ${checks} checks passed`);
