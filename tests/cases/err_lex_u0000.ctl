// A string cannot hold U+0000, not even as an escape.
struct S {
    a: string = "a\u0000b";
}
