// A float literal on an int field, even one with no fractional value.
struct S {
    a: int = 1.5;
    b: int = 2.0;
    c: int = 1e3;
}
