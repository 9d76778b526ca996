// A syntax error in one declaration and semantic errors (an unknown type, a
// duplicate field) in another. The duplicate is reported too; the unknown
// type is not, since a syntax error may have taken its definition away.
struct A {
    x int;
}

struct B {
    owner: Owner;
    y: int;
    y: int;
}
