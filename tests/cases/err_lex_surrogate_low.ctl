// A low surrogate with no high surrogate before it.
struct S {
    a: string = "\udc00";
}
