// A raw control character (U+0001) inside a string literal.
struct S {
    a: string = "ab";
}
