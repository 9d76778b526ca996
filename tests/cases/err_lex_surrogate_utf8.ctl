// A UTF-8 encoded surrogate (0xed 0xa0 0x80) is invalid UTF-8.
struct S {
    a: string = "í €";
}
