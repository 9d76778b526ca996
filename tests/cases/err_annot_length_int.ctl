// @length on an int field (and on a bool, an enum and a struct field).
enum E { a }
struct Inner { x: int; }

struct S {
    @length(max: 5) a: int;
    @length(max: 5) b: bool;
    @length(max: 5) c: E;
    @length(max: 5) d: Inner;
}
