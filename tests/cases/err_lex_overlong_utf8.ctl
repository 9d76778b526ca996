// An overlong UTF-8 encoding of "/" (0xc0 0xaf) is invalid UTF-8.
struct S {
    a: string = "À¯";
}
