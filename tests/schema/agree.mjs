// agree.mjs: the JSON Schema of tests/gen/alltypes.ctl's controller accepts an
// event exactly when the generated C reader (ctl_echo) accepts it.
//
// usage: node agree.mjs NPM_DIR CTL_ECHO SCHEMA KNOWN_DIFFERENCES EVENT_DIR...
//
// Events: every *.json of the given folders (the runtime's corpus in
// tests/events, the known-difference cases in tests/schema/events), then
// events generated here with a seeded PRNG: good ones built from the spec's
// types, and mutations of them (a value replaced, a field removed or added).
// The runtime accepts when ctl_echo exits 0, or fails with an error of the
// handler (the reader succeeded); it rejects with ctl.InvalidJSON,
// ctl.InvalidEvent, ctl.UnknownFunction or ctl.InvalidPayload. The schema
// accepts when the bytes are UTF-8, parse as JSON and validate (ajv, draft
// 2020-12, default options but allowUnionTypes). Exactly the events named in
// KNOWN_DIFFERENCES may disagree, and each of them must. Every response
// body of a sync function must also match the schema's "f.result".
import { createRequire } from 'node:module';
import { readFileSync, readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join, basename } from 'node:path';

const [npmDir, ctlEcho, schemaPath, knownPath, ...eventDirs] = process.argv.slice(2);
if (!eventDirs.length) {
    console.error('usage: node agree.mjs NPM_DIR CTL_ECHO SCHEMA KNOWN_DIFFERENCES EVENT_DIR...');
    process.exit(2);
}
const require = createRequire(join(npmDir, 'node_modules', 'x.js'));
const Ajv2020 = require('ajv/dist/2020').default;
const addFormats = require('ajv-formats');

// allowUnionTypes: the schema says "type": ["string", "null"] for optional fields.
const ajv = new Ajv2020({ allowUnionTypes: true });
// ctlc's extension keywords (a controller's async settings): annotations,
// which ajv's strict mode wants declared.
for (const keyword of ['x-ctl-retries', 'x-ctl-max-event-age', 'x-ctl-on-failure', 'x-ctl-on-success', 'x-ctl-records'])
    ajv.addKeyword(keyword);
addFormats(ajv);
const schema = JSON.parse(readFileSync(schemaPath, 'utf8'));
const validate = ajv.compile(schema);
// A sync function's response body must match its "f.result" definition.
ajv.addSchema(schema, 'controller');
const resultValidator = (fn) => schema.$defs[`${fn}.result`] && ajv.getSchema(`controller#/$defs/${fn}.result`);

const READER_ERRORS = new Set(['ctl.InvalidJSON', 'ctl.InvalidEvent', 'ctl.UnknownFunction', 'ctl.InvalidPayload']);

function runtimeAccepts(bytes) {
    const r = spawnSync(ctlEcho, ['invoke', '-'], { input: bytes, maxBuffer: 64 << 20 });
    if (r.status === 0)
        return [true, 'ok', r.stdout];
    if (r.status !== 1)
        throw new Error(`ctl_echo exited ${r.status}: ${r.stderr}`);
    const err = JSON.parse(r.stdout.toString('utf8'));
    return [!READER_ERRORS.has(err.errorType), `${err.errorType}: ${err.errorMessage}`];
}

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
function schemaAccepts(bytes) {
    let value;
    try {
        value = JSON.parse(decoder.decode(bytes));
    } catch (e) {
        return [false, `not UTF-8 JSON: ${e.message}`];
    }
    if (validate(value))
        return [true, 'valid'];
    const e = validate.errors[0];
    return [false, `${e.instancePath || '/'} ${e.message}`];
}

// Known differences: "NAME  why" per line; # comments.
const known = new Map();
for (const line of readFileSync(knownPath, 'utf8').split('\n')) {
    const m = line.match(/^([A-Za-z0-9_]+)\s+(.*)$/);
    if (m && !line.startsWith('#'))
        known.set(m[1], m[2]);
}

// ---- generated events ----------------------------------------------------------
let seed = 20261127;
function rand() { // xorshift32: the same events on every run
    seed ^= seed << 13; seed >>>= 0;
    seed ^= seed >>> 17;
    seed ^= seed << 5; seed >>>= 0;
    return seed / 4294967296;
}
const pick = (xs) => xs[Math.floor(rand() * xs.length)];
const int = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));

