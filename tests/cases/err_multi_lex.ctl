// Several lexical errors in one file: each reported once, at its own place.
struct S {
    a: int = 0123;
    b: string = "\x41";
    c: int = 99999999999999999999;
    d: float = 1e400;
    e: string = "\ud800";
    f$: int;
}
