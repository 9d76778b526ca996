// A truncated UTF-8 sequence at the end of the file.
struct S {
    a: int;
}
â‚