// A high surrogate followed by an escape that is not a low surrogate.
struct S {
    a: string = "\ud83d\u0041";
}
