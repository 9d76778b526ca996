// Several syntax errors in several declarations: each reported once; after
// each, parsing resumes at the next ';' or '}'.
struct A {
    x: int
    y: int;
}

struct B {
    : string;
    z: int;
}

enum C { red green, blue }

controller D {
    fn f { x: int; } ->
    fn g { y: int; }
}

client E uses D.;
