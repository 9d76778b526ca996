// leedz_controllers.mjs JS_DIR: the controllers of tests/py/leedz_host.py
// (booking_helper and async_email_helper of specs/leedz.ctl) in
// TypeScript, on the compiled module in JS_DIR, run through its generated
// dispatchBookingHelper and dispatchAsyncEmailHelper. Reads one JSON line
// {"controller", "event"} at a time and answers one {"log", "body",
// "error"} line: what the handler logged, the answer's text, and whether it
// is an error object. leedz_host.py --ts serves them to the C caller.
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';

const dir = process.argv[2];
const leedz = await import(pathToFileURL(`${dir}/leedz.js`).href);
const ctl = await import(pathToFileURL(`${dir}/ctl_runtime.js`).href);

let logged = [];
const booking = {
    checkBooking(args) {
        logged.push(`  checkBooking saw trade=${args.trade} date=${args.date} zip=${args.zip}`);
        if (args.zip === '00000')
            throw new ctl.CtlError('leedz.NoSuchZip', `no venue near ZIP ${args.zip}`);
        if (args.date === '2026-12-25')
            return { available: false, conflict_id: 'L-1225' };
        return { available: true };
    },
    recordBooking() {
        throw new Error('not written');
    },
};
const email = {
    notifyUsers(args) {
        logged.push(`  notifyUsers saw id=${args.id} trade=${args.trade} seller=${args.seller}`);
    },
};
const hosted = {
    booking_helper: (event) => leedz.dispatchBookingHelper(booking, event),
    async_email_helper: (event) => leedz.dispatchAsyncEmailHelper(email, event),
};

for await (const line of createInterface({ input: process.stdin })) {
    const { controller, event } = JSON.parse(line);
    logged = [];
    const r = await hosted[controller](event);
    process.stdout.write(JSON.stringify({ log: logged, body: r.body, error: r.error !== null }) + '\n');
}
