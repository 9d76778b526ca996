// records_driver.mjs JS_DIR CONTROLLER EVENT.json...: the controllers
// failures and audit of tests/cases/ok_destinations.ctl in TypeScript, on
// the compiled module in JS_DIR, through its generated dispatch functions,
// for tests/py/records_test.py --ts: per event file one JSON line {"file",
// "stdout", "exit"}, stdout being the record the @records handler was given
// (records_host.c's line) and the answer.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { pathToFileURL } from 'node:url';

const [dir, controller, ...files] = process.argv.slice(2);
const dest = await import(pathToFileURL(`${dir}/ok_destinations.js`).href);
const ctl = await import(pathToFileURL(`${dir}/ctl_runtime.js`).href);

let lines = '';
function json(v) {
    if (v === undefined)
        return 'null'; // absent, as records_host.c prints it
    const out = new ctl.Out();
    ctl.writeJson(out, v, ctl.root);
    return out.text();
}
function show(s) {
    return s === undefined ? '(none)' : s;
}
function print(fn, r) {
    lines += `${fn}: version=${show(r.version)} timestamp=${show(r.timestamp)} request_id=${show(r.requestId)} ` +
        `function_arn=${show(r.functionArn)} condition=${show(r.condition)} count=${r.approximateInvokeCount} ` +
        `request=${json(r.requestPayload)} status=${r.statusCode} executed=${show(r.executedVersion)} ` +
        `function_error=${show(r.functionError)} response=${json(r.responsePayload)}\n`;
}
const hosted = {
    failures: (event) => dest.dispatchFailures({ failed: (r) => print('failures.failed', r) }, event),
    audit: (event) => dest.dispatchAudit({
        delivered: (r) => print('audit.delivered', r),
        count: () => ({ n: 7 }),
    }, event),
};
for (const file of files) {
    lines = '';
    const r = await hosted[controller](readFileSync(file));
    const line = JSON.stringify({ file: basename(file), stdout: lines + r.body + '\n', exit: r.error ? 1 : 0 })
        .replace(/[\u0080-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
    process.stdout.write(line + '\n');
}
