// contract.mjs JS_DIR VERDICTS: tests/contract/verdicts.json through the
// module `ctlc ts` generated from tests/contract/contract.ctl. Each row of
// bad arguments: the TypeScript controller side (readMediaEvent) refuses the
// event with the row's errorType and errorMessage, and the TypeScript stub
// refuses the same arguments (as JavaScript values: a wrong type too, which
// C's types cannot carry) with ctl.InvalidArguments and the same message,
// before anything is sent. Rows about a handler's results (ctl.InvalidResult)
// and events that a JavaScript object cannot hold (a duplicate key) are
// counted as not applicable. Prints counts; exits 1 on the first mismatch.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const [dir, verdicts] = process.argv.slice(2);
const m = await import(pathToFileURL(`${dir}/contract.js`).href);
const ctl = await import(pathToFileURL(`${dir}/ctl_runtime.js`).href);
const rows = JSON.parse(readFileSync(verdicts, 'utf8')).rows;

function refusal(fn) {
    try {
        fn();
    } catch (e) {
        if (e instanceof ctl.CtlError)
            return [e.errorType, e.message];
        throw e;
    }
    return ['(none)', '(accepted)'];
}

// A client whose LambdaClient fails the test if anything is sent.
const lambda = { send() { throw new Error('a refused call sent something'); } };
const media = new m.MediaClient(lambda, 'media');
let reader = 0, stub = 0, skipped = 0;
for (const row of rows) {
    if (row.errorType !== 'ctl.InvalidPayload') {
        skipped++;
        continue;
    }
    const [type, message] = refusal(() => m.readMediaEvent(new TextEncoder().encode(row.event)));
    if (type !== row.errorType || message !== row.errorMessage) {
        console.error(`FAIL: ${row.name}: the reader said ${type} ${JSON.stringify(message)}, ` +
            `not ${row.errorType} ${JSON.stringify(row.errorMessage)}`);
        process.exit(1);
    }
    reader++;
    const event = JSON.parse(row.event);
    if (JSON.stringify(event).length !== row.event.length) {
        skipped++; // a duplicate key: JSON.parse kept one
        continue;
    }
    const { function: fn, ...args } = event;
    let sent;
    try {
        sent = await media['send' + fn[0].toUpperCase() + fn.slice(1)](args);
    } catch (e) {
        sent = e;
    }
    if (!(sent instanceof ctl.CtlError) || sent.errorType !== 'ctl.InvalidArguments' ||
            sent.message !== row.errorMessage) {
        console.error(`FAIL: ${row.name}: the stub said ${sent?.errorType} ${JSON.stringify(sent?.message)}, ` +
            `not ctl.InvalidArguments ${JSON.stringify(row.errorMessage)}`);
        process.exit(1);
    }
    stub++;
}
console.log(`verdicts.json: ${reader} rows refused alike by the TypeScript reader, ${stub} by its stub ` +
    `(nothing sent), ${skipped} not applicable`);
