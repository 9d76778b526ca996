// Natural specs that generated C must not trip over: enum members named
// read, write, name, parse, lookup; functions named functions, slots, main,
// alloc; fields named after macros and keywords of C and C++.
package p;

enum Access { read, write }
enum SortKey { name, parse, lookup, value }

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

controller ctl_booking {
    fn functions {}
    fn slots {} -> { free: list<string>; }
    async fn main { stdin: string; }
    async fn alloc {}
}
