// powertools_idem.mjs TABLE ID...: Powertools for AWS Lambda (TypeScript)'s
// idempotency utility, the real one from npm, on a DynamoDB table: a
// handler made idempotent on the event's id (makeIdempotent,
// DynamoDBPersistenceLayer with its default attribute names) is called once
// per ID given, in order, as a Lambda function named by
// AWS_LAMBDA_FUNCTION_NAME would call it. Prints one JSON line: how many
// times the handler ran and each call's result. The endpoint, region and
// credentials come from the environment (AWS_ENDPOINT_URL_DYNAMODB, ...).
// Run from the npm folder that holds @aws-lambda-powertools/idempotency and
// @aws-sdk/client-dynamodb (ES modules resolve from the script's folder, so
// the caller copies it there).
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

const [table, ...ids] = process.argv.slice(2);
if (!table || ids.length === 0) {
  console.error('usage: node powertools_idem.mjs TABLE ID...');
  process.exit(2);
}
let runs = 0;
const persistenceStore = new DynamoDBPersistenceLayer({
  tableName: table,
  awsSdkV3Client: new DynamoDBClient({ endpoint: process.env.AWS_ENDPOINT_URL_DYNAMODB }),
});
const config = new IdempotencyConfig({ eventKeyJmesPath: 'id' });
// A minute left, as a Lambda context would say: the claim's in-progress expiry.
config.registerLambdaContext({ getRemainingTimeInMillis: () => 60000 });
const handler = makeIdempotent(async (event) => {
  runs += 1;
  return { id: event.id, run: runs };
}, { persistenceStore, config });

const results = [];
for (const id of ids) results.push(await handler({ function: 'once', id }));
console.log(JSON.stringify({ runs, results }));
