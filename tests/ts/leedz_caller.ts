// leedz_caller.ts URL: a TypeScript caller of the Leedz controllers through
// the stubs that `ctlc ts` generates from specs/leedz.ctl, against `serve`
// at URL (serve_test.py compiles it beside the generated module and runs
// it; it checks what the C handlers received). Exits 1 on the first
// failed check.
import { LambdaClient } from '@aws-sdk/client-lambda';

import { CtlError, FunctionError } from './ctl_runtime.js';
import { AsyncDbHelperClient, AsyncEmailHelperClient, BookingHelperClient, Trade } from './leedz.js';

// Node's process, without @types/node.
const proc = (globalThis as unknown as { process: { argv: string[]; exitCode?: number } }).process;
const url = proc.argv[2] ?? '';

function check(ok: boolean, what: string): void {
    if (!ok)
        throw new Error('check failed: ' + what);
}

/** The error p fails with; a check fails when it succeeds. */
async function failure(p: Promise<unknown>): Promise<unknown> {
    try {
        await p;
    } catch (e) {
        return e;
    }
    throw new Error('check failed: expected an error');
}
const lambda = new LambdaClient({
    endpoint: url, region: 'us-east-1', maxAttempts: 1,
    credentials: { accessKeyId: 'AKIDSERVETEST', secretAccessKey: 'serve-test-secret' },
});

// Routed by CTL_FUNCTION_ASYNC_EMAIL_HELPER (serve_test.py sets it to the
// controller's own name); the others by their names.
const email = new AsyncEmailHelperClient(lambda);
check(email.functionName === 'async_email_helper', 'routed by CTL_FUNCTION_ASYNC_EMAIL_HELPER');
await email.sendNotifyUsers({ id: 'ts-777', trade: Trade.caricatures, seller: 'ts.caller' });

const booking = new BookingHelperClient(lambda);
const free = await booking.callCheckBooking({ trade: Trade.dj, date: '2026-12-31', zip: '90210' });
check(free.available === false && free.conflict_id === 'leed-nye-0001', 'checkBooking: ' + JSON.stringify(free));

// A controller's error: its errorType and message, typed.
const db = new AsyncDbHelperClient(lambda);
let e = await failure(db.callGetLeed({ id: 'N-1' }));
check(e instanceof FunctionError && e.errorType === 'leedz.NotFound' && e.message === 'no leed N-1 in the demo table',
    'getLeed N-1: ' + String(e));

// Arguments that break the contract are refused before anything is sent,
// in the C stubs' words.
e = await failure(email.sendNotifyUsers({ id: '', trade: Trade.dj, seller: 's' }));
check(e instanceof CtlError && e.errorType === 'ctl.InvalidArguments' && e.message === '$.id: length 0 is outside 1..64',
    'an empty id: ' + String(e));
e = await failure(booking.callCheckBooking({ trade: 'drums' as Trade, date: '2026-12-31', zip: '90210' }));
check(e instanceof CtlError && e.errorType === 'ctl.InvalidArguments' &&
    e.message === '$.trade: "drums" is not a member of enum Trade', 'a trade not in the enum: ' + String(e));
console.log('ts caller: all checks passed');
