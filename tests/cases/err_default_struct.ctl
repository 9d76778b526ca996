// A field of struct type cannot have a default.
struct Inner { x: int; }

struct S {
    inner: Inner = x;
}
