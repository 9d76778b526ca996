// Defaults that do not fit a string field: a number, a bool, an identifier.
struct S {
    a: string = 1;
    b: string = true;
    c: string = hello;
}
