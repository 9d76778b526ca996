// ts_codec_bench.mjs JS_DIR [SECONDS]: the reader and writer of the module
// `ctlc ts` writes for tests/gen/alltypes.ctl (compiled into JS_DIR, e.g. by
// tests/ts/build_echo.py) against the peer they replace, JSON.parse and
// JSON.stringify of the same event, measured in the same run: events a
// second each, and the ratio. Three events: valid_all_minimal and
// valid_all_full of tests/events (the full one with its int64 bounds made
// safe) and a list of 10,000 floats.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const [dir, secondsText] = process.argv.slice(2);
const seconds = Number(secondsText ?? 1);
const t = await import(pathToFileURL(`${dir}/alltypes.js`).href);
const events = join(dirname(fileURLToPath(import.meta.url)), '..', 'events');
const safe = (s) => s.replace(/-?922337203685477580[78]/g, '1');
const inputs = {
    minimal: readFileSync(join(events, 'valid_all_minimal.json'), 'utf8'),
    full: safe(readFileSync(join(events, 'valid_all_full.json'), 'utf8')),
};
const floats = Array.from({ length: 10000 }, (_, i) => Math.sin(i) * 10 ** (i % 40 - 20));
inputs.floats = inputs.minimal.replace('"lf":[]', `"lf":[${floats.join(',')}]`);

function rate(fn) {
    let n = 0;
    const end = performance.now() + seconds * 1000;
    while (performance.now() < end)
        for (let i = 0; i < 10; i++, n++)
            fn();
    return n / seconds;
}

for (const [name, text] of Object.entries(inputs)) {
    const bytes = new TextEncoder().encode(text);
    const ours = rate(() => t.encodeEchoAllResult(t.readEchoEvent(bytes).args.v));
    const peer = rate(() => JSON.stringify(JSON.parse(new TextDecoder().decode(bytes)).v));
    console.log(`${name} (${bytes.length} bytes): ctlc ts ${ours.toFixed(0)}/s, JSON.parse+stringify ` +
        `${peer.toFixed(0)}/s, ratio ${(peer / ours).toFixed(2)}`);
}
