// doc_examples.mjs NPM_DIR MARKDOWN SCHEMA_DIR [CTL_ECHO]: every "Example
// event" of a `ctlc doc` reference validates against its controller's JSON
// Schema (SCHEMA_DIR/C.schema.json); with CTL_ECHO, that controller binary
// also accepts it (exit 0, or an error of the handler, not of the reader).
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const [npmDir, mdPath, schemaDir, ctlEcho] = process.argv.slice(2);
const require = createRequire(join(npmDir, 'node_modules', 'x.js'));
const Ajv2020 = require('ajv/dist/2020').default;
const ajv = new Ajv2020({ allowUnionTypes: true });
// ctlc's extension keywords (a controller's async settings): annotations,
// which ajv's strict mode wants declared.
for (const keyword of ['x-ctl-retries', 'x-ctl-max-event-age', 'x-ctl-on-failure', 'x-ctl-on-success', 'x-ctl-records'])
    ajv.addKeyword(keyword);
const validators = new Map();
const md = readFileSync(mdPath, 'utf8');
// A section's own example (a @records function's section shows a record instead, not an event).
const re = /^#### `([A-Za-z0-9_]+)\.([A-Za-z0-9_]+)`$(?:(?!^#### )[\s\S])*?Example event:\n\n```json\n(.*)\n```/gm;
let n = 0, failures = 0;
for (const m of md.matchAll(re)) {
    const [, controller, fn, text] = m;
    if (!validators.has(controller))
        validators.set(controller, ajv.compile(JSON.parse(readFileSync(join(schemaDir, `${controller}.schema.json`), 'utf8'))));
    const validate = validators.get(controller);
    n++;
    const event = JSON.parse(text);
    if (event.function !== fn || !validate(event)) {
        console.log(`FAIL ${controller}.${fn}: ${text}\n  ${JSON.stringify(validate.errors)}`);
        failures++;
    }
    if (ctlEcho) {
        const r = spawnSync(ctlEcho, ['invoke', text]);
        const out = r.stdout.toString();
        if (r.status !== 0 && (r.status !== 1 || /ctl\.Invalid|ctl\.Unknown/.test(out))) {
            console.log(`FAIL ${controller}.${fn}: ctl_echo rejects ${text}: ${out}`);
            failures++;
        }
    }
}
if (n === 0) {
    console.log(`FAIL: no example events found in ${mdPath}`);
    failures++;
}
console.log(`${n} example events checked, ${failures} failures`);
process.exit(failures ? 1 : 0);
