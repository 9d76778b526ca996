// echo_driver.mjs JS_DIR EVENT.json...: the TypeScript twin of ctl_echo,
// the test controller of tests/gen/alltypes.ctl (tests/gen/echo.c), on the
// module `ctlc ts` generated and tsc compiled into JS_DIR. For each event
// file prints one JSON line {"file": NAME, "stdout": TEXT, "exit": N}: what
// `ctl_echo invoke - <EVENT` prints (the answer and a newline) and exits
// with (0, or 1 for an error object).
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { pathToFileURL } from 'node:url';

const [dir, ...files] = process.argv.slice(2);
const t = await import(pathToFileURL(`${dir}/alltypes.js`).href);
const ctl = await import(pathToFileURL(`${dir}/ctl_runtime.js`).href);

// The handlers of echo.c, run through the module's generated dispatch
// (dispatchEcho: readEchoEvent, the handler, encodeEcho...Result).
const impl = {
    all: (args) => args.v,
    tree: (args) => args.t,
    flat: ({ id, n, x, c }) => ({ id, n, x, c }),
    fire: (args) => {
        if (args.n < 0)
            throw new ctl.CtlError('test.FireFailed', `fire ${args.id} failed on attempt 0`);
    },
    fail: (args) => {
        if (args.error_type !== undefined)
            throw new ctl.CtlError(args.error_type, args.message);
        throw new ctl.CtlError('ctl.HandlerError', 'echo.fail failed without saying why');
    },
    ping: () => {},
};

for (const file of files) {
    const r = await t.dispatchEcho(impl, readFileSync(file));
    const stdout = r.body + '\n', exit = r.error ? 1 : 0;
    // ASCII only (as Python's json.dumps writes): a reader that splits lines
    // at U+2028 or U+0085 (Python's str.splitlines) reads one line a file.
    const line = JSON.stringify({ file: basename(file), stdout, exit })
        .replace(/[\u0080-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
    process.stdout.write(line + '\n');
}
