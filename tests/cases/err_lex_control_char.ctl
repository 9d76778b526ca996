// A raw control character (U+0007) outside a string: it starts no token.
struct S {
    a: string;
}
