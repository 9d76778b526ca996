// node_client.mjs URL: npm's @aws-sdk/client-lambda (installed into
// $NPM_PREFIX by the serve/npm_install test) against a serve at URL.
// Asserts what the client gets back; node_test.py checks what the C
// handlers received. Exits 1 on the first failed check.
import { createRequire } from 'node:module';
import assert from 'node:assert/strict';

const require = createRequire(process.env.NPM_PREFIX + '/');
const { LambdaClient, InvokeCommand } = require('@aws-sdk/client-lambda');
const url = process.argv[2];
const client = new LambdaClient({
  endpoint: url, region: 'us-east-1', maxAttempts: 1,
  credentials: { accessKeyId: 'AKIDSERVETEST', secretAccessKey: 'serve-test-secret' },
});
const enc = (o) => new TextEncoder().encode(typeof o === 'string' ? o : JSON.stringify(o));
const dec = (b) => (b && b.length ? JSON.parse(new TextDecoder().decode(b)) : null);
const invoke = (p) => client.send(new InvokeCommand(p));
async function rejects(p) {
  try { await invoke(p); } catch (e) { return e; }
  assert.fail('expected an error');
}

let r = await invoke({ FunctionName: 'async_email_helper', InvocationType: 'Event',
  Payload: enc({ function: 'notifyUsers', id: '777', trade: 'caricatures', seller: 'node.sdk' }) });
assert.equal(r.StatusCode, 202);
assert.ok(!r.Payload || r.Payload.length === 0, 'Event: empty body');

r = await invoke({ FunctionName: 'booking_helper', InvocationType: 'RequestResponse',
  Payload: enc({ function: 'checkBooking', trade: 'dj', date: '2026-12-31', zip: '90210' }) });
assert.equal(r.StatusCode, 200);
assert.equal(r.ExecutedVersion, '$LATEST');
assert.equal(r.FunctionError, undefined);
assert.deepEqual(dec(r.Payload), { available: false, conflict_id: 'leed-nye-0001' });

r = await invoke({ FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:async_db_helper',
  Qualifier: '$LATEST', Payload: enc({ function: 'getLeed', id: 'N-1' }) });
assert.equal(r.StatusCode, 200);
assert.equal(r.FunctionError, 'Unhandled');
assert.deepEqual(dec(r.Payload), { errorType: 'leedz.NotFound', errorMessage: 'no leed N-1 in the demo table' });

let e = await rejects({ FunctionName: 'no_such_helper', Payload: enc({}) });
assert.equal(e.name, 'ResourceNotFoundException');
assert.equal(e.$metadata.httpStatusCode, 404);
assert.match(e.message, /Function not found/);

e = await rejects({ FunctionName: 'async_db_helper', InvocationType: 'Event',
  Payload: enc({ function: 'logActivity', username: 'x'.repeat(1024 * 1024 + 1), action: 'posted', ts: 1 }) });
assert.equal(e.name, 'RequestTooLargeException');
assert.equal(e.$metadata.httpStatusCode, 413);

e = await rejects({ FunctionName: 'booking_helper',
  Payload: enc({ function: 'checkBooking', trade: 'dj', date: '2026-12-31', zip: 'y'.repeat(6 * 1024 * 1024 + 1) }) });
assert.equal(e.name, 'RequestTooLargeException');

e = await rejects({ FunctionName: 'booking_helper', Payload: enc('{"function":') });
assert.equal(e.name, 'InvalidRequestContentException');
assert.equal(e.$metadata.httpStatusCode, 400);

r = await invoke({ FunctionName: 'booking_helper', InvocationType: 'DryRun' });
assert.equal(r.StatusCode, 204);
console.log('node client: all checks passed');
