// names.ctl: names that TypeScript or the generated module takes: types
// named after globals it uses (Map, Promise, Object: a trailing '_'),
// fields and members named __proto__ (which an object literal would take
// as its prototype), constructor, keywords, and functions whose PascalCase
// meet (a_b, aB: AB, AB2). tsc_check.py compiles it with the others;
// names.mjs checks that __proto__ travels as a field.
package names;

enum Promise { new, default, __proto__, constructor }

struct Map {
    __proto__: string;
    constructor?: int;
    delete: bool;
    then?: Promise;
}

struct Object {
    m: Map;
    items: list<Map>;
    byName: map<Map>;
}

controller echo {
    fn all { m: Map; } -> Object
    fn a_b {}
    fn aB {}
}
