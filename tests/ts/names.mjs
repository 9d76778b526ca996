// names.mjs JS_DIR: the module of tests/ts/names.ctl keeps fields and
// members named __proto__ and constructor as data (tsc_check.py runs it).
import { pathToFileURL } from 'node:url';

const n = await import(pathToFileURL(`${process.argv[2]}/names/names.js`).href);
const text = '{"__proto__":"p","constructor":7,"delete":true,"then":"__proto__"}';
const m = n.decodeMap(text);
if (Object.getPrototypeOf(m) !== Object.prototype || m.__proto___ !== 'p' || m.constructor !== 7 ||
        m.then !== n.Promise_.__proto__ || n.encodeMap(m) !== text) {
    console.error('FAIL: names.ctl: ' + JSON.stringify(m) + ' ' + n.encodeMap(m));
    process.exit(1);
}
if (Object.getPrototypeOf(n.Promise_) !== Object.prototype || !n.members$Promise.has('__proto__')) {
    console.error('FAIL: names.ctl: the enum lost its __proto__ member');
    process.exit(1);
}
console.log('names.ctl: __proto__ and constructor travel as data');
