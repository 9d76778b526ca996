// idem_bench_powertools.mjs: the peer of idem_bench.c, Powertools for AWS
// Lambda (TypeScript)'s idempotency utility on the same DynamoDB endpoint:
// one Node process calls a handler that answers its id, undecorated
// (plain) and wrapped by makeIdempotent with a DynamoDBPersistenceLayer
// keyed on the event's id (once/new: a new id each call; once/dup: the same
// id again), in interleaved repetitions, and prints the median
// microseconds per call as idem_bench does.
// Usage: node idem_bench_powertools.mjs TABLE N REPS, with the npm folder
// holding @aws-lambda-powertools/idempotency and @aws-sdk/client-dynamodb
// in NODE_PATH's place (run from it), the endpoint in
// AWS_ENDPOINT_URL_DYNAMODB and credentials and region in the environment.
import { makeIdempotent, IdempotencyConfig } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

const [table, nText, repsText] = process.argv.slice(2);
const n = Number(nText), reps = Number(repsText);
if (!table || !(n > 0) || !(reps > 0)) {
  console.error('usage: node idem_bench_powertools.mjs TABLE N REPS');
  process.exit(2);
}

let plainRuns = 0, onceRuns = 0;
const plain = async (event) => { plainRuns++; return { id: event.id }; };
const onceBody = async (event) => { onceRuns++; return { id: event.id }; };
const persistenceStore = new DynamoDBPersistenceLayer({
  tableName: table,
  awsSdkV3Client: new DynamoDBClient({ endpoint: process.env.AWS_ENDPOINT_URL_DYNAMODB }),
});
// As on Lambda, the claim expires at the invocation's deadline: a context
// with a minute left (ctl's calls claim until their deadline likewise).
const config = new IdempotencyConfig({ eventKeyJmesPath: 'id' });
config.registerLambdaContext({ getRemainingTimeInMillis: () => 60000 });
const once = makeIdempotent(onceBody, { persistenceStore, config });

const rows = ['plain', 'once/new', 'once/dup'];
const stamp = Date.now();
async function batch(row, rep, count) {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < count; i++) {
    const seller = 'scott.gross';
    if (row === 0) await plain({ function: 'plain', id: '123456789', seller });
    else {
      const id = row === 1 ? `${stamp}-${rep}-${i}` : 'the-same-key';
      const r = await once({ function: 'once', id, seller });
      if (r.id !== id) throw new Error(`once answered ${JSON.stringify(r)} for ${id}`);
    }
  }
  return Number(process.hrtime.bigint() - t0) / 1e3 / count;
}

for (let r = 0; r < 3; r++) await batch(r, 0, Math.floor(n / 10) + 1);
const before = [plainRuns, onceRuns];
const us = rows.map(() => []);
for (let rep = 1; rep <= reps; rep++)
  for (let r = 0; r < 3; r++) us[r].push(await batch(r, rep, n));
if (plainRuns - before[0] !== n * reps || onceRuns - before[1] !== n * reps) {
  console.error(`plain ran ${plainRuns - before[0]} times, once ${onceRuns - before[1]}; expected ${n * reps} each`);
  process.exit(1);
}
const med = us.map((a) => a.sort((x, y) => x - y)[Math.floor(reps / 2)]);
console.log(`${'row'.padEnd(9)} ${'us/call'.padStart(10)} ${'adds (us)'.padStart(12)} ${'x plain'.padStart(8)}`);
rows.forEach((name, r) => console.log(
  `${name.padEnd(9)} ${med[r].toFixed(2).padStart(10)} ${(med[r] - med[0]).toFixed(2).padStart(12)} ${(med[r] / med[0]).toFixed(2).padStart(8)}`));