// Numbers whose JSON text must be written exactly (beyond what a double
// prints as an integer) travel as placeholders replaced after stringify.
const RAW = '\u0001raw:';
const raw = (text) => RAW + text;
function serialize(v) {
    return JSON.stringify(v).replace(/"\\u0001raw:([^"]*)"/g, '$1');
}

const CHARS = ['a', 'z', ' ', 'é', '€', '😀', '"', '\\', '\n', '\u007f', 'ꙮ'];
function str(min = 0, max = 6) {
    let s = '';
    for (let n = int(min, max); n > 0; n--)
        s += pick(CHARS);
    return s;
}
const goodInt = () => pick([0, 1, -1, int(-1000, 1000), 9007199254740991, -9007199254740991,
    raw('-9223372036854775808'), raw('1e3'), raw('-0'), raw('7.0')]);
const goodFloat = () => pick([0, 1.5, -2.25, 1e300, -1e-300, raw('1e-400'), raw('5e-324'), int(-9, 9)]);
const color = () => pick(['red', 'green', 'deep-blue']);
const list = (f, min = 0, max = 3) => Array.from({ length: int(min, max) }, f);
function map(f, min = 0, max = 3) {
    const m = {};
    for (let n = int(min, max); n > 0; n--)
        m[str(0, 4)] = f();
    return m;
}
function json(depth = 0) {
    switch (int(0, depth > 2 ? 3 : 5)) {
    case 0: return null;
    case 1: return rand() < 0.5;
    case 2: return str();
    case 3: return goodFloat();
    case 4: return list(() => json(depth + 1));
    default: return map(() => json(depth + 1));
    }
}
function inner() {
    const v = { name: str() };
    if (rand() < 0.5) v.n = rand() < 0.2 ? null : goodInt();
    if (rand() < 0.5) v.tags = rand() < 0.2 ? null : list(() => str());
    return v;
}
function all() {
    const v = {
        s: str(), i: goodInt(), f: goodFloat(), b: rand() < 0.5, j: json(), c: color(), inner: inner(),
        ls: list(() => str()), li: list(goodInt), lf: list(goodFloat), lb: list(() => rand() < 0.5),
        lc: list(color), linner: list(inner), lls: list(() => list(() => str())), lj: list(() => json(1)),
        ms: map(() => str()), mi: map(goodInt), minner: map(inner), mls: map(() => list(() => str())),
        lsmall: list(goodInt, 0, 3),
    };
    const optional = {
        os: str, oi: goodInt, of: goodFloat, ob: () => rand() < 0.5, oj: json, oc: color, oinner: inner,
        ols: () => list(() => str()), oms: () => map(goodInt), mnonempty: () => map(() => rand() < 0.5, 1, 3),
        'wire-name': str, di: goodInt, df: goodFloat, db: () => rand() < 0.5, dc: color,
        ss: () => str(1, 8), ri: () => int(-100, 100), rf: () => pick([0.5, 1, 1.5, 0.75]),
    };
    for (const [k, f] of Object.entries(optional))
        if (rand() < 0.6) v[k] = f();
    for (const k of ['os', 'oi', 'of', 'ob', 'oj', 'oc', 'oinner', 'ols', 'oms', 'mnonempty'])
        if (k in v && rand() < 0.2) v[k] = null;
    return v;
}
function tree(depth = 0) {
    return { label: str(), kids: depth > 2 ? [] : list(() => tree(depth + 1), 0, 2) };
}
function goodEvent() {
    switch (int(0, 5)) {
    case 0: case 1: return { function: 'all', v: all() };
    case 2: return { function: 'tree', t: tree() };
    case 3: {
        const e = { function: 'flat', id: str(1, 64), n: goodInt() };
        if (rand() < 0.5) e.x = rand() < 0.3 ? null : goodFloat();
        if (rand() < 0.5) e.c = color();
        return e;
    }
    case 4: return { function: 'fire', id: str(), n: goodInt() };
    default: return { function: pick(['ping', 'fail']), message: str() };
    }
}

