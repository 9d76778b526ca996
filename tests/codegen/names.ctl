// names.ctl: the collision-prone names of tests/cases/ok_c_names_natural.ctl
// and ok_field_keyword_names.ctl in one spec, with the shapes the writers
// and readers special-case: a struct that opens with optional fields, one
// with only optional fields, an empty struct, an empty result, a function
// without fields, bounds that are equal or at the ends of int64, fields
// named like the generated code's locals.
package p;

enum Access { read, write }
enum SortKey { name, parse, lookup, value, read, write, json }
enum Flags { @deprecated("old") first, second }

struct Limits {
    INT64_MAX: int;
    SIZE_MAX: int;
    CTL_UNUSED: bool;
    unix: string;
    linux?: int;
    errno: int;
    EOF?: string;
    class: string;
    new: bool;
    assert: int;
}

/// Every keyword of the language as a field name.
struct Keywords {
    client: string;
    map: int;
    package: bool;
    import: string;
    enum: string;
    struct: string;
    controller: string;
    uses: string;
    fn: string;
    async: bool;
    true: bool = false;
    false: bool = true;
    string: string;
    int: int = 1;
    float: float;
    bool: bool;
    json: json;
    list: list<string>;
}

/// Fields named like the locals of generated functions.
struct Locals {
    ctx?: string;
    v?: int;
    path?: Access;
    out: string;
    m: int;
    p: bool;
    n: list<int>;
    seen: map<string>;
    sep: float;
    i: int;
    item?: Locals;
    wire: json;
    value?: json;
}

/// Only optional fields: the writer opens with '{' or ','.
struct Optional {
    a?: string;
    b?: int;
    @length(min: 2) c?: list<Locals>;
    d?: Optional;
    e?: json;
}

struct Empty {}

struct Bounds {
    @length(min: 3, max: 3) exact: string;
    @length(min: 0, max: 4) upto: list<string>;
    @length(min: 0) any: map<int>;
    @range(min: -9223372036854775808, max: 9223372036854775807) whole: int;
    @range(min: -9223372036854775808, max: 0) nonpositive: int;
    @range(min: 5000000000) big: int;
    @range(min: 2, max: 2) two: int;
    @range(min: -1.5, max: 1e300) ratio: float;
    @range(min: 0.1, max: 0.1) tenth: float = 0.1;
    lists: list<list<map<Empty>>>;
    flags: list<Flags>;
}

controller ctl_booking {
    fn functions {}
    fn slots {} -> { free: list<string>; }
    async fn main { stdin: string; }
    async fn alloc {}
    fn nothing { e: Empty; } -> {}
    fn bounds { b: Bounds; o?: Optional; } -> Bounds
    fn empty { } -> Empty
}

controller keywords {
    fn call {
        @length(max: 8) client: string;
        map?: map<int>;
        async?: bool;
        list?: list<list<string>>;
        @json("the-fn") fn: string;
    } -> {
        package: string;
        struct?: Keywords;
        uses: list<string>;
    }
}
