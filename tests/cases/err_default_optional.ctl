// An optional field cannot have a default: it is absent when not given.
struct S {
    a?: int = 1;
    b?: string = "x";
}
