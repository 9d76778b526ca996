// sam_validate.mjs NPM_DIR SAM_SCHEMA TEMPLATE...: every template is valid for
// AWS SAM's template schema (draft-04, /work/shared/sam-schema), in one ajv
// run. The schema uses no keyword whose meaning changed after draft-04 (no
// `id`, no boolean exclusiveMinimum/Maximum), so ajv's default draft-07 reads
// it once its "$schema" (draft-04, which ajv 8 does not know) is dropped;
// strict: false for its annotations (__samPassThrough, markdownDescription).
// A TEMPLATE whose name ends in .broken.json must be rejected instead.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const [npmDir, schemaPath, ...templates] = process.argv.slice(2);
const require = createRequire(join(npmDir, 'node_modules', 'x.js'));
const Ajv = require('ajv').default;
const schema = JSON.parse(readFileSync(schemaPath, 'utf8'));
delete schema.$schema;
const ajv = new Ajv({ strict: false, allErrors: true });
const validate = ajv.compile(schema);
let failures = 0;
for (const path of templates) {
    const ok = validate(JSON.parse(readFileSync(path, 'utf8')));
    const broken = path.endsWith('.broken.json');
    if (ok === broken) {
        failures++;
        console.log(`FAIL ${path}: ${broken ? 'a broken template was accepted' : JSON.stringify(validate.errors)}`);
    }
}
console.log(`${templates.length} templates checked against ${schemaPath}, ${failures} failures`);
process.exit(failures ? 1 : 0);
