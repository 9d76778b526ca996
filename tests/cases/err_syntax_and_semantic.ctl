// A syntax error in one declaration and semantic errors (an unknown type, a
// duplicate field) in another. (LIMITATION: ctlc skips every semantic check
// once any spec of the run has a syntax error, so only the syntax error is
// reported here.)
struct A {
    x int;
}

struct B {
    owner: Owner;
    y: int;
    y: int;
}