// A mutation: one value somewhere replaced, removed or joined by another.
// The replacements avoid integers a double cannot hold exactly and
// duplicate keys (the known differences have their own events).
const REPLACEMENTS = [null, true, false, 0, -1, 1.5, raw('1e400'), raw('-1e400'), raw('9223372036854775807'),
    raw('-9223372036854775808'), raw('1e19'), raw('-1e19'), 101, -101, 2, 0.4999999999999999,
    1.5000000000000002, '', 'x', 'red', 'deep-blue', 'blue', 'nine chars', '\u0000', 'a\ud800', '\udc00',
    '😀😀😀😀😀😀😀😀😀', [], [1, 2, 3, 4], ['x', null], {}, { name: 'x' }, { 'a\u0000': 1 }, { label: 'x', kids: [] }];
function paths(v, at = [], out = []) {
    out.push(at);
    if (v && typeof v === 'object')
        for (const k of Object.keys(v))
            paths(v[k], [...at, k], out);
    return out;
}
function mutate(event) {
    const e = structuredClone(event);
    const all = paths(e).filter((p) => p.length > 0);
    const p = pick(all);
    let parent = e;
    for (const k of p.slice(0, -1))
        parent = parent[k];
    const key = p[p.length - 1];
    const what = rand();
    if (what < 0.15 && !Array.isArray(parent))
        delete parent[key];
    else if (what < 0.25 && !Array.isArray(parent))
        parent[pick(['unknown', 'function_', 'S', 'renamed', 'x' + str(0, 2)])] = pick(REPLACEMENTS);
    else
        parent[key] = structuredClone(pick(REPLACEMENTS));
    return e;
}

// ---- run -------------------------------------------------------------------------
const cases = [];
for (const dir of eventDirs)
    for (const f of readdirSync(dir).filter((f) => f.endsWith('.json')).sort())
        cases.push([basename(f, '.json'), readFileSync(join(dir, f))]);
const GOOD = 300, MUTANTS = 1500;
const goods = [];
for (let i = 0; i < GOOD; i++) {
    const e = goodEvent();
    goods.push(e);
    cases.push([`gen_good_${i}`, Buffer.from(serialize(e))]);
}
for (let i = 0; i < MUTANTS; i++)
    cases.push([`gen_mutant_${i}`, Buffer.from(serialize(mutate(pick(goods))))]);

let failures = 0, agreed = 0, accepted = 0, results = 0;
const seenKnown = new Set();
for (const [name, bytes] of cases) {
    const [rt, rtWhy, body] = runtimeAccepts(bytes);
    const [sc, scWhy] = schemaAccepts(bytes);
    if (rt) accepted++;
    if (body) {
        // The event was read, so it parses: which function answered?
        // (Lossy decoding: an ignored field may hold invalid UTF-8.)
        const fn = JSON.parse(new TextDecoder().decode(bytes)).function;
        const check = resultValidator(fn);
        if (check) {
            results++;
            if (!check(JSON.parse(body.toString('utf8')))) {
                console.log(`FAIL ${name}: the response of ${fn} does not match ${fn}.result: ${JSON.stringify(check.errors[0])}\n  ${body.subarray(0, 300)}`);
                failures++;
            }
        }
    }
    if (name.startsWith('gen_good_') && !rt) {
        console.log(`FAIL ${name}: a generated good event is rejected by the runtime (${rtWhy}): ${bytes}`);
        failures++;
    }
    if (rt === sc) {
        agreed++;
        if (known.has(name)) {
            console.log(`FAIL ${name}: listed as a known difference, but both ${rt ? 'accept' : 'reject'} it`);
            failures++;
        }
        continue;
    }
    if (known.has(name)) {
        seenKnown.add(name);
        console.log(`known ${name}: runtime ${rt ? 'accepts' : 'rejects'} (${rtWhy}); schema ${sc ? 'accepts' : 'rejects'} (${scWhy})`);
        continue;
    }
    const shown = bytes.length > 300 ? bytes.subarray(0, 300) + '...' : bytes.toString();
    console.log(`FAIL ${name}: runtime ${rt ? 'accepts' : 'rejects'} (${rtWhy}); schema ${sc ? 'accepts' : 'rejects'} (${scWhy})\n  ${shown}`);
    failures++;
}
for (const name of known.keys())
    if (!cases.some(([n]) => n === name)) {
        console.log(`FAIL ${name}: listed as a known difference, but there is no such event`);
        failures++;
    }
console.log(`${cases.length} events (${accepted} accepted by the runtime), ${agreed} agree, ${seenKnown.size} known differences, ${results} responses checked against their result schema, ${failures} failures`);
process.exit(failures ? 1 : 0);
