// Several broken fields in one struct: each is its own error and the fields
// between them are read.
struct S {
    a int;
    b: int;
    c: ;
    d: int;
    e: list<;
    f: int;
}
