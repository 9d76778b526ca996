// roundtrip.mjs write JS_DIR OUT COUNT SEED | check JS_DIR OUT COUNT: random
// values of every type of tests/gen/alltypes.ctl through the TypeScript
// writer, the C reader and writer, and the TypeScript reader
// (roundtrip_test.py runs ctl_echo between the two steps).
//   write: COUNT random All values v (seeded): OUT/N.json, the event
//     {"function":"all","v":...} by the generated stub's writer, and
//     OUT/N.want, encodeAll(v), which ctl_echo must answer byte for byte;
//     decodeAll(encodeAll(v)) must encode the same (TypeScript alone).
//   check: decodeAll of ctl_echo's answers (OUT/N.c) encodes to them.
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const [mode, dir, out, countText, seedText] = process.argv.slice(2);
const t = await import(pathToFileURL(`${dir}/alltypes.js`).href);
const ctl = await import(pathToFileURL(`${dir}/ctl_runtime.js`).href);
const count = Number(countText);

if (mode === 'check') {
    for (let i = 0; i < count; i++) {
        const c = readFileSync(`${out}/${i}.c`, 'utf8').replace(/\n$/, '');
        const again = t.encodeAll(t.decodeAll(new TextEncoder().encode(c)));
        if (again !== c) {
            console.error(`FAIL: ${i}: C wrote\n${c}\nTypeScript read it and wrote\n${again}`);
            process.exit(1);
        }
    }
    console.log(`${count} answers of ctl_echo read and written back alike by TypeScript`);
    process.exit(0);
}

// xorshift64*: the same values for the same seed.
let state = BigInt(seedText) * 0x9e3779b97f4a7c15n & 0xffffffffffffffffn || 1n;
function bits64() {
    state ^= state >> 12n;
    state ^= (state << 25n) & 0xffffffffffffffffn;
    state ^= state >> 27n;
    return (state * 0x2545f4914f6cdd1dn) & 0xffffffffffffffffn;
}
const below = (n) => Number(bits64() % BigInt(n));
const pick = (xs) => xs[below(xs.length)];
const view = new DataView(new ArrayBuffer(8));

function float() {
    switch (below(6)) {
    case 0: return pick([0, -0, 1, -1, 0.1, 1e-7, 123456789012345680000, 5e-324, 1.7976931348623157e308]);
    case 1: return below(2000) - 1000;
    case 2: return (below(2 ** 30) - 2 ** 29) / 1024;
    default:
        for (;;) {
            view.setBigUint64(0, bits64());
            const d = view.getFloat64(0);
            if (Number.isFinite(d))
                return d;
        }
    }
}

function int() {
    return pick([0, -1, 1, 2 ** 53 - 1, -(2 ** 53 - 1), below(2000) - 1000,
        Number(BigInt.asIntN(53, bits64())) % (2 ** 53 - 1)]);
}

const CHARS = ['a', 'Z', '0', ' ', '"', '\\', '/', '\n', '\t', '\u0001', '\u001f', '\u007f', 'é', '€', '\u2028',
    '\ufffd', '😀', '\u{10ffff}', '\u{1f600}'];
function string(max = 12) {
    let s = '';
    for (let n = below(max + 1); n > 0; n--)
        s += pick(CHARS);
    return s;
}

function json(depth = 0) {
    switch (below(depth < 4 ? 8 : 5)) {
    case 0: return null;
    case 1: return below(2) === 0;
    case 2: return below(2) ? float() : int();
    case 3: return string();
    case 4: return pick([[], {}]);
    case 5: case 6: return Array.from({ length: below(4) }, () => json(depth + 1));
    default: {
        const o = {};
        for (let n = below(4); n > 0; n--)
            o[string(4)] = json(depth + 1);
        return o;
    }
    }
}

const list = (f, max = 4) => Array.from({ length: below(max + 1) }, f);
function map(f, max = 4) {
    const m = new Map();
    for (let n = below(max + 1); n > 0; n--)
        m.set(string(5), f());
    return m;
}
const color = () => pick(Object.values(t.Color));
function inner() {
    const v = { name: string() };
    if (below(2))
        v.n = int();
    if (below(2))
        v.tags = list(() => string());
    return v;
}

function all() {
    const v = {
        s: string(), i: int(), f: float(), b: below(2) === 0, j: json(), c: color(), inner: inner(),
        ls: list(() => string()), li: list(int), lf: list(float), lb: list(() => below(2) === 0), lc: list(color),
        linner: list(inner), lls: list(() => list(() => string())), lj: list(() => json()), ms: map(() => string()),
        mi: map(int), minner: map(inner), mls: map(() => list(() => string())),
        renamed: string(), di: int(), df: float(), db: below(2) === 0, dc: color(),
        ss: string(8) || 'x', ri: below(201) - 100, rf: 0.5 + below(1001) / 1000, lsmall: list(int, 3),
    };
    const optional = { os: string, oi: int, of: float, ob: () => below(2) === 0, oj: () => json(), oc: color,
        oinner: inner, ols: () => list(() => string()), oms: () => map(int),
        mnonempty: () => new Map([['k', true], ...map(() => below(2) === 0)]) };
    for (const [k, f] of Object.entries(optional))
        if (below(2))
            v[k] = f();
    return v;
}

for (let i = 0; i < count; i++) {
    const v = all();
    const ev = new ctl.Out();
    t['write$Echo$All'](ev, { v }, ctl.root);
    const want = t.encodeAll(v);
    const again = t.encodeAll(t.decodeAll(new TextEncoder().encode(want)));
    if (again !== want) {
        console.error(`FAIL: ${i}: TypeScript wrote\n${want}\nand read it back as\n${again}`);
        process.exit(1);
    }
    writeFileSync(`${out}/${i}.json`, ev.text());
    writeFileSync(`${out}/${i}.want`, want + '\n');
}
console.log(`${count} random values written by TypeScript and read back alike`);
